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
# Given, not part of the exercise: the lx-symbols of Linux 6.1 tells gdb
# where a module's .text and data are, but not its .init.text, so a
# breakpoint in a module's init function would never be hit. This teaches
# it the init sections (and does nothing if that is already done).
python
import linux.symbols
if not getattr(linux.symbols.LxSymbols, "kdlab_init_sections", False):
    core_sections = linux.symbols.LxSymbols._section_arguments
    def with_init_sections(self, module):
        args = core_sections(self, module)
        attrs = module["sect_attrs"]
        for i in range(int(attrs["nsections"])):
            name = attrs["attrs"][i]["battr"]["attr"]["name"].string()
            if name in (".init.text", ".init.data") and \
                    " %s " % name not in args:
                args += " -s %s %#x" % (name, int(attrs["attrs"][i]["address"]))
        return args
    linux.symbols.LxSymbols._section_arguments = with_init_sections
    linux.symbols.LxSymbols.kdlab_init_sections = True
end
# A breakpoint in a module waits (pending) until lx-symbols loads it.
set breakpoint pending on

# TODO(lab 4): break in umh_shm_init, continue, run the three helpers.
detach
