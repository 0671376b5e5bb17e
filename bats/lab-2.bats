#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 2: the user-mode helper that the kernel starts itself, and the
# request/response protocol it serves over lab 1's page. The grader trusts
# nothing that the submission reports about itself: its own prober
# (lab-2/prober.c) reads the page to check each answer, its own lying
# helper (lab-2/hostile.c) feeds the kernel bad answers, and Coccinelle
# (lab-2/ordering.cocci) checks the memory ordering that x86 cannot show.
# The guest scenarios are lab-2/*.sh; they report in KTAP. Every test
# picks its own random request (id, payload, pl_hash), so no answer can be
# built in.

load helpers/kdlab

setup_file() {
	kdlab_build_lab 2
}

# FNV-1a 64 of a string, as umh_rpc_hash() computes it (printed %#llx).
fnv1a() {
	local s=$1 h=$((0xcbf29ce484222325)) i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 0x100000001b3))
	done
	printf '%#x' "$h"
}

# The kernel's line for a health check of the current request that passed.
assert_health_passed() {
	assert_kernel_log "umh_helper: health check passed: id=$ID payload=$PAYLOAD hash=$(fnv1a "$PAYLOAD") in [0-9]+ ns"
}

# Runs the scenario bats/lab-2/NAME.sh in the guest with ARGS, with the
# KTAP library and the prober: scenario [run-vm options --] NAME [ARGS].
scenario() {
	local opts=() prober name
	if [[ " $* " == *" -- "* ]]; then
		while [ "$1" != -- ]; do
			opts+=("$1")
			shift
		done
		shift
	fi
	name=$1
	shift
	prober=$(grader_program lab-2/prober.c) || return 1
	vm "${opts[@]}" --add "$GUEST/ktap.sh" --add "$GUEST/memory.sh" \
		--add "$BATS_TEST_DIRNAME/lab-2/lib.sh" \
		--add "$BATS_TEST_DIRNAME/lab-2/$name.sh" --add "$prober" -- "sh $name.sh $*"
}

# The submission's own copy of one of its files.
submitted() {
	echo "$KDLAB_SUBMISSION/$1"
}

# Coccinelle's rules of lab-2/ordering.cocci (kernel, helper or once) on
# FILE: no output when they hold.
ordering() {
	spatch --very-quiet -D "$1" --sp-file "$BATS_TEST_DIRNAME/lab-2/ordering.cocci" \
		"$2" 2>"$BATS_TEST_TMPDIR/spatch.log" ||
		{ cat "$BATS_TEST_TMPDIR/spatch.log"; return 1; }
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
@test "the helper starts from the blob with no file on disk, and its answer is in the page" {
	random_request
	run scenario blob "$ID" "$PAYLOAD" "$HASH"
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: helper umhd started from the blob in the module, pid [0-9]+'
	assert_kernel_log 'umhd\[[0-9]+\]: serving requests'
	assert_kernel_log 'umh_helper: cat\[[0-9]+\] may not open the doorbell: only the helper may'
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:1
@test "mode=file starts the helper from /lab/umhd with call_usermodehelper" {
	random_request
	run scenario file "$ID" "$PAYLOAD" "$HASH"
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: helper /lab/umhd started from the file, pid [0-9]+'
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:2
@test "the article's program prints 2 hello world, then each request, while the helper serves" {
	run scenario article "$(random_word 10)"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# bats test_tags=points:3
@test "a stopped helper times out, a killed one fails its request at once, and a restart works" {
	random_request
	run scenario --timeout 60 -- lifecycle "$ID" "$PAYLOAD" "$HASH" "$(random_word 10)"
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: the helper did not answer request [0-9]+ within 1000 ms'
	assert_kernel_log 'umh_helper: the helper died with request [0-9]+ pending'
	assert_kernel_log 'umh_helper: no helper is running: write to restart'
	assert_health_passed
	assert_kernel_clean
}

# bats test_tags=points:2,kdlab:debug
@test "20 load, handshake and unload cycles leave no helper and leak nothing" {
	local timeout=60
	random_request
	# The lab kernel's free and slab pages move by less than 10 pages in
	# 20 cycles; a page lost per cycle would be 20.
	[ "${KERNEL:-lab}" = lab ] || timeout=300
	run scenario --timeout "$timeout" -- cycles "$ID" "$PAYLOAD" "$HASH" "$(page_loss_limit 16)"
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: helper pid [0-9]+ stopped'
	assert_kernel_clean
}

# umh_ctl.c checks that umh_helper_stop() returns after the helper exited.
# bats test_tags=points:2
@test "rmmod returns only once the helper has exited, even a stopped one" {
	run scenario --timeout 30 -- rmmod
	assert_success
	assert_ktap_ok
	refute_kernel_log 'umh_helper_stop\(\) returned before'
	assert_kernel_clean
}

# bats test_tags=points:3,kdlab:debug
@test "a root process scribbling on the page while requests flow: protocol errors, no oops, then it works again" {
	run scenario --smp 2 --timeout 120 -- fuzz
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: protocol error: '
	assert_kernel_clean
}

# bats test_tags=points:2
@test "1000 request/response round trips complete, each published in the page" {
	run scenario roundtrips
	assert_success
	assert_ktap_ok
	# The medians, for whoever reads the TAP stream.
	grep -E '^# (pipe )?round trips' <<<"$output" >&3
	assert_kernel_clean
}

# bats test_tags=points:2
@test "the helper's answers to 50 random requests are right, as the grader reads them in the page" {
	local prober
	prober=$(grader_program lab-2/prober.c)
	run vm --add "$prober" -- 'insmod umh_shmem.ko && insmod umh_helper.ko && ./prober requests 50'
	assert_success
	assert_line '50 requests checked in the page'
	assert_kernel_clean
}

# bats test_tags=points:3,kdlab:debug
@test "a lying helper's wrong id, wrong hash, bad status, torn answer and early answer are protocol errors, and the next request is clean" {
	local hostile
	hostile=$(grader_program lab-2/hostile.c)
	random_request
	run scenario --add "$hostile" -- hostile "$ID" "$HASH" id hash status torn early
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: helper /lab/hostile started from the file'
	assert_kernel_log 'hostile\[[0-9]+\]: request [0-9]+: torn answer'
	assert_kernel_clean
}

# The race needs a second CPU: the lying helper rewrites ans_len on one
# while the kernel checks the answer on the other.
# bats test_tags=points:3,kdlab:debug
@test "a lying helper's oversized, negative, short and changing answer lengths are protocol errors, and the next request is clean" {
	local hostile timeout=60
	hostile=$(grader_program lab-2/hostile.c)
	random_request
	# A kernel that trusts a length hangs here (it hashes gigabytes, or
	# oopses holding umh_rpc_lock): no need to wait long for it.
	[ "${KERNEL:-lab}" = lab ] || timeout=180
	run scenario --smp 2 --timeout "$timeout" --add "$hostile" -- \
		hostile "$ID" "$HASH" short big neg race
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# bats test_tags=points:2
@test "an idle helper sleeps and uses no CPU" {
	run scenario idle
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# bats test_tags=points:2
@test "a request blocked on a stopped helper fails with EINTR as soon as its writer is signalled" {
	run scenario --timeout 60 -- eintr
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# bats test_tags=points:2,kdlab:debug
@test "a copy of the doorbell in another process takes no request, is stale after a restart, and holds the module until closed" {
	run scenario --timeout 60 -- stale
	assert_success
	assert_ktap_ok
	assert_kernel_log 'umh_helper: rmmod waits until every copy of the doorbell is closed'
	assert_kernel_clean
}

# bats test_tags=points:2
@test "req_seq and ans_seq are published with release and read with acquire, after the fields and before them (Coccinelle)" {
	run ordering kernel "$(submitted umh_kern.c)"
	assert_success
	assert_output ''
	run ordering helper "$(submitted umhd.c)"
	assert_success
	assert_output ''
}

# bats test_tags=points:2
@test "the kernel reads each answer field from the page once, with READ_ONCE (Coccinelle)" {
	run ordering once "$(submitted umh_kern.c)"
	assert_success
	assert_output ''
}
