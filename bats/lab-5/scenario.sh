#!/bin/sh
# sh scenario.sh VALUES...: lab 5's functional scenario, in the guest, with
# values that the grader picks per run. KTAP on stdout. Needs umh_shmem.ko,
# reqcache.ko, rcq and ktap.sh in /lab.
#
# VALUES, in this order (scenario_values in bats/lab-5/lib.bash picks them):
#   SLOTS     16 slot numbers, comma-separated: a permutation of 0..15
#   REPLIES   16 reply slot numbers, the same way
#   IDS       8 distinct ids, comma-separated (A B C D T1 T2 E, and one that
#             is never added)
#   LENS      the data lengths of A B C D T1 T2 E, then A's longer length
#             for set, then B's shorter one
#   WORDS     one lowercase word of 32 letters: each record's data is a
#             slice of it, at its own offset
#   HOSTILE   a reply slot number past the last (2^31 and up)
#   TTL1      T1's time to live in ms (T2's is 3000)
#   LEAKS     optional: 0 skips the kmemleak scan (and its 6 s wait)
#
# Before each command it writes "rc-scenario: COMMAND id ID" to the kernel
# log, so that the grader knows which request an oops was handling. Each
# request is one run of rcq (slot, command and reply at once): processes
# are slow to start under the debug kernel.

# setvars (below) assigns slot_N, reply_N, id_N and len_N.
# shellcheck disable=SC2154

# KTAP: ktap_plan, step (the graders' bats/guest/ktap.sh).
# shellcheck source=bats/guest/ktap.sh
. ./ktap.sh

# setvars NAME LIST: NAME_0, NAME_1... from a comma-separated list.
setvars() {
	setvars_i=0
	for setvars_v in $(echo "$2" | tr , ' '); do
		eval "$1_$setvars_i=$setvars_v"
		setvars_i=$((setvars_i + 1))
	done
}
setvars slot "$1"
setvars reply "$2"
setvars id "$3"
setvars len "$4"
words=$5$5 hostile=$6 ttl1=$7 leaks=${8:-1}

A=0 B=1 C=2 D=3 T1=4 T2=5 E=6 NONE=7

# rec I [LEN]: sets S, R, ID, LEN and DATA to record I's slot, reply slot,
# id, length (or LEN) and data (LEN bytes of WORDS from offset 3*I), and RR
# (the reply slot that the request names) to R.
rec() {
	eval "S=\$slot_$1 R=\$reply_$1 ID=\$id_$1 LEN=\${2:-\$len_$1}"
	RR=$R
	DATA=$(printf '%s' "$words" | cut -c$((3 * $1 + 1))-$((3 * $1 + LEN)))
}

# announce COMMAND ID: the request that the module is about to handle.
announce() {
	echo "rc-scenario: $1 id $2" >/dev/kmsg
}

# send OP WANT [TTL]: clears reply slot RR, writes the request ID LEN TTL RR
# DATA into slot S, sends "OP S" and reads RR back, in one run of rcq; the
# command must say WANT. REPLY_LINE is what RR holds then.
send() {
	announce "$1 $S" "$ID"
	if [ "$RR" -lt 16 ]; then
		out=$(./rcq clear "$RR" slot "$S" "$ID" "$LEN" "${3:-0}" "$RR" "${DATA:--}" \
			cmd "$1" "$S" reply "$RR")
	else
		out=$(./rcq slot "$S" "$ID" "$LEN" "${3:-0}" "$RR" "${DATA:--}" cmd "$1" "$S")
	fi
	VERDICT='' REPLY_LINE=''
	while IFS= read -r line; do
		case $line in
		"cmd "*) VERDICT=${line#*: } ;;
		"reply "*) REPLY_LINE=$line ;;
		esac
	done <<-EOF
		$out
	EOF
	[ "$VERDICT" = "$2" ] || { echo "$1 slot $S (id $ID): ${VERDICT:-no verdict}, not $2"; return 1; }
}

# want ID STATUS HITS LEN DATA: REPLY_LINE must be that answer.
want() {
	w="reply $RR id=$1 status=$2 hits=$3 len=$4 data=$5"
	[ "$REPLY_LINE" = "$w" ] || { echo "expected: $w"; echo "got:      $REPLY_LINE"; return 1; }
}

# The list, as "id len hits data" lines, must be the lines given.
listed() {
	got=$(./rcq list | grep -v '^list end$')
	w=$(printf '%s\n' "$@")
	[ "$got" = "$w" ] || { echo "expected:"; echo "$w"; echo "got:"; echo "$got"; return 1; }
}

# An oops panics the guest, which then stops at once (the lab's panic=-1):
# otherwise the command that oopsed dies holding the module's lock, and
# every later command waits for it forever. kmemleak (KERNEL=debug) forgets
# what it saw before the module came.
echo 1 >/proc/sys/kernel/panic_on_oops

ktap_plan 20
step "umh_shmem and reqcache load" sh -c 'insmod umh_shmem.ko && insmod reqcache.ko &&
	{ [ ! -e /sys/kernel/debug/kmemleak ] || echo clear >/sys/kernel/debug/kmemleak; }'

adds() {
	for i in $A $B $C $D; do
		rec "$i" && send add ok && want "$ID" ok 0 0 "" || return 1
	done
}
step "four records added, each acknowledged in its reply slot" adds

gets() {
	for round in 1 2; do
		for i in $A $B $C $D; do
			rec "$i" && send get ok && want "$ID" ok "$round" "$LEN" "$DATA" || return 1
		done
	done
}
step "get answers with the data and counts the hits" gets

missing() {
	rec $NONE 5
	send get ENOENT && want "$ID" ENOENT 0 0 "" &&
		send drop ENOENT && want "$ID" ENOENT 0 0 "" &&
		send set ENOENT && want "$ID" ENOENT 0 0 ""
}
step "get, drop and set of an id that is not cached say ENOENT" missing

# A request naming a reply slot past the last.
hostile_reply() {
	all="reply 0 reply 1 reply 2 reply 3 reply 4 reply 5 reply 6 reply 7"
	all="$all reply 8 reply 9 reply 10 reply 11 reply 12 reply 13 reply 14 reply 15"
	# shellcheck disable=SC2086 # the steps are words
	before=$(./rcq $all)
	for op in add get set drop; do
		rec $NONE 5 && RR=$hostile && send $op EINVAL || return 1
	done
	# shellcheck disable=SC2086
	[ "$(./rcq $all)" = "$before" ] || { echo "a reply slot changed"; return 1; }
}
step "a request naming a reply slot past the last is refused (EINVAL)" hostile_reply

bad_requests() {
	rec $NONE 1 && ID=0 && send add EINVAL &&
		rec $NONE 33 && send add EINVAL &&
		rec $NONE 33 && ID=$id_0 && send set EINVAL &&
		[ "$(./rcq cmd get 4000000000 cmd get 16 cmd frobnicate 1)" = "cmd get 4000000000: EINVAL
cmd get 16: EINVAL
cmd frobnicate 1: EINVAL" ]
}
step "id 0, data over 32 bytes, a slot past the last and unknown commands say EINVAL" bad_requests

duplicate() {
	rec $NONE 3 && ID=$id_1 && send add EEXIST && want "$ID" EEXIST 0 0 ""
}
step "adding an id that is cached says EEXIST" duplicate

grow() {
	rec $A "$len_7" && send set ok && want "$ID" ok 0 0 "" &&
		send get ok && want "$ID" ok 3 "$LEN" "$DATA"
}
step "set to longer data, then get" grow

shrink() {
	rec $B "$len_8" && send set ok && send get ok && want "$ID" ok 3 "$LEN" "$DATA"
}
step "set to shorter data, then get" shrink

dropC() {
	rec $C && send drop ok && want "$ID" ok 2 0 "" && send get ENOENT
}
step "drop answers with the hits; the record is gone" dropC

# "id len hits data" of record I with LEN bytes of data and HITS hits.
line_of() {
	rec "$1" "$2"
	echo "$ID $LEN $3 $DATA"
}
listA=$(line_of $A "$len_7" 3) listB=$(line_of $B "$len_8" 3) listD=$(line_of $D "" 2)
step "the list shows the records, their lengths, hits and data" listed "$listA" "$listB" "$listD"

# Two records that expire, the second well after the first: the timer runs
# twice, once for each. Nothing else runs meanwhile but rcq reading a reply
# slot, which the module does not see.
ttls() {
	rec $T1 && send add ok "$ttl1" &&
		rec $T2 && send add ok 3000 && send get ok && want "$ID" ok 1 "$LEN" "$DATA"
}
step "two records with a time to live" ttls

# The time of the timer ticks, in hundredths of a second: the CPU time
# of /proc/stat, which each tick adds to. The module's timer runs on ticks
# (jiffies); sleep's clock may run at another pace when the guest's TSC was
# calibrated on a busy host.
ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat
}

# wait_ticks N: waits until N hundredths of a second of ticks went by.
wait_ticks() {
	wait_until=$(($(ticks) + $1))
	while [ "$(ticks)" -lt "$wait_until" ]; do
		sleep 0.2
	done
}

# wait_notice I HITS: waits (10 s of ticks at most) for record I's reply
# slot to hold the notice that it expired.
wait_notice() {
	rec "$1"
	w="reply $R id=$ID status=ETIMEDOUT hits=$2 len=0 data="
	wait_until=$(($(ticks) + 1000))
	while :; do
		got=$(./rcq reply "$R")
		[ "$got" = "$w" ] && return 0
		[ "$(ticks)" -lt "$wait_until" ] || break
		sleep 0.1
	done
	echo "expected: $w"
	echo "got:      $got"
	return 1
}

expired1() {
	wait_notice $T1 0 || return 1
	rec $T2
	got=$(./rcq reply "$R")
	[ "$got" = "reply $R id=$ID status=ok hits=1 len=$LEN data=$DATA" ] ||
		{ echo "the second one went too: $got"; return 1; }
	rec $T1 && send get ENOENT
}
step "the first one expired with a notice in its reply slot; the second not yet" expired1

expired2() {
	wait_notice $T2 1 && rec $T2 && send get ENOENT
}
step "the second one expired with a notice in its reply slot" expired2

step "the list is unchanged by the expiries" listed "$listA" "$listB" "$listD"

flushed() {
	announce flush 0
	rec $A && ra=$R && rec $B && rb=$R && rec $D && rd=$R
	got=$(./rcq cmd flush reply "$ra" reply "$rb" reply "$rd" list)
	rec $A "$len_7" && a="reply $ra id=$ID status=ECANCELED hits=3 len=0 data="
	rec $B && b="reply $rb id=$ID status=ECANCELED hits=3 len=0 data="
	rec $D && d="reply $rd id=$ID status=ECANCELED hits=2 len=0 data="
	w=$(printf '%s\n' "cmd flush: ok" "$a" "$b" "$d" "list end")
	[ "$got" = "$w" ] || { echo "expected:"; echo "$w"; echo "got:"; echo "$got"; return 1; }
}
step "flush cancels every record, with a notice each" flushed

readd() {
	rec $A && send add ok && rec $E && send add ok && send get ok &&
		listed "$(line_of $A "" 0)" "$(line_of $E "" 1)"
}
step "records can be added again after a flush" readd

# The objects of the kmalloc caches that records and their data come from.
# Shrinking a cache first empties KASAN's quarantine of it: freed objects
# that KASAN keeps aside a while, still counted.
objects() {
	for objects_c in 8 16 32 64; do
		echo 1 >/sys/kernel/slab/kmalloc-$objects_c/shrink
		cut -d' ' -f1 /sys/kernel/slab/kmalloc-$objects_c/objects
	done | awk '{ n += $1 } END { print n }'
}

# Adds and drops leave nothing behind, whatever kmemleak is told. On the
# debug kernel, like kmemleak: on the lab kernel a leak goes unnoticed.
cycles() {
	[ -e /sys/kernel/debug/kmemleak ] || { echo "KERNEL=lab: the debug kernel counts"; return 0; }
	rec $NONE 20 && announce "add and drop $S" "$ID"
	./rcq slot "$S" "$ID" "$LEN" 0 "$R" "$DATA" cycle 10 "$S" >/dev/null
	before=$(objects)
	got=$(./rcq cycle 1000 "$S")
	after=$(objects)
	[ "$got" = "cycle 1000 $S: ok" ] || { echo "$got"; return 1; }
	[ $((after - before)) -lt 500 ] ||
		{ echo "the kmalloc caches grew by $((after - before)) objects in 1000 adds and drops"; return 1; }
}
step "a thousand adds and drops leave the kmalloc caches as they were" cycles

# The page is lab 1's: it must still be there after reqcache left, which
# lab 1 checks by writing into it, at once (in this shell: no new process
# takes the page meanwhile, if a bug freed it). The page is not mapped
# again: on the lab kernel, a page that a bug freed would be freed twice.
unload() {
	announce rmmod 0
	rmmod reqcache && echo 1 >/sys/kernel/debug/umh_shm/health_check
}
step "rmmod reqcache; lab 1 writes its health check into its page again" unload

# kmemleak (KERNEL=debug) reports an object once it is 5 s old. Its reports
# about the request cache count, whether the module is still there (its
# functions named) or gone (their bare addresses in the modules' area).
# Without the stacks: a new process's kernel stack holds what the last one
# left there, a lost pointer among it, which would hide the loss. Two
# scans: an object whose bytes changed since the last scan (a first scan
# included) is given the benefit of the doubt once.
leaks() {
	[ -e /sys/kernel/debug/kmemleak ] || { echo "no kmemleak (KERNEL=lab)"; return 0; }
	[ "$leaks" = 1 ] || { echo "not asked for"; return 0; }
	wait_ticks 600
	echo stack=off >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	report=$(awk '
		/^unreferenced object/ { if (mine) printf "%s", block; block = ""; mine = 0 }
		{ block = block $0 "\n" }
		/\[reqcache\]|\] 0xffffffff[a-f][0-9a-f]+$/ { mine = 1 }
		END { if (mine) printf "%s", block }' /sys/kernel/debug/kmemleak)
	[ -z "$report" ] || { echo "$report" | head -40; return 1; }
}
step "no kmemleak report about the request cache" leaks
