# Lab 6, exercise 4 with drgn: who had the page mapped?
#
# Several programs had the device open when the kernel crashed; some of
# them had the page mapped, some never mapped it, and one mapped it and
# unmapped it again.
#
# Question: which processes had the page mapped at the crash? Every area
# that maps the device is in the device file's address_space (i_mmap, a
# red-black tree of vm_area_structs linked by shared.rb), and each area
# belongs to an address space (vm_mm), which is a task's mm. The device
# node is /dev/umh_shm in the guest.
#
# Print one line per process that maps the page, in any order:
#   mapper=<PID> <NAME>
from drgn.helpers.linux.fs import path_lookup
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.rbtree import rbtree_inorder_for_each_entry

# TODO(lab 6): the areas, their address spaces, their tasks.
# SOLUTION BEGIN
inode = path_lookup(prog, "/dev/umh_shm").dentry.d_inode
tree = inode.i_mapping.i_mmap.rb_root.address_of_()
mms = {vma.vm_mm.value_()
       for vma in rbtree_inorder_for_each_entry("struct vm_area_struct", tree, "shared.rb")}
for task in for_each_task(prog):
    if task.mm.value_() in mms:
        print("mapper=%d %s" % (task.pid, task.comm.string_().decode()))
# SOLUTION END
