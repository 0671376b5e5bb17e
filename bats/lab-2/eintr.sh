#!/bin/sh
# sh eintr.sh: a request blocked on a stopped helper (timeout_ms=30000)
# fails with EINTR as soon as its writer gets a signal (SIGALRM after 1 s,
# caught: not a fatal signal), and the next request is clean. KTAP on
# stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 2
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"
pid=$(pidof umhd) || bail "no helper runs"
echo 30000 >/sys/module/umh_helper/parameters/timeout_ms

interrupted() {
	kill -STOP "$pid"
	got=$(./prober interrupted 1000)
	kill -CONT "$pid"
	echo "the request: $got"
	ms=${got##*after }
	ms=${ms% ms}
	[ "${got%% *}" = EINTR ] && [ "$ms" -lt 4000 ]
}

step "a signal ends a request blocked on a stopped helper with EINTR" interrupted
step "then 3 requests are answered" ./prober requests 3
