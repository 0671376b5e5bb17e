#!/bin/sh
# sh rmmod.sh: rmmod umh_helper with its helper stopped (SIGSTOP) returns,
# and only once the helper has exited: umh_ctl.c logs it when
# umh_helper_stop() returns earlier. KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 4
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"
pid=$(pidof umhd) || bail "no helper runs"
./prober consistent >/dev/null || bail "the helper did not answer the health check"
kill -STOP "$pid"

step "rmmod succeeds with the helper stopped" rmmod umh_helper
step "the helper is gone when rmmod returns" [ ! -e "/proc/$pid" ]
step "umh_helper_stop() returned after the helper had exited" \
	sh -c "! dmesg | grep 'umh_helper_stop() returned before'"
step "umh_shmem unloads after it" rmmod umh_shmem
