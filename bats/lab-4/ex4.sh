# shellcheck shell=sh
# Lab 4, exercise 4's guest: ex4.sh PAGES
# Takes PAGES pages into tmpfs first, so that the page that lab 1's module
# allocates moves from run to run, then prints where it is.
dd if=/dev/zero of=/tmp/fill bs=4096 count="$1" 2>/dev/null
insmod umh_shmem.ko || exit 1
sed 's/^/truth /' /sys/kernel/debug/umh_shm/page
