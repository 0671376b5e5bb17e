# shellcheck shell=sh
# Sourced by the graders' guest scenarios (run-vm --add "$GUEST/memory.sh"):
# the leak checks, one way for every lab.
#   free_pages             free pages (with the per-CPU lists) plus slab
#                          pages: a page that a module loses shows up as
#                          one less, caches moving between the free lists
#                          and the slabs do not
#   meminfo_pages NAME     the pages of a /proc/meminfo line (Shmem...)
#   fewer_lost GONE MAX    ok when GONE (a difference of two free_pages
#                          counts, both taken from the scenario's own
#                          shell: a subshell alive holds pages too) is
#                          under MAX; MAX "-" only says how many
#                          (page_loss_limit in the grader gives MAX)
#   kmemleak_clear         forget what kmemleak knows so far
#   no_kmemleak_report     ok when kmemleak reports nothing (the debug
#                          kernel; on the lab kernel there is no kmemleak)

# The counters are folded from their per-CPU parts first: unfolded, they
# lag by tens of pages.
free_pages_now() {
	echo 1 >/proc/sys/vm/stat_refresh
	{
		awk '$1 == "pages" && $2 == "free" { print $3 }
		     $1 == "count:" { print $2 }' /proc/zoneinfo
		awk '/^nr_slab_/ { print $2 }' /proc/vmstat
	} | awk '{ n += $1 } END { print n }'
}

# Frees deferred to RCU and workqueues (a module's init sections, say) land
# later when the host is busy: the count is read until it holds still.
free_pages() {
	free_pages_n=$(free_pages_now) free_pages_tries=0
	while [ $free_pages_tries -lt 20 ]; do
		sleep 0.2
		free_pages_was=$free_pages_n free_pages_n=$(free_pages_now)
		[ $((free_pages_n - free_pages_was)) -gt 1 ] || break
		free_pages_tries=$((free_pages_tries + 1))
	done
	echo "$free_pages_n"
}

meminfo_pages() {
	awk -v name="$1:" '$1 == name { print int($2 / 4) }' /proc/meminfo
}

fewer_lost() {
	echo "$1 pages are gone (limit: $2)"
	[ "$2" = - ] || [ "$1" -lt "$2" ]
}

KMEMLEAK=/sys/kernel/debug/kmemleak

kmemleak_clear() {
	[ ! -e $KMEMLEAK ] || echo clear >$KMEMLEAK
}

# kmemleak reports an object once it is 5 s old: leaks younger than that
# go unseen.
no_kmemleak_report() {
	[ -e $KMEMLEAK ] || return 0
	echo scan >$KMEMLEAK
	! grep -A20 . $KMEMLEAK
}
