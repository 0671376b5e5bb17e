# Lab 4, exercise 5: a watchpoint on the page catches the kernel's writes.
#
# The guest loads umh_shmem.ko (its init writes the health-check request
# into the page), then a user program maps the page read-write and writes
# a word into the payload through ITS address, then the grader asks the
# driver to write the request again (debugfs umh_shm/health_check).
#
# Question: find the page's kernel address (the `req` argument of the
# init's umh_health_check() call), set an ACCESS watchpoint on the page's
# first 8 bytes at that address once the init's writes are done (for
# instance when the user program maps the page, in shmem_mmap), and catch
# the next kernel access to it. Which function and line write? Who
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
# Given, not part of the exercise: Linux 6.1's lx-symbols does not load a
# module's init sections; this project command (common/gdb/kdlab.py) makes
# it, so that a breakpoint in the init function can be hit.
kdlab-init-symbols
# A breakpoint in a module waits (pending) until lx-symbols loads it.
set breakpoint pending on

# TODO(lab 4): the steps above.
detach
