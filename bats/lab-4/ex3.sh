# shellcheck shell=sh
# Lab 4, exercise 3's guest: ex3.sh OPEN PROT SHARE ADDR LEN
# Maps LEN bytes of lab 1's device at ADDR with the grader's mapper (open
# ro|rw, PROT letters of rwx or none, shared|private); the driver may then
# refuse the area. Prints the mapper's result and, for a mapping that
# exists, its /proc/PID/maps line.
insmod umh_shmem.ko || exit 1
./mapper /dev/umh_shm "$@" | sed 's/^/truth /'
