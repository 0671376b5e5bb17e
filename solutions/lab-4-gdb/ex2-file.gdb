# Lab 4, exercise 2: the file behind the mapping.
#
# The guest maps /dev/umh_shm again (the grader may have renamed the device
# node and changed its permissions: read them, do not assume them).
#
# Question: stop in shmem_mmap() and, from its `struct file *file`
# argument, print the name of the file's dentry, the inode's i_mode, what
# that mode means (is it a character device? which permission bits?), and
# the inode's number.
#
# Print exactly these lines, at the stop:
#   name=<the dentry's name>
#   i_mode=<i_mode in hex, as 0x2180>
#   S_ISCHR=<1 if the mode is a character device's, else 0>
#   perm=<the permission bits in octal, 4 digits, as 0600>
#   i_ino=<the inode number, in decimal>
#
# Mind: the kernel has a shmem_mmap() of its own (tmpfs, mm/shmem.c), and
# a breakpoint on the bare name stops there first: give the file too.
#
# TODO(lab 4): break in lab 1's shmem_mmap, continue, print the lines above
# from file->f_path.dentry and file->f_inode (S_IFMT is 0170000, S_IFCHR
# 0020000).
# SOLUTION BEGIN
break umh_shmem.c:shmem_mmap
continue
printf "name=%s\n", file->f_path.dentry->d_name.name
printf "i_mode=%#x\n", file->f_inode->i_mode
printf "S_ISCHR=%d\n", (file->f_inode->i_mode & 0170000) == 0020000
printf "perm=%04o\n", file->f_inode->i_mode & 07777
printf "i_ino=%lu\n", file->f_inode->i_ino
# SOLUTION END
detach
