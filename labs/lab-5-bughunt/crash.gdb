# Lab 5, gdb at the crash (docs/lab-5.md, "gdb at the crash").
# The grader boots the lab kernel with your module as make lab-5 wrote it
# (both bugs in), halted in panic() when it oopses (run-vm --halt-on-panic),
# and runs the scenario that sets off your crash bug; gdb runs this file in
# batch. Print exactly these two lines, which the grader reads:
#   fault=ADDRESS  the address whose access faulted (printf's %#lx)
#   id=ID          the id in the request (struct rc_slot in the page) that
#                  the crashing command was handling (printf's %u)
# and a backtrace (bt) whose frame #0 is the instruction that faulted.
break panic
continue
# Given: the kdlab-fault command, from the lab's folder next to the module.
python import os; gdb.execute("source " + os.path.join(os.path.dirname(gdb.lookup_objfile("reqcache.ko").filename), "kdlab-fault.py"))
# TODO(lab 5): print fault=, move gdb to the faulting instruction and show
# the backtrace from there, then print id= from the command's request.
# The guest cannot go on from an oops: end it.
kill
