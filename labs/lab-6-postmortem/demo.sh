#!/bin/sh
# make lab-6 without a terminal. Lab 6 reads crash dumps with crash and drgn,
# and replays recorded runs under gdb, on the host, so the guest alone has
# nothing to show: this says where to look.
echo "lab 6: crash dumps read with crash and drgn, a recorded run debugged backwards with gdb; see docs/lab-6.md"
echo "grade it with: make grade LAB=6"
echo "make a dump:   common/run-vm --lab 1 --tree solutions --dump /tmp/vmcore -- 'insmod umh_shmem.ko; echo c > /proc/sysrq-trigger'"
echo "then read it:  common/postmortem --lab 1 --tree solutions /tmp/vmcore crash"
echo "record a run:  common/run-vm --lab 1 --tree solutions --record /tmp/rec -- 'insmod umh_shmem.ko'"
echo "replay it:     common/run-vm --replay /tmp/rec --gdb, then make gdb LAB=1 SOLUTION=1"
