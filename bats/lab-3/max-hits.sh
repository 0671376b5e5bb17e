#!/bin/sh
# sh max-hits.sh MAX A1 .. A6: loads trace.ko with max_hits=MAX, arms
# trace_target_weigh and calls it 2 MAX + 3 times with the six arguments:
# once, MAX + 1 times with max_hits lowered to 1, MAX + 1 times with it
# raised to MAX + 10. A tracer that reads the parameter at each hit logs
# 1 + MAX + 1 of them, never MAX. Then sets max_hits to 2, arms
# trace_target_mix and calls it 4 times. Prints the Hits and Logged lines
# of /proc/trace after each function.
max=$1
shift
M=/sys/module/trace/parameters/max_hits
call() {
	echo "$@" >/sys/kernel/debug/trace_target/weigh || exit 1
}
insmod trace.ko max_hits="$max" && insmod trace_target.ko &&
	echo trace_target_weigh >/proc/trace || exit 1
call "$@"
echo 1 >$M
for _ in $(seq $((max + 1))); do call "$@"; done
echo $((max + 10)) >$M
for _ in $(seq $((max + 1))); do call "$@"; done
grep -E '^(Hits|Logged)' /proc/trace
echo 2 >$M
echo trace_target_mix >/proc/trace || exit 1
for _ in 1 2 3 4; do
	echo "$@" >/sys/kernel/debug/trace_target/mix || exit 1
done
grep -E '^(Hits|Logged)' /proc/trace
