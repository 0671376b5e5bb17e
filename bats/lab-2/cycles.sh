#!/bin/sh
# sh cycles.sh ID PAYLOAD HASH LOST: 5 warm-up then 20 cycles of load,
# handshake (checked in the page) and unload, each leaving no helper; at
# most LOST pages may go missing ("-": no limit, the debug kernel's KASAN
# quarantine makes free memory noise; kmemleak checks there instead).
# Each start copies the ~190-page blob into a tmpfs of its own (Shmem): an
# unload that kept it would grow Shmem by thousands of pages. KTAP on
# stdout.
# shellcheck source=bats/lab-2/ktap.sh
. ./ktap.sh
id=$1 payload=$2 hash=$3 lost=$4

kmemleak=/sys/kernel/debug/kmemleak
if [ -e $kmemleak ]; then ktap_plan 6; else ktap_plan 5; fi

# Pages of a /proc/meminfo line.
pages() {
	awk -v name="$1:" '$1 == name { print int($2 / 4) }' /proc/meminfo
}

# Free pages (with the per-CPU lists) plus slab pages: a page that the
# module loses shows up as one less, while caches moving between the
# free lists and the slabs do not count.
free_pages() {
	{
		awk '$1 == "pages" && $2 == "free" { print $3 }
		     $1 == "count:" { print $2 }' /proc/zoneinfo
		awk '/^nr_slab_/ { print $2 }' /proc/vmstat
	} | awk '{ n += $1 } END { print n }'
}

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
free=$(free_pages) shmem=$(pages Shmem)
step "20 cycles: each answers its handshake and leaves no helper" cycles "" 20
grown=$(($(pages Shmem) - shmem)) gone=$((free - $(free_pages)))
diag "Shmem grew by $grown pages; $gone free or slab pages went missing"
step "Shmem grew by less than 64 pages" [ "$grown" -lt 64 ]
few_lost() {
	[ "$lost" = - ] || [ "$gone" -lt "$lost" ]
}
step "fewer than $lost pages were lost" few_lost
step "a stopped helper is killed by rmmod too" cycle last
if [ -e $kmemleak ]; then
	echo scan >$kmemleak
	step "kmemleak finds nothing" sh -c "! grep -A20 . $kmemleak"
fi
