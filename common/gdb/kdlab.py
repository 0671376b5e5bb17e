# Loaded by common/gdb/attach after vmlinux-gdb.py (the kernel's lx- commands).
import gdb
import linux.symbols

INIT_SECTIONS = (".init.text", ".init.data")
lx_symbols = linux.symbols.LxSymbols
core_section_arguments = lx_symbols._section_arguments


def section_arguments_with_init(self, module):
    args = core_section_arguments(self, module)
    attrs = module["sect_attrs"]
    for i in range(int(attrs["nsections"])):
        attr = attrs["attrs"][i]
        name = attr["battr"]["attr"]["name"].string()
        if name in INIT_SECTIONS and " %s " % name not in args:
            args += " -s %s %#x" % (name, int(attr["address"]))
    return args


class KdlabInitSymbols(gdb.Command):
    """Make lx-symbols load the .init sections of modules too.

Linux 6.1's lx-symbols gives gdb a module's .text and data but not its
.init.text, so a breakpoint in a module's init function is never hit.
After this command it is. Not the default: once a module's init is done
the kernel frees those sections and reuses their addresses, and gdb would
then name the wrong function at them."""

    def __init__(self):
        super().__init__("kdlab-init-symbols", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        lx_symbols._section_arguments = section_arguments_with_init


KdlabInitSymbols()
