# Lab 4, exercise 7: the kernel's own gdb helpers.
#
# The guest writes a line of its own into the kernel log, loads
# trace_target.ko, then runs insmod umh_shmem.ko.
#
# Question: stop in umh_shmem's init function (lx-symbols loads a module's
# symbols when the kernel starts initialising it, so a breakpoint set now
# is pending until then), and there show the kernel log, the modules and
# the tasks with the kernel's gdb helpers.
#
# Print, at the stop, the output of, in this order:
#   lx-lsmod, lx-ps, lx-dmesg
#
# Given, not part of the exercise: Linux 6.1's lx-symbols does not load a
# module's init sections; this project command (common/gdb/kdlab.py) makes
# it, so that a breakpoint in the init function can be hit.
kdlab-init-symbols
# A breakpoint in a module waits (pending) until lx-symbols loads it.
set breakpoint pending on

# TODO(lab 4): break in umh_shm_init, continue, run the three helpers.
detach
