#!/bin/sh
# make lab-1 without a terminal: load the driver, read the health check as
# the article's program does, look at the page's bytes and address, and
# show a few mappings that the driver refuses.
set -e
# shellcheck source=images/rootfs/demo-lib
. /etc/kdlab/demo-lib
step "the page: TODO(lab 1) in umh_shm_init (docs/lab-1.md, Steps 2 and 3)" \
	insmod umh_shmem.ko
ls -l /dev/umh_shm
step "the mapping: TODO(lab 1) in shmem_mmap (docs/lab-1.md, Steps 4 and 5)" \
	./shm_read
cat /sys/kernel/debug/umh_shm/page
./shm_probe open ro mmap 4096 0 r shared dump 0 dump 1024
./shm_probe open ro mmap 8192 0 r shared mmap 4096 4096 r shared \
	mmap 4096 0 r private mmap 4096 0 rw shared mmap 4096 0 rx shared
rmmod umh_shmem
