#!/bin/sh
# What `make lab-2` runs in the guest without a terminal: load lab 1's
# driver and the helper module, show the handshake, the article's program,
# the round trips against a pipe, and an unload that leaves no helper.
D=/sys/kernel/debug/umh_helper
insmod umh_shmem.ko || exit 1
insmod umh_helper.ko || exit 1
dmesg | grep -E 'umh_helper|umhd'
cat $D/stats
./shm_read
echo 1000 >$D/roundtrips && cat $D/roundtrips
./rt_pipe 1000
rmmod umh_helper && rmmod umh_shmem
pidof umhd || echo "no helper left"
