#!/bin/sh
# sh lifecycle.sh ID PAYLOAD HASH WORD: a stopped helper makes a request
# time out, a resumed one answers again, a killed one fails the request
# pending on it at once and the next ones with ESRCH, and a restart
# brings a new helper that answers WORD. KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
id=$1 payload=$2 hash=$3 word=$4
timeout=/sys/module/umh_helper/parameters/timeout_ms

ktap_plan 7
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko id="$id" payload="$payload" hash="$hash" ||
	bail "insmod umh_helper.ko failed"
pid=$(pidof umhd) || bail "no helper runs"

# A request to a stopped helper, with timeout_ms=1000. The upper bounds are
# wide: under TCG on a loaded host a guest's wakeup can come seconds late.
timed_out() {
	echo 1000 >$timeout
	kill -STOP "$pid"
	t=$(uptime_ms)
	got=$(./prober request stopped)
	t=$(($(uptime_ms) - t))
	echo "$got after $t ms"
	[ "$got" = "stopped: ETIMEDOUT" ] && [ "$t" -ge 900 ] && [ "$t" -lt 15000 ]
}

resumed() {
	kill -CONT "$pid"
	./prober request resumed | grep -qx 'resumed: ok' && ./prober consistent
}

# With timeout_ms=30000, a request pending when the helper is killed: it
# must fail long before the timeout.
killed() {
	echo 30000 >$timeout
	kill -STOP "$pid"
	t=$(uptime_ms)
	./prober request killed >/tmp/killed &
	sleep 1
	kill -KILL "$pid"
	wait
	t=$(($(uptime_ms) - t))
	echo "$(cat /tmp/killed) after $t ms"
	grep -qx 'killed: EPIPE' /tmp/killed && [ "$t" -lt 15000 ]
}

restarted() {
	echo 1 >"$D/restart" || return 1
	new=$(pidof umhd)
	echo "new helper: pid $new"
	[ -n "$new" ] && [ "$new" != "$pid" ] &&
		./prober request "$word" | grep -qx "$word: ok" &&
		./prober check "$id" "$word" "$hash"
}

step "a stopped helper: the request fails with ETIMEDOUT after timeout_ms" timed_out
step "resumed, it answers the next request" resumed
step "killed with a request pending: the request fails at once with EPIPE" killed
step "then requests fail with ESRCH" sh -c './prober request dead | grep -x "dead: ESRCH"'
step "a restart starts a new helper, which answers" restarted
step "the stats count 6 requests: 4 answered, a timeout, a death" \
	grep -x 'requests 6 ok 4 protocol_errors 0 timeouts 1 deaths 1' "$D/stats"
step "the helper is up" grep -x "helper up pid $(pidof umhd)" "$D/stats"
