# shellcheck shell=sh
# Sourced by lab 1's guest scenarios: what the guest's memory holds.

# Free pages (with the per-CPU lists) plus slab pages: a page that the
# module loses shows up as one less, while slab caches and the debug
# kernel's KASAN quarantine growing do not count. The counters are folded
# from their per-CPU parts first: unfolded, they lag by tens of pages.
pages() {
	echo 1 >/proc/sys/vm/stat_refresh
	{
		awk '$1 == "pages" && $2 == "free" { print $3 }
		     $1 == "count:" { print $2 }' /proc/zoneinfo
		awk '/^nr_slab_/ { print $2 }' /proc/vmstat
	} | awk '{ n += $1 } END { print n }'
}

# kmemleak's reports since kmemleak_clear (the debug kernel only; kmemleak
# reports an object once it is 5 s old).
kmemleak_clear() {
	[ ! -e /sys/kernel/debug/kmemleak ] || echo clear >/sys/kernel/debug/kmemleak
}

kmemleak_report() {
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
}
