#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 6: after the fact, a crash dump read with crash and drgn, and a
# recorded run debugged backwards with gdb (docs/lab-6.md).
# Exercises 1 to 4 are crash input files (exN-*.crash) or drgn scripts
# (exN-*.py) of the submission, run by common/postmortem in its sandbox
# against a crash dump that this file makes once per run: a guest
# running lab 1's REFERENCE module with a random request, where programs
# under random names map the page (or only pretend to), and one of them
# writes a random payload into the page and panics the kernel from its own
# write(). The answers are checked against the ground truth that the guest
# printed before the panic ("truth KEY VALUE" lines), so no answer can be
# written in advance. Exercise 5 is a gdb command file, run in
# common/gdb/attach's sandbox against replays of two runs that this file
# records (see "exercise 5" below).

load helpers/kdlab
load helpers/guide

setup_file() {
	kdlab_submission 6
	export KDLAB_TIMEOUT=${KDLAB_TIMEOUT:-60}
	kdlab_build_reference 1
	build_writers
	pick_writers
	make_dump
}

# The boot that made the dump, for the transcripts of failing tests.
setup() {
	cp "$BATS_FILE_TMPDIR/console.log" "$KDLAB_CONSOLE" 2>/dev/null || true
	cp "$BATS_FILE_TMPDIR/run-vm.notes" "$KDLAB_VM_NOTES" 2>/dev/null || true
}

# --- the dump -----------------------------------------------------------

# n distinct random names of 6 to 12 letters (a comm holds 15).
random_names() {
	local names=() name
	while [ ${#names[@]} -lt "$1" ]; do
		name=$(random_word $((6 + RANDOM % 7)))
		[[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
	done
	echo "${names[*]}"
}

# Boots the guest of bats/lab-6/crash.sh with values picked for this run and
# keeps its dump in $LAB6_DUMP and its output (the ground truth) in
# $LAB6_TRUTH. Fails unless the guest panicked, dumped and told its truth.
make_dump() {
	local crasher holder names mappers decoys noise=() status=0
	crasher=$(grader_program lab-6/crasher.c) || return 1
	holder=$(grader_program lab-6/holder.c) || return 1
	names=$(random_names $((1 + 3 + 4 + 1)))
	read -r -a names <<<"$names"
	mappers=${names[*]:0:$((1 + RANDOM % 3))}
	decoys=${names[*]:4:4}
	while [ ${#noise[@]} -lt 9 ]; do noise+=($((RANDOM % 8))); done
	export LAB6_DUMP=$BATS_FILE_TMPDIR/vmcore LAB6_TRUTH=$BATS_FILE_TMPDIR/guest.out
	export LAB6_ID LAB6_PAYLOAD LAB6_HASH LAB6_WORD LAB6_CRASHER=${names[8]}
	LAB6_ID=$(random_u30) LAB6_PAYLOAD=$(random_word 10) LAB6_HASH=$(random_word 14)
	LAB6_WORD=$(random_word $((5 + RANDOM % 8)))
	KDLAB_CONSOLE=$BATS_FILE_TMPDIR/console.log KDLAB_VM_NOTES=$BATS_FILE_TMPDIR/run-vm.notes \
		vm --dump "$LAB6_DUMP" --add "$BATS_TEST_DIRNAME/lab-6/crash.sh" --add "$crasher" --add "$holder" -- \
		"sh crash.sh $((RANDOM % 4000)) $LAB6_ID $LAB6_PAYLOAD $LAB6_HASH $LAB6_WORD $LAB6_CRASHER '$mappers' '$decoys' '${noise[*]}'" \
		>"$LAB6_TRUTH" || status=$?
	[ "$status" -eq 125 ] || {
		echo "the guest did not panic (status $status): $(cat "$LAB6_TRUTH" "$BATS_FILE_TMPDIR/run-vm.notes")" >&3
		return 1
	}
	if [ ! -s "$LAB6_DUMP" ] || ! grep -qx 'truth done' "$LAB6_TRUTH"; then
		echo "no dump, or no ground truth: $(cat "$LAB6_TRUTH" "$BATS_FILE_TMPDIR/run-vm.notes")" >&3
		return 1
	fi
}

# --- helpers ------------------------------------------------------------

# The submission's file for an exercise; fails clearly when it is missing.
exercise() {
	local f=$KDLAB_SUBMISSION/$1
	[ -f "$f" ] || fail "no $1 in $KDLAB_SUBMISSION"
	echo "$f"
}

# run_answer FILE: runs the submission's crash or drgn file FILE against
# the dump, in common/postmortem's sandbox. $output is what it printed.
run_answer() {
	local file tool
	file=$(exercise "$1") || return 1
	case $1 in *.crash) tool=crash ;; *) tool=drgn ;; esac
	kdlab_kernel_dir || return 1
	run timeout "$KDLAB_TIMEOUT" "$KDLAB_ROOT/common/postmortem" --build-dir "$KDLAB_LAB_BUILD" \
		--kernel-dir "$KDLAB_KERNEL_DIR" "$LAB6_DUMP" "$tool" "$file"
}

# The values of the "truth KEY VALUE" lines that the guest printed.
truth() {
	sed -n "s/^truth $1 //p" "$LAB6_TRUTH"
}

# The value of the first "KEY=VALUE" word that the answer printed.
answer() {
	grep -oE "(^| )$1=[^ ]*" <<<"$output" | head -n1 | sed "s/^ \{0,1\}$1=//"
}

# assert_answer KEY EXPECTED: the answer printed KEY=EXPECTED.
assert_answer() {
	local got
	got=$(answer "$1")
	[ "$got" = "$2" ] || fail "$1: expected '$2', the answer printed '${got:-nothing}'
what it printed:
$output"
}

# Lowercase hex of a number, as printf's %#x writes it.
hex() {
	printf '%#x' "$(($1))"
}

# assert_frames FUNCTION...: the answer's frame= lines hold these functions
# in this order, innermost first (crash and drgn list other frames in
# between, not the same ones; a compiler's ".cold" part of a function
# counts as the function).
assert_frames() {
	local frames missing
	frames=$(sed -n 's/^frame=\([^.]*\).*/\1/p' <<<"$output")
	missing=$(awk -v want="$*" 'BEGIN { n = split(want, w, " "); i = 1 }
		i <= n && $0 == w[i] { i++ }
		END { for (; i <= n; i++) print w[i] }' <<<"$frames")
	[ -z "$missing" ] || fail "the stack lacks ${missing//$'\n'/ }, in this order: $*; the frames:
${frames:-none}"
}

# The crashing task's way from its write() to panic(), innermost first.
PANIC_PATH=(panic __handle_sysrq write_sysrq_trigger vfs_write ksys_write do_syscall_64)

# --- the exercises ----------------------------------------------------------

# bats test_tags=points:2
@test "ex1 with crash: the crashing task, its PID, name and stack" {
	local pid comm
	read -r pid comm <<<"$(truth task)"
	[ "$comm" = "$LAB6_CRASHER" ] || fail "the guest's crasher is '$comm', not '$LAB6_CRASHER'"
	run_answer ex1-task.crash
	assert_line "pid=$pid comm=$comm"
	assert_frames "${PANIC_PATH[@]}"
}

# bats test_tags=points:3
@test "ex1 with drgn: the crashing task, its PID, name and stack" {
	local pid comm
	read -r pid comm <<<"$(truth task)"
	run_answer ex1-task.py
	assert_line "pid=$pid comm=$comm"
	assert_frames "${PANIC_PATH[@]}"
}

# bats test_tags=points:3
@test "ex2 with crash: the physical address of the module's page" {
	run_answer ex2-page.crash
	assert_answer phys "$(hex "$(truth phys)")"
}

# bats test_tags=points:3
@test "ex3 with drgn: the request in the page at the crash, read through the crasher's mapping" {
	run_answer ex3-request.py
	assert_answer user "$(truth user)"
	assert_line "id=$LAB6_ID payload=$LAB6_WORD pl_hash=$LAB6_HASH"
}

# bats test_tags=points:4
@test "ex4 with drgn: the processes that map the page, and only those" {
	local expected got
	expected=$({ truth mapper && truth task; } | sort)
	run_answer ex4-mappers.py
	got=$(sed -n 's/^mapper=//p' <<<"$output" | sort)
	[ "$got" = "$expected" ] || fail "expected these mappers (PID NAME):
$expected
the answer printed:
$got
(the guest's decoys, which do not map the page: $(truth decoy | tr '\n' ' '))"
}

# --- exercise 5: the recordings --------------------------------------------

# Each recording runs bats/lab-6/scribble.sh: lab 1's reference module
# with a random request, then four writers (bats/lab-6/writers), each
# writing one byte of the page once after a random delay. The one picked
# for the recording replaces a letter of the payload (not its first) with
# an upper-case one; the others write past the request. The guest prints
# who each writer was ("truth writer KIND PID COMM") but not where it
# wrote; this file knows which writer it picked.

# The function that each kind of writer writes from (scribbler.c).
writer_function() {
	case $1 in
	program | helper) echo poke_write ;;
	thread) echo scribble_thread ;;
	timer) echo scribble_timer ;;
	esac
}

# The writers' module and program, built into the lab's build folder,
# where gdb's lx-symbols finds the module.
build_writers() {
	KDLAB_BUILD_SANDBOXED=1 lab_build "$BATS_TEST_DIRNAME/lab-6/writers" "$KDLAB_KERNEL_DIR" \
		"${KERNEL:-lab}" "$KDLAB_LAB_BUILD/writers" 2>"$BATS_FILE_TMPDIR/writers.log" || {
		cat "$BATS_FILE_TMPDIR/writers.log" >&3
		return 1
	}
}

# Picks the writers of recordings A and B: two whose functions differ, so
# that no one answer is right for both.
pick_writers() {
	local writers=(program helper thread timer)
	export LAB6_WRITER_A LAB6_WRITER_B
	LAB6_WRITER_A=${writers[RANDOM % 4]}
	LAB6_WRITER_B=$LAB6_WRITER_A
	while [ "$(writer_function "$LAB6_WRITER_B")" = "$(writer_function "$LAB6_WRITER_A")" ]; do
		LAB6_WRITER_B=${writers[RANDOM % 4]}
	done
}

# recording NAME KIND: the folder of recording NAME, where KIND corrupts
# the request, made by the first test that needs it (tests that run at
# once wait for it): the recording (rec, rec.*), the guest's output
# (guest.out) and the right answer (expected: the function's line, then
# the task's), or why there is none (failed).
recording() {
	local dir=$BATS_FILE_TMPDIR/recording-$1
	mkdir -p "$dir"
	(
		flock 9
		if [ ! -f "$dir/expected" ] && [ ! -f "$dir/failed" ]; then
			make_recording "$dir" "$2" >"$dir/failed" 2>&1 && rm "$dir/failed"
		fi
	) 9>"$dir.lock"
	echo "$dir"
}

# make_recording DIR KIND: records a run where KIND corrupts the request.
make_recording() {
	local dir=$1 kind=$2 names payload letter at=() w status=0 task
	read -r -a names <<<"$(random_names 3)"
	payload=$(random_word $((10 + RANDOM % 6)))
	letter=$((RANDOM % 26 + 65))
	for w in program helper thread timer; do
		if [ "$w" = "$kind" ]; then
			# The payload is at offset 4 of the page.
			at+=("$((RANDOM % 300)) $((4 + 1 + RANDOM % (${#payload} - 1))) $letter")
		else
			at+=("$((RANDOM % 300)) $((2100 + RANDOM % 1900)) $((RANDOM % 256))")
		fi
	done
	KDLAB_CONSOLE=$dir/console.log KDLAB_VM_NOTES=$dir/run-vm.notes \
		vm --record "$dir/rec" --add "$KDLAB_LAB_BUILD/writers/scribbler.ko" \
		--add "$KDLAB_LAB_BUILD/writers/poke" --add "$BATS_TEST_DIRNAME/lab-6/scribble.sh" -- \
		"sh scribble.sh $(random_u30) $payload $(random_word 12) $((RANDOM % 40)) ${names[*]}" \
		"'${at[0]}' '${at[1]}' '${at[2]}' '${at[3]}'" >"$dir/guest.out" || status=$?
	if [ "$status" -ne 0 ] || ! grep -qx 'truth writes 4' "$dir/guest.out"; then
		echo "the recording failed (status $status): $(cat "$dir/guest.out" "$dir/run-vm.notes")"
		return 1
	fi
	case $kind in
	program) task=$(sed -n "s/^truth writer poke \([0-9]*\) ${names[0]}\$/\1 ${names[0]}/p" "$dir/guest.out") ;;
	helper) task=$(sed -n "s/^truth writer poke \([0-9]*\) ${names[1]}\$/\1 ${names[1]}/p" "$dir/guest.out") ;;
	*) task=$(sed -n "s/^truth writer $kind //p" "$dir/guest.out") ;;
	esac
	[ -n "$task" ] || {
		echo "the guest did not say who its $kind writer was: $(cat "$dir/guest.out")"
		return 1
	}
	printf 'function=%s\npid=%s comm=%s\n' "$(writer_function "$kind")" "${task%% *}" "${task#* }" \
		>"$dir/expected"
}

# assert_writer NAME: the submission's ex5-writer.gdb, run against a
# replay of a recording where writer $LAB6_WRITER_NAME corrupts the
# request, names that writer: its first function= and pid= lines are the
# right ones.
# A replay under the reference takes 10 to 15 s (30 s on a loaded host),
# but now and then QEMU 7.2's reverse-continue never comes back on a
# recording (1 of 16 in a row, seen here): after 60 s, the file runs again
# on a new recording, three times at most.
assert_writer() {
	local writer=LAB6_WRITER_$1 attempt dir file
	file=$(exercise ex5-writer.gdb) || return 1
	for attempt in 1 2 3; do
		dir=$(recording "$1-$attempt" "${!writer}")
		[ ! -f "$dir/failed" ] || fail "recording $1: $(cat "$dir/failed")"
		KDLAB_TIMEOUT=60 run gdb_session "$file" --replay "$dir/rec" --
		[ "$status" -eq 124 ] || break
		echo "# recording $1-$attempt: no answer in 60 s" >&3
	done
	[ "$status" -ne 124 ] || fail "no answer in 60 s, on each of three recordings" \
		"(does the file keep a breakpoint set when it reverses? see docs/lab-6.md)"
	assert_answer function "$(sed -n 's/^function=//p' "$dir/expected")"
	assert_answer pid "$(sed -n 's/^pid=\([^ ]*\) .*/\1/p' "$dir/expected")"
	assert_answer comm "$(sed -n 's/^pid=[^ ]* comm=//p' "$dir/expected")"
}

# bats test_tags=points:3
@test "ex5 with gdb: a recorded run, backwards: who corrupted the request (recording A)" {
	assert_writer A
}

# bats test_tags=points:3
@test "ex5 with gdb: a recorded run, backwards: who corrupted the request (recording B)" {
	assert_writer B
}

# --- the guide --------------------------------------------------------------

# Each worked example of docs/lab-6.md is a fenced block after a comment
# "<!-- guest: NAME -->" (what the guest runs), and transcripts after
# "<!-- crash: NAME -->", "<!-- drgn: NAME -->" (against a dump of that
# guest, which crashes), "<!-- gdb: NAME -->" (gdb on the live guest,
# halted in panic()) or "<!-- replay: NAME -->" (gdb on a replay of a
# recording of the guest). The test runs the guide's own commands and
# compares.

GUIDE=$BATS_TEST_DIRNAME/../docs/lab-6.md

# The transcripts of the guide, as "KIND NAME" lines, in order.
doc_transcripts() {
	sed -n 's/^<!-- \(crash\|drgn\|gdb\|replay\): \(.*\) -->$/\1 \2/p' "$GUIDE"
}

# doc_inputs KIND NAME: the input lines of a transcript, prompts removed.
doc_inputs() {
	case $1 in
	crash) doc_block crash "$2" | sed -n 's/^crash> //p' ;;
	drgn) doc_block drgn "$2" | sed -n 's/^\(>>>\|\.\.\.\) \{0,1\}//p' ;;
	gdb | replay) doc_block "$1" "$2" | sed -n 's/^(gdb) //p' ;;
	esac
}

# doc_dump NAME: a dump of the example's guest, made once per run.
doc_dump() {
	local dump=$BATS_FILE_TMPDIR/doc-$1.vmcore status=0
	if [ ! -s "$dump" ]; then
		vm --dump "$dump" -- "$(doc_block guest "$1")" >"$BATS_TEST_TMPDIR/doc-$1.out" || status=$?
		if [ "$status" -ne 125 ] || [ ! -s "$dump" ]; then
			fail "docs/lab-6.md: the guest of $1 did not panic with a dump (status $status)"
		fi
	fi
	echo "$dump"
}

# doc_run KIND NAME: runs a transcript's inputs with its tool, as the guide
# shows it, into $BATS_TEST_TMPDIR/KIND-NAME.out.
doc_run() {
	local kind=$1 name=$2 input=$BATS_TEST_TMPDIR/$1-$2.in out=$BATS_TEST_TMPDIR/$1-$2.out dump
	case $kind in
	crash)
		# A marker before each command: crash does not echo its input.
		doc_inputs crash "$name" | awk '{ print "!echo kdlab-next-command"; print }' >"$input"
		;;
	drgn)
		# bats/lab-6/repl.py types the lines at a drgn prompt of its own.
		{
			doc_inputs drgn "$name" | python3 -c 'import json, sys; print("SESSION = " + json.dumps(sys.stdin.read()))'
			cat "$BATS_TEST_DIRNAME/lab-6/repl.py"
		} >"$input"
		;;
	gdb)
		{ echo 'set trace-commands on' && doc_inputs gdb "$name"; } >"$input"
		gdb_session "$input" --halt-on-panic -- "$(doc_block guest "$name")" >"$out" 2>&1 || true
		return
		;;
	replay)
		# A new recording when reverse-continue does not come back, as
		# for exercise 5 (assert_writer).
		{ echo 'set trace-commands on' && doc_inputs replay "$name"; } >"$input"
		for _ in 1 2 3; do
			vm --record "$BATS_TEST_TMPDIR/$name.rec" -- "$(doc_block guest "$name")" >/dev/null ||
				fail "docs/lab-6.md: the guest of $name failed while recorded"
			KDLAB_TIMEOUT=60 gdb_session "$input" --replay "$BATS_TEST_TMPDIR/$name.rec" -- \
				>"$out" 2>&1 && return
			[ $? -eq 124 ] || return 0
		done
		return
		;;
	esac
	dump=$(doc_dump "$name") || return 1
	timeout "$KDLAB_TIMEOUT" "$KDLAB_ROOT/common/postmortem" --build-dir "$KDLAB_LAB_BUILD" \
		--kernel-dir "$KDLAB_KERNEL_DIR" "$dump" "$kind" "$input" >"$out" 2>&1 || true
}

# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-6.md: every worked example prints what the guide shows" {
	local kind name kinds=''
	kdlab_kernel_dir
	while read -r kind name; do
		kinds+=" $kind"
		[ -n "$(doc_block guest "$name")" ] || fail "docs/lab-6.md: $name has no guest commands"
		[ -n "$(doc_inputs "$kind" "$name")" ] || fail "docs/lab-6.md: the $kind transcript of $name runs nothing"
		doc_patterns "$kind" "$name" >"$BATS_TEST_TMPDIR/$kind-$name.pat"
		doc_run "$kind" "$name"
		run match_in_order "$BATS_TEST_TMPDIR/$kind-$name.pat" "$BATS_TEST_TMPDIR/$kind-$name.out"
		[ "$status" -eq 0 ] || fail "docs/lab-6.md, $kind on $name: $output
what $kind printed:
$(cat "$BATS_TEST_TMPDIR/$kind-$name.out")"
	done < <(doc_transcripts)
	for kind in crash drgn gdb replay; do
		[[ $kinds == *" $kind"* ]] || fail "docs/lab-6.md has no $kind transcript"
	done
}
