#!/bin/sh
# sh idle.sh: the helper sleeps while no request comes: in 3 s of idle it
# uses under 0.1 s of CPU (utime + stime in /proc/PID/stat, in 1/100 s),
# and it still answers afterwards. KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 3
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"
pid=$(pidof umhd) || bail "no helper runs"
./prober requests 3 >/dev/null || bail "the helper does not answer"

# Fields 14 and 15 of /proc/PID/stat (comm, field 2, has no space here).
ticks() {
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

asleep() {
	state=$(awk '{ print $3 }' "/proc/$pid/stat")
	echo "state $state"
	[ "$state" = S ]
}

idle() {
	t0=$(ticks)
	sleep 3
	used=$(($(ticks) - t0))
	echo "used $used ticks of CPU in 3 s"
	[ "$used" -le 10 ]
}

step "the idle helper sleeps (state S)" asleep
step "the idle helper uses under 0.1 s of CPU in 3 s" idle
step "then it answers 3 requests" ./prober requests 3
