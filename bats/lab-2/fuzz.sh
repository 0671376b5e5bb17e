#!/bin/sh
# sh fuzz.sh: a root process (shm_fuzz) scribbles over the page for 5 s
# while batches of 20 round trips run; some fail, and afterwards requests
# work again, checked in the page. KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 5
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"

./shm_fuzz 5 >/tmp/fuzz &
fz=$!
n=0 bad=0
while [ -e "/proc/$fz" ]; do
	echo 20 >"$D/roundtrips" 2>/dev/null || bad=$((bad + 1))
	n=$((n + 1))
done
wait "$fz"
diag "$n batches, $bad failed"

roundtrips() {
	echo 200 >"$D/roundtrips" || return 1
	cat "$D/roundtrips"
	grep -q '^round trips 200 of 200, .* error 0$' "$D/roundtrips"
}

step "the fuzzer wrote" grep -E '^fuzzed [0-9]+ writes$' /tmp/fuzz
step "some batches failed while it wrote" [ "$bad" -gt 0 ]
step "then 200 round trips complete" roundtrips
step "then 20 requests are answered right, as the page shows" ./prober requests 20
step "the module counted protocol errors" grep -qE 'protocol_errors [1-9]' "$D/stats"
