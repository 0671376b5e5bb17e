# Lab 6, exercise 5: who corrupted the request? A recorded run, backwards.
#
# The grader recorded a run (common/run-vm --record): lab 1's module
# writes its health-check request into the page, then four writers each
# write one byte of the page, once, each at a moment of its own: a user
# program, a user-mode helper that the kernel starts, a kernel thread and
# a timer (the grader's bats/lab-6/writers). One of them replaces a letter
# of the request's payload; the others write past the request. This file
# runs against a replay of that run (common/run-vm --replay --gdb), halted
# at start_kernel, with lx-symbols on lab 1's module and the writers'.
#
# Question: at the end of the run, where the guest reads debugfs
# umh_shm/page (umh_page_show), find the payload's first wrong letter (the
# page's payload against the string that the module's health check
# copied into it), watch that byte and go back to the write that changed
# it. Which function wrote it, and which task was the CPU running?
#
# Print, at the write:
#   function=<the function that wrote the byte>
#   pid=<that task's PID> comm=<its name>
# Mind: QEMU 7.2's reverse-continue never comes back when a watchpoint is
# the only breakpoint: keep one (umh_page_show's will do).
set breakpoint pending on

# TODO(lab 6): the steps above.
