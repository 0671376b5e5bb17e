#!/bin/sh
# sh roundtrips.sh: 1000 round trips through the roundtrips control, each
# one published in the page (req_seq moves by 1000) and the last one
# answered right; and rt_pipe's 1000 for comparison. KTAP on stdout,
# the medians in diagnostics.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 4
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"

roundtrips() {
	before=$(./prober seq)
	echo 1000 >"$D/roundtrips" || return 1
	after=$(./prober seq)
	cat "$D/roundtrips"
	echo "req_seq went from $before to $after"
	grep -qE '^round trips 1000 of 1000, median [0-9]+ ns, min [0-9]+ ns, max [0-9]+ ns, mean [0-9]+ ns, error 0$' \
		"$D/roundtrips" && [ $((after - before)) -eq 1000 ]
}

step "1000 round trips complete, each published in the page" roundtrips
step "the last one is answered right in the page" ./prober consistent
step "1000 pipe round trips complete" ./rt_pipe 1000
step "the stats count 1001 requests, all answered" \
	grep -x 'requests 1001 ok 1001 protocol_errors 0 timeouts 0 deaths 0' "$D/stats"
