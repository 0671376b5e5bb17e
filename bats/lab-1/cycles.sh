#!/bin/sh
# sh cycles.sh ID PAYLOAD HASH LIMIT: loads and unloads umh_shmem.ko 100
# times, reading the page through a mapping each time, and checks that
# fewer than LIMIT pages went missing (page_loss_limit in the grader).
# KTAP on stdout.
# shellcheck source=bats/guest/ktap.sh
. ./ktap.sh
# shellcheck source=bats/guest/memory.sh
. ./memory.sh
id=$1 payload=$2 hash=$3 limit=$4
ktap_plan 3

# One load, a mapping that must show this load's payload, an unload.
cycle() {
	insmod umh_shmem.ko id="$id" payload="$payload-$1" hash="$hash" || return 1
	got=$(./shm_read)
	[ "$got" = "$id $payload-$1 $hash" ] || { echo "cycle $1: read '$got'"; return 1; }
	rmmod umh_shmem
}

cycles() {
	i=0
	while [ "$i" -lt "$2" ]; do
		cycle "$1$i" || { echo "$i cycles done"; return 1; }
		i=$((i + 1))
	done
}

# Warm the caches that a first load fills, then measure.
cycles warm 20 >/dev/null
kmemleak_clear
before=$(free_pages)
step "100 cycles" cycles "" 100
gone=$((before - $(free_pages)))
step "fewer than $limit pages lost" fewer_lost "$gone" "$limit"
step "no kmemleak report" no_kmemleak_report
