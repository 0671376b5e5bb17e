#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 5: bug hunt (docs/lab-5.md). Each student's reqcache.c came out of
# bats/lab-5/variant with two bugs planted: one that oopses the lab kernel,
# one that only KERNEL=debug's checkers report. Graded here:
#   - the diagnosis file: each bug's class, function and line, checked
#     against the student's variant (solutions/lab-5-*/sites, which the
#     submission cannot change);
#   - the fix: the submission's reqcache.c runs the grader's scenario
#     (bats/lab-5/scenario.sh, values picked per run) on the lab kernel, and
#     cleanly under KASAN, KFENCE, kmemleak and lockdep on the debug kernel;
#   - crash.gdb: at the panic of the student's module as it was written,
#     with both bugs in, it prints the faulting address and the id of the
#     request being handled, and a backtrace from the faulting instruction,
#     checked against what the kernel printed in the same run.
# The student: KDLAB_STUDENT, else STUDENT (make grade LAB=5 STUDENT=id),
# else the submission's STUDENT file. The diagnosis and crash.gdb need the
# answer key, so they are kdlab:hidden: a student edition grades the fix.

load helpers/kdlab
load lab-5/lib

setup_file() {
	kdlab_submission 5
}

VARIANT=$BATS_TEST_DIRNAME/lab-5/variant

# --- helpers ------------------------------------------------------------

# The id of the student whose variant is graded.
student() {
	local id=${KDLAB_STUDENT:-${STUDENT:-}}
	if [ -z "$id" ] && [ -f "$KDLAB_SUBMISSION/STUDENT" ]; then
		id=$(awk '!/^[[:space:]]*#/ && NF { print $1; exit }' "$KDLAB_SUBMISSION/STUDENT")
	fi
	[ -n "$id" ] || fail "whose lab is it? $KDLAB_SUBMISSION/STUDENT names no one: run 'make lab-5 STUDENT=your-id' (or grade with STUDENT=id)"
	echo "$id"
}

# Builds the submission for kernel $1 (once per file) and makes it the lab
# under test. kdlab_build_lab takes the given files from solutions/.
build_fix() {
	local out=$BATS_FILE_TMPDIR/fix-$1
	if [ ! -f "$out/kdlab.outputs" ]; then
		if [ ! -f "$BATS_FILE_TMPDIR/fix-lab/kdlab.outputs" ]; then
			KERNEL=lab kdlab_build_lab 5 || return 1
			mv "$BATS_FILE_TMPDIR/lab" "$BATS_FILE_TMPDIR/fix-lab"
		fi
		[ "$1" = lab ] || KERNEL=$1 kdlab_build_into "$BATS_FILE_TMPDIR/sources" "$out" || return 1
	fi
	KDLAB_LAB_BUILD=$out
	export KDLAB_LAB_BUILD
}

# Builds the student's module as bats/lab-5/variant writes it, both bugs in,
# with the lab's given files, for the lab kernel (once per file).
build_unfixed() {
	local id src=$BATS_FILE_TMPDIR/unfixed-src out=$BATS_FILE_TMPDIR/unfixed
	id=$(student)
	if [ ! -f "$out/kdlab.outputs" ]; then
		given_files_into 5 "$src" || return 1
		"$VARIANT" source "$id" >"$src/reqcache.c" || return 1
		KERNEL=lab kdlab_build_into "$src" "$out" || return 1
	fi
	KDLAB_LAB_BUILD=$out
	export KDLAB_LAB_BUILD
}

# Runs the scenario once per file and kernel ($1) on the submission, and
# gives every test that asks the same $output, $status and console log.
scenario() {
	local cache=$BATS_FILE_TMPDIR/scenario-$1
	if [ ! -f "$cache.status" ]; then
		build_fix "$1" || return 1
		KERNEL=$1 run vm --timeout 300 "${SCENARIO[@]}" -- "sh scenario.sh $(scenario_values)"
		printf '%s\n' "$output" >"$cache.out"
		cp "$KDLAB_CONSOLE" "$cache.console" 2>/dev/null || : >"$cache.console"
		echo "$status" >"$cache.status"
	fi
	output=$(cat "$cache.out")
	mapfile -t lines <<<"$output"
	status=$(cat "$cache.status")
	cp "$cache.console" "$KDLAB_CONSOLE"
}

# assert_steps N...: steps N... of the scenario's KTAP are "ok".
assert_steps() {
	local n bad=''
	for n; do
		grep -qE "^ok $n " <<<"$output" || bad+="$(grep -E "^not ok $n " <<<"$output" || echo "step $n: did not run")"$'\n'
	done
	[ -z "$bad" ] || fail "the scenario failed:
$bad
(the scenario's output, run-vm's notes and the console are in the test's transcript)"
}

# One verdict of variant grade: assert_diagnosis KIND FIELD.
assert_diagnosis() {
	local id verdicts line
	id=$(student)
	[ -f "$KDLAB_SUBMISSION/diagnosis" ] || fail "no diagnosis file in $KDLAB_SUBMISSION"
	verdicts=$("$VARIANT" grade "$id" "$KDLAB_SUBMISSION/diagnosis") || fail "cannot grade the diagnosis"
	line=$(grep "^$1 $2 " <<<"$verdicts") || fail "no verdict for $1 $2"
	[ "${line#"$1 $2 "}" = ok ] || fail "diagnosis of the $1 bug: $2 ${line#"$1 $2 "}"
}

# Runs the submission's crash.gdb once per file against the student's
# module with both bugs, halted at the panic; keeps gdb's output and the
# console. The truth comes from the kernel's own lines in the console log.
crash_session() {
	local cache=$BATS_FILE_TMPDIR/crash sock=$BATS_TEST_TMPDIR/gdb.sock pid
	if [ ! -f "$cache.out" ]; then
		[ -f "$KDLAB_SUBMISSION/crash.gdb" ] || fail "no crash.gdb in $KDLAB_SUBMISSION"
		build_unfixed || return 1
		KERNEL=lab KDLAB_TIMEOUT=90 run gdb_session "$KDLAB_SUBMISSION/crash.gdb" \
			--halt-on-panic "${SCENARIO[@]}" -- "sh scenario.sh $(scenario_values)"
		printf '%s\n' "${output//$'\r'/}" >"$cache.out"
		# A guest halted in panic() stays until its timeout unless gdb
		# killed it: end this test's QEMU (the one on this socket).
		for pid in $(pgrep -f -- "path=$sock," || true); do
			kill "$pid" 2>/dev/null || true
		done
		for _ in $(seq 50); do
			pgrep -f -- "$sock" >/dev/null || break
			sleep 0.2
		done
		cp "$KDLAB_CONSOLE" "$cache.console" 2>/dev/null || : >"$cache.console"
	fi
	output=$(cat "$cache.out")
	mapfile -t lines <<<"$output"
	cp "$cache.console" "$KDLAB_CONSOLE"
}

# What the kernel said about the oops: truth fault|rip|id.
crash_truth() {
	case $1 in
	fault) kernel_log | sed -nE 's/.*BUG: (unable to handle page fault for address|kernel NULL pointer dereference, address): *([0-9a-f]+).*/\2/p' | head -n1 ;;
	rip) kernel_log | sed -nE 's/.*RIP: [0-9a-f]+:([A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+)( \[([a-z_]+)\])?.*/\1 \3/p' | head -n1 ;;
	id) kernel_log | sed -n '/BUG: /q; s/.*rc-scenario: .* id \([0-9]*\)$/\1/p' | tail -n1 ;;
	esac
}

need_oops() {
	[ -n "$(crash_truth fault)" ] || fail "the module did not oops on a page fault in this run (console: $(kernel_log | grep -E 'BUG|Oops' | head -3))"
}

# The value of the first "KEY=VALUE" line that gdb printed.
answer() {
	sed -n "s/^$1=//p" <<<"$output" | head -n1
}

# --- the diagnosis --------------------------------------------------------

# bats test_tags=points:1,kdlab:hidden
@test "diagnosis: the class of the bug that oopses the lab kernel" {
	assert_diagnosis crash class
}

# bats test_tags=points:1,kdlab:hidden
@test "diagnosis: the function of the bug that oopses the lab kernel" {
	assert_diagnosis crash function
}

# bats test_tags=points:2,kdlab:hidden
@test "diagnosis: the line of the bug that oopses the lab kernel" {
	assert_diagnosis crash line
}

# bats test_tags=points:1,kdlab:hidden
@test "diagnosis: the class of the bug that only the debug kernel reports" {
	assert_diagnosis debug class
}

# bats test_tags=points:1,kdlab:hidden
@test "diagnosis: the function of the bug that only the debug kernel reports" {
	assert_diagnosis debug function
}

# bats test_tags=points:2,kdlab:hidden
@test "diagnosis: the line of the bug that only the debug kernel reports" {
	assert_diagnosis debug line
}

# --- the fix --------------------------------------------------------------

# Steps 1-3 and 8-19 of scenario.sh: the cache's features, so that a fix
# that removes one (no expiry, no reply, no list) does not pass, and a
# thousand adds and drops that must leave no memory behind.
# bats test_tags=points:4,kdlab:debug
@test "the fix keeps the cache working: add, get, set, drop, list, expiry, flush, rmmod" {
	scenario "${KERNEL:-lab}"
	assert_steps 1 2 3 8 9 10 11 12 13 14 15 16 17 18 19
}

# Steps 4-7: the requests that set off most crash bugs.
# bats test_tags=points:3,kdlab:debug
@test "the fix refuses what it must: missing ids, reply slots past the last, bad requests, duplicates" {
	scenario "${KERNEL:-lab}"
	assert_steps 1 4 5 6 7
}

# bats test_tags=points:3,kdlab:debug
@test "the fix runs the whole scenario with no oops, BUG or WARNING on the lab kernel" {
	scenario "${KERNEL:-lab}"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# The debug kernel, whatever KERNEL says: the only place where the second
# bug shows.
# bats test_tags=points:6
@test "the fix runs the scenario cleanly under KASAN, KFENCE, kmemleak and lockdep (KERNEL=debug)" {
	scenario debug
	assert_success
	assert_ktap_ok
	assert_kernel_clean
	refute_kernel_log 'possible (recursive|circular) locking|inconsistent lock state|bad unlock balance|lock held when returning'
}

# --- gdb at the crash -------------------------------------------------------

# bats test_tags=points:2,kdlab:hidden
@test "crash.gdb: the faulting address, at the panic of the module as it was written" {
	crash_session
	need_oops
	local got want
	got=$(answer fault)
	want=0x$(crash_truth fault)
	[ -n "$got" ] || fail "crash.gdb printed no fault= line; gdb printed:
$(tail -n 30 <<<"$output")"
	[ "$((got))" = "$((want))" ] 2>/dev/null ||
		fail "fault: the kernel says $want, crash.gdb printed '$got'"
}

# bats test_tags=points:2,kdlab:hidden
@test "crash.gdb: the id of the request that the crashing command handled" {
	crash_session
	need_oops
	local want
	want=$(crash_truth id)
	[ -n "$want" ] || fail "the scenario announced no request before the oops"
	[ "$(answer id)" = "$want" ] || fail "id: the request had $want, crash.gdb printed '$(answer id)'"
}

# Frame #0 must be where the kernel's RIP is: in the innermost function
# there (an inlined one counts as a frame), as the kernel's own
# scripts/faddr2line places it, at its line or at the one that gdb's line
# table gives the address (they may differ by a statement).
# bats test_tags=points:1,kdlab:hidden
@test "crash.gdb: a backtrace from the faulting instruction (frame #0 is the RIP)" {
	crash_session
	need_oops
	local rip mod object where fn file line at
	read -r rip mod <<<"$(crash_truth rip)"
	[ -n "$rip" ] || fail "no RIP line in the oops"
	object=$KDLAB_KERNEL_DIR/vmlinux
	[ -z "$mod" ] || object=$BATS_FILE_TMPDIR/unfixed/$mod.ko
	where=$("$(kernel_source_dir)/scripts/faddr2line" "$object" "$rip" | sed -n 's/^\([A-Za-z0-9_.]*\) at \(.*\)$/\1 \2/p' | head -n1)
	read -r fn file <<<"$where"
	[ -n "$file" ] || fail "faddr2line cannot place $rip"
	at=${file##*:} file=${file%:*}
	line=$(gdb -batch -nx -ex "info line *(${rip%%/*})" "$object" 2>/dev/null | sed -n 's/^Line \([0-9]*\) of .*/\1/p' | head -n1)
	[ -z "$line" ] || at="$at|$line"
	assert_line --regexp "^#0 +(0x[0-9a-f]+ in )?$fn \(.*\) at (.*/)?${file##*/}:($at)\$"
}
