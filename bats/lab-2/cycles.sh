#!/bin/sh
# sh cycles.sh ID PAYLOAD HASH LOST: 5 warm-up then 20 cycles of load,
# handshake (checked in the page) and unload, each leaving no helper; at
# most LOST pages may go missing (page_loss_limit in the grader: "-" on
# the debug kernel, where kmemleak judges).
# Each start copies the ~190-page blob into a tmpfs of its own (Shmem): an
# unload that kept it would grow Shmem by thousands of pages. KTAP on
# stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
id=$1 payload=$2 hash=$3 lost=$4

# shellcheck source=bats/guest/memory.sh
. ./memory.sh
ktap_plan 6

# One cycle; "last" stops the helper before the unload.
cycle() {
	insmod umh_shmem.ko || return 1
	insmod umh_helper.ko id="$id" payload="$payload-$1" hash="$hash" || return 1
	./prober check "$id" "$payload-$1" "$hash" >/dev/null ||
		{ echo "cycle $1: no handshake in the page"; return 1; }
	pid=$(pidof umhd)
	[ "$1" != last ] || kill -STOP "$pid"
	rmmod umh_helper || return 1
	if [ -e "/proc/$pid" ]; then
		echo "cycle $1: helper $pid is left"
		return 1
	fi
	rmmod umh_shmem
}

cycles() {
	i=0
	while [ "$i" -lt "$2" ]; do
		cycle "$1$i" || return 1
		i=$((i + 1))
	done
}

step "5 warm-up cycles" cycles warm 5
kmemleak_clear
free=$(free_pages) shmem=$(meminfo_pages Shmem)
step "20 cycles: each answers its handshake and leaves no helper" cycles "" 20
grown=$(($(meminfo_pages Shmem) - shmem)) gone=$((free - $(free_pages)))
diag "Shmem grew by $grown pages"
step "Shmem grew by less than 64 pages" [ "$grown" -lt 64 ]
step "fewer than $lost pages were lost" fewer_lost "$gone" "$lost"
step "a stopped helper is killed by rmmod too" cycle last
step "kmemleak finds nothing" no_kmemleak_report
