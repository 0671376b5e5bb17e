# Lab 4, exercise 6: the int3 of a kprobe, seen from gdb.
#
# The guest loads lab 3's trace.ko and trace_target.ko, arms the tracer on
# one of the target's functions (which one changes from run to run), calls
# that function, disarms the tracer and calls the function once more.
#
# Question: stop while the probe is armed, in the tracer's kprobe handler
# (tracer_pre: its `kp` argument is the kprobe, kp->addr the probed
# address), and read the first byte of the traced function; read the
# byte that the kprobe saved (kp->opcode); then stop at the traced
# function's address once the probe is gone and read the byte again.
# Use hardware breakpoints: a software breakpoint is an int3 too, and gdb
# hides its own.
#
# Print exactly these lines:
#   addr=<the traced function's address, in hex>
#   armed=<its first byte while armed, as 0xNN>
#   saved=<kp->opcode, as 0xNN>
#   after=<its first byte after disarming, as 0xNN>
#
# TODO(lab 4): hbreak tracer_pre, continue, print addr, armed and saved;
# hbreak at the address, continue, print after.
detach
