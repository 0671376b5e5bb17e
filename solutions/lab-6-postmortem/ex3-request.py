# Lab 6, exercise 3 with drgn: what was in the page when the kernel died?
#
# Just before it crashed the kernel, the crashing program wrote a new
# payload into the request, through its own mapping of the page; the
# module still holds the strings it was loaded with.
#
# Question: what did the page hold at the crash: the request's id, its
# payload and its pl_hash (common/include/umh_shm.h)? Read them through the
# crashing task's own mapping of the page: the task's open files include
# the device; the device file's address_space lists every area that maps
# it (i_mmap, a red-black tree of vm_area_structs, linked by shared.rb);
# the crashing task's area is the one in its mm.
#
# Print, in this order:
#   user=0x<the crashing task's address of the page, in hex>
#   id=<id> payload=<payload> pl_hash=<pl_hash>
from drgn.helpers.linux.fs import for_each_file
from drgn.helpers.linux.mm import access_process_vm
from drgn.helpers.linux.percpu import per_cpu
from drgn.helpers.linux.rbtree import rbtree_inorder_for_each_entry

# TODO(lab 6): find the crashing task's area of the page, read the request.
# SOLUTION BEGIN
task = per_cpu(prog["current_task"], prog["panic_cpu"].counter.value_())
for _, file in for_each_file(task):
    if file.f_path.dentry.d_name.name.string_() == b"umh_shm":
        break
tree = file.f_mapping.i_mmap.rb_root.address_of_()
for vma in rbtree_inorder_for_each_entry("struct vm_area_struct", tree, "shared.rb"):
    if vma.vm_mm == task.mm:
        break
user = vma.vm_start.value_()
print("user=%#x" % user)
data = access_process_vm(task, user, 4 + 1024 + 1024)
req_id = int.from_bytes(data[:4], "little")
payload = data[4:1028].split(b"\0")[0].decode()
pl_hash = data[1028:].split(b"\0")[0].decode()
print("id=%d payload=%s pl_hash=%s" % (req_id, payload, pl_hash))
# SOLUTION END
