# Lab 4, exercise 3: the vm_area_struct of the mapping.
#
# The guest maps /dev/umh_shm with an open mode and a protection that the
# grader picks per run, keeps the mapping and prints /proc/PID/maps.
#
# Question: stop in shmem_mmap() and print the user's area that is being
# mapped (`struct vm_area_struct *vma`): where it starts and ends, and its
# flags, decoded bit by bit. These are the flags as the mmap() call made
# them, before shmem_mmap() changes any.
#
# Print exactly these lines, at the stop:
#   vm_start=<hex>
#   vm_end=<hex>
#   vm_flags=<hex>
#   VM_READ=<0|1> VM_WRITE=<0|1> VM_EXEC=<0|1> VM_SHARED=<0|1> VM_MAYREAD=<0|1> VM_MAYWRITE=<0|1> VM_MAYEXEC=<0|1> VM_MAYSHARE=<0|1>
# (the eight flags are bits 0 to 7 of vm_flags, in that order: see
# include/linux/mm.h)
#
# TODO(lab 4): break in lab 1's shmem_mmap (not tmpfs's: see exercise 2),
# continue, print the lines above.
# SOLUTION BEGIN
break umh_shmem.c:shmem_mmap
continue
printf "vm_start=%#lx\n", vma->vm_start
printf "vm_end=%#lx\n", vma->vm_end
printf "vm_flags=%#lx\n", vma->vm_flags
set $f = vma->vm_flags
printf "VM_READ=%d VM_WRITE=%d VM_EXEC=%d VM_SHARED=%d VM_MAYREAD=%d VM_MAYWRITE=%d VM_MAYEXEC=%d VM_MAYSHARE=%d\n", $f & 1, $f >> 1 & 1, $f >> 2 & 1, $f >> 3 & 1, $f >> 4 & 1, $f >> 5 & 1, $f >> 6 & 1, $f >> 7 & 1
# SOLUTION END
detach
