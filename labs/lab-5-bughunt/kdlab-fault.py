# The kdlab-fault command for gdb, for a guest halted in panic() after an
# oops (common/run-vm --gdb --halt-on-panic). Source it once the module is
# loaded; crash.gdb shows how. docs/lab-5.md, "gdb at the crash", explains.
import gdb

REGISTERS = (("rax", "ax"), ("rbx", "bx"), ("rcx", "cx"), ("rdx", "dx"),
             ("rsi", "si"), ("rdi", "di"), ("rbp", "bp"), ("r8", "r8"),
             ("r9", "r9"), ("r10", "r10"), ("r11", "r11"), ("r12", "r12"),
             ("r13", "r13"), ("r14", "r14"), ("r15", "r15"), ("rsp", "sp"),
             ("rip", "ip"))


def exception_regs():
    """The struct pt_regs * that the innermost exception handler got."""
    frame = gdb.newest_frame()
    while frame is not None:
        name = frame.name() or ""
        if name.startswith("exc_"):
            try:
                return frame.read_var("regs")
            except ValueError:
                pass
        frame = frame.older()
    raise gdb.GdbError("no exception handler (exc_*) with its regs on the "
                       "stack: is the guest stopped after an oops?")


class KdlabFault(gdb.Command):
    """Moves gdb to the instruction that oopsed.

gdb's unwinder stops at the exception entry (asm_exc_page_fault): the CPU
state of the faulting code is in the struct pt_regs that the entry code
saved and handed to the handler (exc_page_fault(regs, error_code)). This
command copies those registers into the CPU's, so that frame 0 becomes the
faulting instruction: bt, frame N, info locals and print then show the
code that crashed, as if gdb had stopped there. It also sets
$kdlab_regs to that struct pt_regs *, and prints RIP.

The guest cannot go on after this: do not continue it."""

    def __init__(self):
        super().__init__("kdlab-fault", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        regs = exception_regs()
        gdb.set_convenience_variable("kdlab_regs", regs)
        values = [(reg, int(regs[field])) for reg, field in REGISTERS]
        gdb.newest_frame().select()
        for reg, value in values:
            gdb.execute("set $%s = %#x" % (reg, value), to_string=True)
        gdb.write("kdlab-fault: frame 0 is the faulting instruction now, "
                  "at %#x: bt, frame, info locals\n" % int(regs["ip"]))


KdlabFault()
