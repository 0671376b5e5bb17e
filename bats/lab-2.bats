#!/usr/bin/env bats
# shellcheck shell=bash
# Guest commands sit in single quotes on purpose: they expand in the guest.
# shellcheck disable=SC2016
# Lab 2: the user-mode helper that the kernel starts itself, and the
# request/response protocol it serves over lab 1's page. Every test picks
# its own random request (id, payload, pl_hash) and checks the payload's
# hash as the kernel logs it against one computed here, so no answer can
# be built in. The controls are in /sys/kernel/debug/umh_helper/.

load helpers/kdlab

setup_file() {
	kdlab_build_lab 2
}

# The guest's shortcut to the controls.
D=/sys/kernel/debug/umh_helper

# FNV-1a 64 of a string, as umh_rpc_hash() computes it (printed %#llx).
fnv1a() {
	local s=$1 h=$((0xcbf29ce484222325)) i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 0x100000001b3))
	done
	printf '%#x' "$h"
}

# A fresh random request and the two insmods that run it at load.
new_request() {
	random_request
	INSMOD="insmod umh_shmem.ko && insmod umh_helper.ko id=$ID payload=$PAYLOAD hash=$HASH"
}

# The kernel's line for a health check of the current request that passed.
assert_health_passed() {
	assert_kernel_log "umh_helper: health check passed: id=$ID payload=$PAYLOAD hash=$(fnv1a "$PAYLOAD") in [0-9]+ ns"
}

# bats test_tags=points:1,kdlab:baseline
@test "both modules load and unload, and the doorbell is root-only" {
	run vm 'insmod umh_shmem.ko && insmod umh_helper.ko &&
		stat -c "%F %a" /dev/umh_doorbell &&
		rmmod umh_helper && rmmod umh_shmem && echo unloaded'
	assert_success
	assert_output - <<-'EOF'
		character special file 600
		unloaded
	EOF
	assert_kernel_clean
}

# bats test_tags=points:3
@test "the helper starts from the blob with no file on disk, and the handshake succeeds" {
	new_request
	run vm "rm -f /lab/umhd && $INSMOD"' &&
		pid=$(pidof umhd) && echo "comm $(cat /proc/$pid/comm)" &&
		exe=$(readlink /proc/$pid/exe) &&
		if [ -e "$exe" ]; then echo "exe $exe is on disk"; else echo "exe not on disk"; fi &&
		{ cat /dev/umh_doorbell || echo "doorbell refused"; } &&
		cat '"$D"'/stats'
	assert_success
	assert_line 'comm umhd'
	assert_line 'exe not on disk'
	# Only the helper may open the doorbell.
	assert_line 'doorbell refused'
	assert_kernel_log 'umh_helper: cat\[[0-9]+\] may not open the doorbell: only the helper may'
	assert_line --regexp '^helper up pid [0-9]+$'
	assert_line 'requests 1 ok 1 protocol_errors 0 timeouts 0 deaths 0'
	assert_kernel_log 'umh_helper: helper umhd started from the blob in the module, pid [0-9]+'
	assert_kernel_log 'umhd\[[0-9]+\]: serving requests'
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:1
@test "mode=file starts the helper from /lab/umhd with call_usermodehelper" {
	new_request
	run vm "insmod umh_shmem.ko && insmod umh_helper.ko mode=file helper_path=/nope;
		rmmod umh_helper; insmod umh_helper.ko mode=file id=$ID payload=$PAYLOAD hash=$HASH &&
		cat $D/stats"
	assert_success
	assert_line --regexp '^helper up pid [0-9]+$'
	assert_kernel_log 'umh_helper: could not start the helper \(mode=file\): -2$'
	assert_kernel_log 'umh_helper: helper /lab/umhd started from the file, pid [0-9]+'
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:2
@test "the article's program prints 2 hello world, then each request, while the helper serves" {
	word=$(random_word 10)
	run vm "insmod umh_shmem.ko && insmod umh_helper.ko && ./shm_read &&
		echo $word >$D/request && ./shm_read && pidof umhd >/dev/null && echo serving"
	assert_success
	assert_output - <<-EOF
		2 hello world
		2 $word world
		serving
	EOF
	assert_kernel_log "umh_helper: request '$word' answered in [0-9]+ ns"
	assert_kernel_clean
}

# bats test_tags=points:3
@test "a stopped helper times out, a killed one fails its request at once, and a restart works" {
	new_request
	word=$(random_word 10)
	# uptime in ms, for the elapsed times
	run vm --timeout 60 -- "$INSMOD"' || exit 1
		ms() { awk "{ printf \"%d\", \$1 * 1000 }" /proc/uptime; }
		echo 1000 >/sys/module/umh_helper/parameters/timeout_ms
		pid=$(pidof umhd)
		kill -STOP $pid
		t=$(ms); echo x >'"$D"'/request 2>/dev/null; echo "stopped: $?"
		t=$(($(ms) - t)); [ $t -ge 900 ] && [ $t -lt 4000 ] && echo "timed out in time"
		kill -CONT $pid
		echo y >'"$D"'/request && echo "resumed: ok"
		echo 5000 >/sys/module/umh_helper/parameters/timeout_ms
		kill -STOP $pid
		t=$(ms)
		(echo z >'"$D"'/request 2>/dev/null; echo "killed: $?") &
		sleep 1; kill -KILL $pid; wait
		t=$(($(ms) - t)); [ $t -lt 4500 ] && echo "failed before the timeout"
		echo y >'"$D"'/request 2>/dev/null; echo "dead: $?"
		echo 1 >'"$D"'/restart && echo restarted
		new=$(pidof umhd); [ -n "$new" ] && [ "$new" != "$pid" ] && echo "new pid"
		echo '"$word"' >'"$D"'/request && echo "after restart: ok"
		cat '"$D"'/stats'
	assert_success
	assert_output - <<-EOF
		stopped: 1
		timed out in time
		resumed: ok
		killed: 1
		failed before the timeout
		dead: 1
		restarted
		new pid
		after restart: ok
		helper up pid $(sed -n 's/^helper up pid //p' <<<"$output")
		requests 6 ok 4 protocol_errors 0 timeouts 1 deaths 1
	EOF
	assert_kernel_log 'umh_helper: the helper did not answer request [0-9]+ within 1000 ms'
	assert_kernel_log 'umh_helper: the helper died with request [0-9]+ pending'
	assert_kernel_log 'umh_helper: no helper is running: write to restart'
	assert_kernel_log "umh_helper: request '$word' answered in [0-9]+ ns"
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:2,kdlab:debug
@test "rmmod kills and reaps the helper, even a stopped one, and 20 cycles leak nothing" {
	new_request
	cat >"$BATS_TEST_TMPDIR/cycles.sh" <<-EOF
		# pages of a /proc/meminfo line
		pages() { awk "/^\$1:/ { print int(\\\$2 / 4) }" /proc/meminfo; }
		cycle() {
			insmod umh_shmem.ko || exit 1
			insmod umh_helper.ko id=$ID payload=$PAYLOAD-\$1 hash=$HASH || exit 1
			grep -q 'ok 1 ' $D/stats || { echo "cycle \$1: no handshake"; exit 1; }
			pid=\$(pidof umhd)
			[ "\$1" = last ] && kill -STOP \$pid
			rmmod umh_helper || exit 1
			[ -e /proc/\$pid ] && { echo "cycle \$1: helper \$pid left"; exit 1; }
			rmmod umh_shmem || exit 1
		}
		i=0
		while [ \$i -lt 5 ]; do cycle warm\$i; i=\$((i + 1)); done
		free=\$(pages MemFree) shmem=\$(pages Shmem)
		i=0
		while [ \$i -lt 20 ]; do cycle \$i; i=\$((i + 1)); done
		echo "cycles \$i"
		echo "lost \$((free - \$(pages MemFree)))"
		echo "shmem \$((\$(pages Shmem) - shmem))"
		cycle last
		pidof umhd || echo "no helper"
		if [ -e /sys/kernel/debug/kmemleak ]; then
			echo scan >/sys/kernel/debug/kmemleak
			cat /sys/kernel/debug/kmemleak
		fi
	EOF
	run vm --timeout 300 --add "$BATS_TEST_TMPDIR/cycles.sh:/lab/cycles.sh" -- 'sh cycles.sh'
	assert_success
	assert_line 'cycles 20'
	assert_line 'no helper'
	# Each start copies the ~190-page blob into a tmpfs (Shmem) of its own:
	# an unload that kept it would grow Shmem by thousands of pages.
	shmem=$(sed -n 's/^shmem //p' <<<"$output")
	[ "$shmem" -lt 64 ] || fail "Shmem grew by $shmem pages in 20 cycles"
	# Free memory is noise under KERNEL=debug (KASAN's quarantine holds
	# thousands of pages): there, kmemleak below is the leak check.
	lost=$(sed -n 's/^lost //p' <<<"$output")
	[ "${KERNEL:-lab}" != lab ] || [ "$lost" -lt 150 ] ||
		fail "$lost pages were lost in 20 cycles"
	refute_output --partial 'unreferenced object'
	assert_kernel_log "umh_helper: health check passed: id=$ID payload=$PAYLOAD-19 hash=$(fnv1a "$PAYLOAD-19") in"
	assert_kernel_log 'umh_helper: helper pid [0-9]+ stopped'
	assert_kernel_clean
}

# bats test_tags=points:3,kdlab:debug
@test "a root process scribbling on the page while requests flow: protocol errors, no oops, then it works again" {
	new_request
	run vm --smp 2 --timeout 120 -- "$INSMOD"' || exit 1
		./shm_fuzz 5 & fz=$!
		n=0; bad=0
		while [ -e /proc/$fz ]; do
			echo 20 >'"$D"'/roundtrips 2>/dev/null || bad=$((bad + 1))
			n=$((n + 1))
		done
		wait $fz
		echo "batches $n, failed $bad" >&2
		[ $bad -gt 0 ] && echo "some batches failed"
		echo 200 >'"$D"'/roundtrips && cat '"$D"'/roundtrips
		grep -E -o "protocol_errors [0-9]+" '"$D"'/stats'
	assert_success
	assert_line 'some batches failed'
	assert_line --regexp '^round trips 200 of 200, median [0-9]+ ns, .* error 0$'
	assert_line --regexp '^protocol_errors [1-9][0-9]*$'
	assert_line --regexp '^fuzzed [0-9]+ writes$'
	assert_kernel_log 'umh_helper: protocol error: '
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:2
@test "1000 request/response round trips complete, with their median" {
	new_request
	run vm "$INSMOD && echo 1000 >$D/roundtrips && cat $D/roundtrips && ./rt_pipe 1000 && cat $D/stats"
	assert_success
	assert_line --regexp '^round trips 1000 of 1000, median [0-9]+ ns, min [0-9]+ ns, max [0-9]+ ns, mean [0-9]+ ns, error 0$'
	assert_line --regexp '^pipe round trips 1000 of 1000, median [0-9]+ ns'
	assert_line 'requests 1001 ok 1001 protocol_errors 0 timeouts 0 deaths 0'
	assert_health_passed
	# The medians, for whoever reads the TAP stream.
	grep 'round trips' <<<"$output" | sed 's/^/# /' >&3
	assert_kernel_clean
}
