# Lab 4, exercise 4: the page's allocation, its address, its physical address.
#
# Lab 1's driver takes its page from the page allocator when the module
# loads (umh_shm_init), not in mmap as the article's kzalloc does. The
# guest loads umh_shmem.ko; the page it gets changes from run to run.
#
# Question: stop in the module's init function, then in the allocation it
# makes (__alloc_pages: alloc_page() is an inline wrapper around it), and
# step out of it with `finish`: the allocator returns in $rax. What does it
# return? Then find the page's kernel virtual address (the init function
# hands it to umh_health_check() as `req`) and compute its physical
# address from it: the lab kernel's direct map starts at PAGE_OFFSET, which
# is fixed (no KASLR) and which gdb knows here as $page_offset; __pa(x) is
# x - PAGE_OFFSET there.
#
# Print exactly these lines:
#   page=<$rax after finish, in hex>
#   virt=<the page's kernel virtual address, in hex>
#   phys=<its physical address, in hex>
#
# Given, not part of the exercise: Linux 6.1's lx-symbols does not load a
# module's init sections; this project command (common/gdb/kdlab.py) makes
# it, so that a breakpoint in the init function can be hit.
kdlab-init-symbols
# A breakpoint in a module waits (pending) until lx-symbols loads it.
set breakpoint pending on

# TODO(lab 4): break in umh_shm_init, then (once that breakpoint is
# deleted: it is no longer needed) a temporary breakpoint in
# __alloc_pages, finish, print page=; then break in umh_health_check and
# print virt= and phys=.
# SOLUTION BEGIN
break umh_shm_init
continue
delete
tbreak __alloc_pages
continue
finish
printf "page=%#lx\n", $rax
break umh_health_check
continue
printf "virt=%#lx\n", req
printf "phys=%#lx\n", (unsigned long) req - $page_offset
# SOLUTION END
detach
