#!/bin/sh
# sh cycles.sh ID PAYLOAD HASH LIMIT: loads and unloads umh_shmem.ko 100
# times, reading the page through a mapping each time, and checks that
# fewer than LIMIT pages went missing. KTAP on stdout.
# shellcheck source=bats/lab-1/pages.sh
. ./pages.sh
id=$1 payload=$2 hash=$3 limit=$4

echo 'KTAP version 1'
echo '1..3'

# One load, a mapping that must show this load's payload, an unload.
cycle() {
	insmod umh_shmem.ko id="$id" payload="$payload-$1" hash="$hash" || return 1
	got=$(./shm_read)
	[ "$got" = "$id $payload-$1 $hash" ] || { echo "# cycle $1: read '$got'"; return 1; }
	rmmod umh_shmem
}

# Warm the caches that a first load fills, then measure.
i=0
while [ $i -lt 20 ] && cycle "warm$i"; do i=$((i + 1)); done
kmemleak_clear
before=$(pages)
i=0
while [ $i -lt 100 ] && cycle $i; do i=$((i + 1)); done
lost=$((before - $(pages)))
if [ $i -eq 100 ]; then echo 'ok 1 100 cycles'; else echo "not ok 1 100 cycles: $i done"; fi
echo "# lost $lost pages in $i cycles"
if [ "$lost" -lt "$limit" ]; then
	echo "ok 2 fewer than $limit pages lost"
else
	echo "not ok 2 fewer than $limit pages lost"
fi
leaks=$(kmemleak_report)
if [ -z "$leaks" ]; then
	echo 'ok 3 no kmemleak report'
else
	echo "$leaks" | sed 's/^/# /'
	echo 'not ok 3 no kmemleak report'
fi
