# Lab 4, exercise 5: a watchpoint on the page catches the kernel's writes.
#
# The guest loads umh_shmem.ko (its init writes the health-check request
# into the page), then a user program maps the page read-write and writes
# a word into the payload through ITS address, then the grader asks the
# driver to write the request again (debugfs umh_shm/health_check).
#
# Question: find the page's kernel address (the `req` argument of the
# init's umh_health_check() call), set an ACCESS watchpoint on the page's
# first 8 bytes at that address once the init's writes are done, and
# catch the next kernel write to it. Which function and line write? Who
# called them? What did the user program leave in the page (x/2gx at the
# stop)? Then let the writer finish and dump the request as the article
# does: x/2gx of the page, and x/2gx of the page + 1024.
#
# Print, in this order:
#   watch=<the watched kernel address, in hex>
#   gdb's own report of the watchpoint hit (it prints it by itself)
#   `bt 2` at the hit
#   x/2gx <page>            at the hit
#   x/2gx <page>            once the writer has returned
#   x/2gx <page> + 1024     once the writer has returned
# Mind: a watchpoint also fires during `finish`; delete it first.
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

# TODO(lab 4): the steps above.
detach
