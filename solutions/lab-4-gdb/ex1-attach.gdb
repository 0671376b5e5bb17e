# Lab 4, exercise 1: attach, and stop where /dev/umh_shm gets mapped.
#
# The grader has already attached this gdb to the lab VM (target remote),
# run the guest up to start_kernel and loaded lab 1's module symbols with
# lx-symbols; it then runs this file in batch while the guest loads
# umh_shmem.ko and a user program maps the device.
#
# Question: set a HARDWARE breakpoint in shmem_mmap() given by FILE:LINE
# (umh_shmem.c and the line of the function's opening in the reference
# driver that the grader loads, solutions/lab-1-umh-shm/umh_shmem.c; in an
# interactive session, `info line umh_shmem.c:shmem_mmap` once the module
# is loaded), run the guest to it, and say which task is mapping the
# device: its PID and its name (the grader starts the mapping program
# under a new name every run: read it, do not assume it).
#
# Print exactly one line, at the stop:
#   pid=<the PID of the mapping task> comm=<its name>
#
# TODO(lab 4): hbreak by file and line, continue, print the line above
# (the kernel's gdb helpers give the task running now: $lx_current()).
# SOLUTION BEGIN
hbreak umh_shmem.c:85
continue
printf "pid=%d comm=%s\n", $lx_current().pid, $lx_current().comm
# SOLUTION END
detach
