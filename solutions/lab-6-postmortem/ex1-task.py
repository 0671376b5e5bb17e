# Lab 6, exercise 1 with drgn: who crashed the kernel, and how?
#
# The same question as ex1-task.crash, in drgn's Python: which task was
# running when the kernel panicked (its PID and its name), and what was its
# kernel stack, from the innermost frame out?
#
# Print, in this order:
#   pid=<PID> comm=<NAME>
#   frame=<FUNCTION>      one line per frame that has a function name,
#                         innermost first
#
# drgn runs this file as a script with `prog`, the dumped kernel, already
# set up (common/postmortem DUMP drgn FILE). Mind: in a dump that QEMU
# wrote, drgn 0.0.22's Program.crashed_thread() has the registers of the
# CPU that panicked, but names the wrong task; and the stack of a task that
# was running is not where it last slept (docs/lab-6.md, "QEMU's dump and
# drgn 0.0.22").
from drgn.helpers.linux.percpu import per_cpu

# TODO(lab 6): find the task, print it and its stack.
# SOLUTION BEGIN
cpu = prog["panic_cpu"].counter.value_()
task = per_cpu(prog["current_task"], cpu)
print("pid=%d comm=%s" % (task.pid, task.comm.string_().decode()))
for frame in prog.crashed_thread().stack_trace():
    if frame.name:
        print("frame=%s" % frame.name)
# SOLUTION END
