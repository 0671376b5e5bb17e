# Lab 4, exercise 6: the int3 of a kprobe, seen from gdb.
#
# The guest loads lab 3's trace.ko and trace_target.ko and lab 1's
# umh_shmem.ko, arms the tracer on a function (which one changes from run
# to run) and calls it. Then it calls the function FOUR more times,
# arming or disarming the tracer before each call, in an order that also
# changes from run to run. Every call starts with a write to a debugfs
# file, and debugfs hands every write to its handler through
# full_proxy_write(), before the function runs.
#
# Question: stop while the probe is armed, in the tracer's kprobe handler
# (tracer_pre: its `kp` argument is the kprobe, kp->addr the probed
# address), and read the byte that the kprobe saved (kp->opcode). Then,
# at each of the four later calls, stop in full_proxy_write() and read
# the first byte of the traced function: what is there while the probe
# is armed, and while it is not?
# Use hardware breakpoints: a software breakpoint is an int3 too, and gdb
# hides its own. And never resume the guest where a breakpoint sits: to
# resume there, gdb single-steps the instruction, and QEMU's step is not
# to be trusted. On the probed instruction, it skips the int3 (the kprobe
# never sees that call, and the rest of the instruction runs as if it
# began one byte later); elsewhere, it may not move at all, and gdb then
# reports the same stop twice. So at each stop in full_proxy_write(),
# delete the breakpoint and leave the function with `finish` before you
# set it again.
#
# Print exactly these lines:
#   addr=<the traced function's address, in hex>
#   saved=<kp->opcode, as 0xNN>
#   byte=<the function's first byte at the 1st later call, as 0xNN>
#   byte=<... at the 2nd later call>
#   byte=<... at the 3rd later call>
#   byte=<... at the 4th later call>
#
# TODO(lab 4): hbreak tracer_pre, continue, print addr and saved, delete;
# then four times: a hardware breakpoint in full_proxy_write, continue,
# print byte, delete, finish.
detach
