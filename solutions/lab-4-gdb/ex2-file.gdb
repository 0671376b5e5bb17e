# Lab 4, exercise 2: the file behind the mapping, and the task's other files.
#
# The guest maps /dev/umh_shm again, but the grader has made the device
# node anew under another name, with other permissions, and has given the
# mapping program's standard input, output and error other files (devices,
# regular files, a directory): read all of it, do not assume it.
#
# Question: stop in shmem_mmap() and, from its `struct file *file`
# argument, print the name of the file's dentry, the inode's i_mode, its
# permission bits and the inode's number. Then walk the mapping task's
# table of open files (the task is $lx_current(); its files_struct holds
# the table, fdt, whose fd[] array maps descriptors to struct file
# pointers) and, for each of its descriptors 0, 1 and 2, print the
# inode's i_mode and whether that mode is a character device's.
#
# Print exactly these lines, at the stop:
#   name=<the dentry's name>
#   i_mode=<i_mode in hex, as 0x2180>
#   perm=<the permission bits in octal, 4 digits, as 0600>
#   i_ino=<the inode number, in decimal>
#   fd0 i_mode=<hex> S_ISCHR=<1 if that mode is a character device's, else 0>
#   fd1 i_mode=<hex> S_ISCHR=<0|1>
#   fd2 i_mode=<hex> S_ISCHR=<0|1>
#
# Mind: the kernel has a shmem_mmap() of its own (tmpfs, mm/shmem.c), and
# a breakpoint on the bare name stops there first: give the file too.
#
# TODO(lab 4): break in lab 1's shmem_mmap, continue, print the lines above
# from file->f_path.dentry, file->f_inode and the task's file table
# (S_IFMT is 0170000, S_IFCHR 0020000; gdb has `while` loops).
# SOLUTION BEGIN
break umh_shmem.c:shmem_mmap
continue
printf "name=%s\n", file->f_path.dentry->d_name.name
printf "i_mode=%#x\n", file->f_inode->i_mode
printf "perm=%04o\n", file->f_inode->i_mode & 07777
printf "i_ino=%lu\n", file->f_inode->i_ino
set $fdt = $lx_current().files->fdt
set $fd = 0
while $fd < 3
	set $mode = $fdt->fd[$fd]->f_inode->i_mode
	printf "fd%d i_mode=%#x S_ISCHR=%d\n", $fd, $mode, ($mode & 0170000) == 0020000
	set $fd = $fd + 1
end
# SOLUTION END
detach
