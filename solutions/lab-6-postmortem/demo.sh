#!/bin/sh
# make lab-6 without a terminal. Lab 6 reads crash dumps with crash and drgn
# on the host, so the guest alone has nothing to show: this says where to
# look.
echo "lab 6: crash dumps read with crash and drgn, see docs/lab-6.md"
echo "grade it with: make grade LAB=6"
echo "make a dump:   common/run-vm --lab 1 --tree solutions --dump /tmp/vmcore -- 'insmod umh_shmem.ko; echo c > /proc/sysrq-trigger'"
echo "then read it:  common/postmortem --lab 1 --tree solutions /tmp/vmcore crash"
