# shellcheck shell=bash
# What every grader shares. Load it first thing in a .bats file:
#   load helpers/kdlab
# The environment says what is graded (common/grade sets it):
#   KDLAB_SUBMISSION  the lab folder under test (default: labs/lab-N-*)
#   KDLAB_RESULTS     where failing tests leave their console transcripts
#   KERNEL            lab (default) or debug
#   KDLAB_TIMEOUT     seconds a guest may run per test (default 60)

# bats-support and bats-assert. Their load.bash runs dirname once per file
# it sources, 16 processes in every test: their files are sourced here
# instead, from the folder that bats_load_library would use.
kdlab_load_library() {
	local dir file dirs
	IFS=: read -ra dirs <<<"${BATS_LIB_PATH:-}"
	for dir in "${dirs[@]}"; do
		[ -f "$dir/$1/load.bash" ] || continue
		for file in "$dir/$1"/src/*.bash; do
			# shellcheck source=/dev/null
			source "$file" || return 1
		done
		return 0
	done
	bats_load_library "$1"
}
kdlab_load_library bats-support
kdlab_load_library bats-assert

# Every VM of a run keeps its files under the run's own folder, which lets
# the suite check that no QEMU outlived it.
export TMPDIR=$BATS_RUN_TMPDIR

# lib.sh sets KDLAB_ROOT from its own place.
# shellcheck source=common/lib.sh
. "${BASH_SOURCE[0]%/*}/../../common/lib.sh"
export KDLAB_ROOT

# The shell libraries that guest scenarios source (KTAP, the leak checks):
# --add "$GUEST/ktap.sh" puts one next to the scenario in /lab.
# shellcheck disable=SC2034 # the graders use it
GUEST=$KDLAB_ROOT/bats/guest

# page_loss_limit N: how many pages a leak check (fewer_lost in
# $GUEST/memory.sh) lets go missing: N on the lab kernel, where the count
# moves by a few pages; "-" (count, do not judge) on the debug kernel, where
# KASAN's quarantine holds freed objects' pages and moves it by hundreds,
# and kmemleak and KASAN judge instead.
page_loss_limit() {
	if [ "${KERNEL:-lab}" = lab ]; then echo "$1"; else echo -; fi
}

# Sets KDLAB_KERNEL_DIR to the build folder of the kernel under test
# (${KERNEL:-lab}), found once per variant and file with lib.sh's
# kernel_build, and handed to every build, run-vm and gdb below.
kdlab_kernel_dir() {
	local cached=KDLAB_KERNEL_DIR_${KERNEL:-lab} dir
	if [ -z "${!cached:-}" ]; then
		dir=$(kernel_build "${KERNEL:-lab}") || return 1
		export "$cached=$dir"
	fi
	KDLAB_KERNEL_DIR=${!cached}
}

# kdlab_submission N: sets and exports KDLAB_SUBMISSION, the folder under
# test, as an absolute path: the one that common/grade hands in, else lab
# N's skeleton in labs/. Call it from setup_file.
kdlab_submission() {
	KDLAB_SUBMISSION=$(realpath "${KDLAB_SUBMISSION:-$(lab_source_dir labs "$1")}") || return 1
	export KDLAB_SUBMISSION
}

# Builds lab N (the submission under test) once per file, into a scratch
# copy, for the kernel variant under test. Call it from setup_file.
# Only the student's work comes from the submission: the files that the lab
# gives complete come from the project (lab_sources in common/lib.sh).
# With one test at a time, common/grade starts this very build before bats
# starts: it looks for this call in the grader.
kdlab_build_lab() {
	local sources=$BATS_FILE_TMPDIR/sources
	kdlab_submission "$1" || return 1
	lab_sources "$1" "$KDLAB_SUBMISSION" "$sources" || return 1
	kdlab_build_into "$sources" "$BATS_FILE_TMPDIR/lab"
}

# Builds the REFERENCE of each lab given (labs that a grader runs as they
# are, such as lab 4's gdb targets) into one build folder, which becomes
# the lab under test: its modules and programs all go to /lab. The labs
# build at once: much of a module build is one step after another. The
# project's own code builds the same in every grade: its builds are kept in
# the cache (KDLAB_REFERENCE_BUILDS lists the ones in use, for gdb's
# sandbox): about 3 s off each lab 4 grade.
kdlab_build_reference() {
	local lab out=$BATS_FILE_TMPDIR/lab pids=() pid failed=0
	mkdir -p "$out" "$KDLAB_CACHE/builds"
	kdlab_kernel_dir || return 1
	for lab; do
		kdlab_build_into "$(lab_source_dir solutions "$lab")" "$out/lab-$lab" "$out/lab-$lab.log" \
			"$KDLAB_CACHE/builds" &
		pids+=("$!")
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || failed=1
	done
	[ "$failed" = 0 ] || return 1
	: >"$out/kdlab.outputs.all"
	for lab; do
		# /lab takes each lab's outputs but its demo.
		grep -vx demo.sh "$out/lab-$lab/kdlab.outputs" | sed "s|^|lab-$lab/|" >>"$out/kdlab.outputs.all"
	done
	while read -r name; do
		ln -sf "$name" "$out/${name##*/}"
		echo "${name##*/}"
	done <"$out/kdlab.outputs.all" >"$out/kdlab.outputs"
	KDLAB_REFERENCE_BUILDS=
	for lab; do
		KDLAB_REFERENCE_BUILDS+=${KDLAB_REFERENCE_BUILDS:+:}$(<"$out/lab-$lab/.kdlab-built-in")
	done
	KDLAB_LAB_BUILD=$out
	export KDLAB_LAB_BUILD KDLAB_REFERENCE_BUILDS
}

# kdlab_build_into SRC OUT [LOG [CACHE]]
# Builds lab folder SRC into OUT, which becomes the lab under test; on a
# build error, shows the compiler's output (kept in LOG, by default the
# file's build.log) in the test's report.
# common/grade runs a grader as several bats runs (JOBS=N, and the
# kdlab:serial tests apart), each with its own setup_file: they share their
# builds in KDLAB_BUILD_SHARE (or CACHE, a share kept across grades, where
# a failed build is made again), so a grade builds each source once,
# whatever its JOBS (shared_build in common/lib.sh). OUT/.kdlab-built-in
# names the folder of the build, whose path gdb's line tables hold
# (common/gdb/attach shows it to gdb).
kdlab_build_into() {
	local src=$1 out=$2 log=${3:-$BATS_FILE_TMPDIR/build.log} cache=${4:-}
	local share=${4:-${KDLAB_BUILD_SHARE:-}} shared
	kdlab_kernel_dir || return 1
	if [ -z "$share" ]; then
		kdlab_build_sandboxed "$src" "$out" 2>"$log" || {
			cat "$log" >&3
			return 1
		}
	else
		if ! shared=$(shared_build "$src" "$KDLAB_KERNEL_DIR" "${KERNEL:-lab}" "$share" "$cache"); then
			[ -z "$shared" ] || cat "$shared.log" >&3
			return 1
		fi
		mkdir -p "$out" && cp -a "$shared/." "$out/" && echo "$shared" >"$out/.kdlab-built-in" ||
			return 1
	fi
	KDLAB_LAB_BUILD=$out
	export KDLAB_LAB_BUILD
}

# The build itself: a submission's code is compiled in the sandbox.
kdlab_build_sandboxed() {
	KDLAB_BUILD_SANDBOXED=1 lab_build "$1" "$KDLAB_KERNEL_DIR" "${KERNEL:-lab}" "$2"
}

# Compiles one of the grader's own guest programs, bats/lab-N/NAME.c (a
# prober, a hostile helper), statically with the project's headers; prints
# the binary's path for `--add`. The submission never sees or builds these,
# so it cannot change what checks it. Every grade needs the same binaries:
# they are kept in the cache, named by a hash of the source, the headers and
# the compiler (-static takes 0.3 to 0.4 s a program, which each bats run of
# a JOBS=N grade paid again), and looked up once per file.
grader_program() {
	local src=$BATS_TEST_DIRNAME/$1 name out key cached tmp
	name=${1##*/}
	name=${name%.c}
	out=$BATS_FILE_TMPDIR/grader-bin/$name
	if [ ! -x "$out" ]; then
		key=$( (cat "$src" "$KDLAB_ROOT"/common/include/* && gcc --version) | sha256sum) ||
			return 1
		cached=$KDLAB_CACHE/grader-bin/$name-${key:0:16}
		if [ ! -x "$cached" ]; then
			# Grades and bats runs at once may compile it together:
			# each into a file of its own, renamed into place whole.
			mkdir -p "${cached%/*}" || return 1
			tmp=$(mktemp "$cached.XXXXXX") || return 1
			if ! gcc -static -O2 -Wall -Werror -I"$KDLAB_ROOT/common/include" \
				-o "$tmp" "$src" >&2; then
				rm -f "$tmp"
				return 1
			fi
			mv -f "$tmp" "$cached"
		fi
		mkdir -p "${out%/*}" && ln -sfn "$cached" "$out" || return 1
	fi
	echo "$out"
}

# The console log of the current test's last boot, and run-vm's notes
# (a panic, a timeout, a KVM fallback): kept out of $output, which holds
# only what the guest's command printed.
KDLAB_CONSOLE=${BATS_TEST_TMPDIR:-$BATS_RUN_TMPDIR}/console.log
KDLAB_VM_NOTES=${BATS_TEST_TMPDIR:-$BATS_RUN_TMPDIR}/run-vm.notes

# Boots the guest with the lab's build in /lab and runs a shell command
# there: use it as `run vm 'insmod x.ko && ...'`. run-vm options go before
# a `--`: `run vm --timeout 5 -- 'cmd'`. The boot's console log is kept in
# $KDLAB_CONSOLE for the kernel-log assertions.
vm() {
	local opts=() i
	for ((i = 1; i <= $#; i++)); do
		if [ "${!i}" = -- ]; then
			opts=("${@:1:i-1}")
			shift "$i"
			break
		fi
	done
	kdlab_kernel_dir || return 1
	"$KDLAB_ROOT/common/run-vm" ${KDLAB_LAB_BUILD:+--build-dir "$KDLAB_LAB_BUILD"} \
		--kernel "${KERNEL:-lab}" --kernel-dir "$KDLAB_KERNEL_DIR" \
		--timeout "${KDLAB_TIMEOUT:-60}" \
		--log "$KDLAB_CONSOLE" "${opts[@]}" -- "$@" 2>>"$KDLAB_VM_NOTES"
}

# Asserts that run-vm said TEXT about the test's boots (see vm).
assert_vm_note() {
	grep -qF -- "$1" "$KDLAB_VM_NOTES" 2>/dev/null ||
		fail "run-vm did not say '$1'; it said:
$(cat "$KDLAB_VM_NOTES" 2>/dev/null)"
}

# Boots the guest halted with its gdbstub, runs a gdb command file against
# it in batch while the guest runs a shell command, and waits for both:
#   run gdb_session FILE.gdb [run-vm options] -- 'guest command'
# $output is what gdb printed; the guest's output is in $KDLAB_GUEST_OUTPUT.
# gdb gets vmlinux, the lx- commands and lx-symbols on the lab's build, and
# starts at start_kernel; FILE runs in attach's sandbox, since it may be a
# student's (see common/gdb/attach).
KDLAB_GUEST_OUTPUT=${BATS_TEST_TMPDIR:-$BATS_RUN_TMPDIR}/guest.out
gdb_session() {
	local file=$1 sock=$BATS_TEST_TMPDIR/gdb.sock vm_pid status=0 halts='' arg
	shift
	[ "$1" = -- ] || [ "${1#-}" != "$1" ] || set -- -- "$@"
	for arg; do
		[ "$arg" != -- ] || break
		[ "$arg" != --halt-on-panic ] || halts=1
	done
	kdlab_kernel_dir || return 1
	vm --gdb="$sock" "$@" >"$KDLAB_GUEST_OUTPUT" 2>&1 &
	vm_pid=$!
	# QEMU listens within about 0.1 s: short steps, since every test
	# waits for it (and for gdb's end, below).
	for _ in {1..500}; do
		[ -S "$sock" ] && break
		kill -0 "$vm_pid" 2>/dev/null || break
		sleep 0.02
	done
	timeout "${KDLAB_TIMEOUT:-60}" "$KDLAB_ROOT/common/gdb/attach" \
		${KDLAB_LAB_BUILD:+--build-dir "$KDLAB_LAB_BUILD"} --kernel "${KERNEL:-lab}" \
		--kernel-dir "$KDLAB_KERNEL_DIR" \
		--socket "$sock" --sandbox "$file" 2>&1 || status=$?
	# A guest halted in panic() (--halt-on-panic) has no more to say once
	# gdb is done; any other goes on to the end of its command, or to its
	# timeout if gdb left it stopped.
	while [ -n "$halts" ] && kill -0 "$vm_pid" 2>/dev/null; do
		if grep -qa 'Kernel panic - not syncing' "$KDLAB_CONSOLE" 2>/dev/null; then
			# vm_pid is the subshell of `vm &`: end its run-vm, whose
			# trap ends QEMU.
			pkill -TERM -P "$vm_pid" 2>/dev/null || true
		fi
		sleep 0.05
	done
	wait "$vm_pid" || true
	return "$status"
}

# The kernel's messages from the last boot, without the boot's own noise.
kernel_log() {
	tr -d '\r' <"$KDLAB_CONSOLE"
}

# Fails when the last boot's kernel log holds an oops, a BUG, a WARNING,
# a KASAN/KFENCE/UBSAN report or a kmemleak finding.
assert_kernel_clean() {
	local bad
	bad=$(grep -aE -m5 \
		'Oops|BUG:|kernel BUG|WARNING:|general protection fault|KASAN:|KFENCE:|UBSAN:|unreferenced object|Kernel panic' \
		"$KDLAB_CONSOLE") || true
	bad=${bad//$'\r'/}
	[ -z "$bad" ] || fail "the kernel complained:
$bad"
}

# Asserts that the last boot's kernel log has a line matching the extended
# regular expression.
assert_kernel_log() {
	kernel_log | grep -qE -- "$1" ||
		fail "no kernel log line matches '$1'"
}

refute_kernel_log() {
	local line
	line=$(kernel_log | grep -E -m1 -- "$1" || true)
	[ -z "$line" ] || fail "the kernel log has: $line"
}

# Guest scenarios (bats/lab-N/*.sh, *.c) report in KTAP, the kernel's own
# test format (Documentation/dev-tools/ktap.rst): a "KTAP version 1" line,
# a plan "1..N", then "ok I NAME" or "not ok I NAME" per step, with "# "
# diagnostic lines in between. assert_ktap_ok checks the scenario's KTAP in
# $output: a plan, as many results as planned, none of them "not ok".
assert_ktap_ok() {
	local plan results bad
	# shellcheck disable=SC2154 # $output is set by bats' run
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' <<<"$output" | head -n1)
	[ -n "$plan" ] || fail "the scenario printed no KTAP plan (1..N):
$output"
	results=$(grep -cE '^(not )?ok [0-9]+ ' <<<"$output" || true)
	bad=$(grep -E '^not ok [0-9]+ ' <<<"$output" || true)
	[ -z "$bad" ] || fail "the scenario failed:
$bad
its whole output:
$output"
	[ "$results" -eq "$plan" ] || fail "the scenario planned $plan steps and reported $results:
$output"
}

# Graders pick values per run, so no answer can be hard-coded. Each of
# these prints its value, or with -v VAR puts it in VAR as printf -v does:
# a $(...) costs a fork, 6 ms here and 9 ms beside another test, and a
# test may pick a dozen values. SRANDOM comes from the kernel's getrandom().

# random_u30 [-v VAR]: a random number in [1, 2^30].
random_u30() {
	if [ "${1:-}" = -v ]; then
		printf -v "$2" '%d' $((SRANDOM % (1 << 30) + 1))
	else
		echo $((SRANDOM % (1 << 30) + 1))
	fi
}

# random_word [-v VAR] N: a random lowercase word of N letters: the
# letters among random bytes, read by the shell itself. Not a letter at a
# time: in a test, bats' DEBUG trap runs for every command, and a loop took
# 0.75 ms a letter (3.7 s for lab 3's 5000-letter name; now 55 ms).
random_word() {
	local LC_ALL=C _word='' _bytes _var=
	if [ "${1:-}" = -v ]; then
		_var=$2
		shift 2
	fi
	while [ ${#_word} -lt "${1:-8}" ]; do
		# About one byte in ten is a letter.
		read -r -d '' -N $(((${1:-8} - ${#_word}) * 12 + 64)) _bytes </dev/urandom || true
		_word+=${_bytes//[!a-z]/}
	done
	_word=${_word:0:${1:-8}}
	if [ -n "$_var" ]; then
		printf -v "$_var" '%s' "$_word"
	else
		printf '%s' "$_word"
	fi
}

# A random health-check request for labs 1 and 2, in ID, PAYLOAD and HASH
# (the article's id, payload and pl_hash).
random_request() {
	random_u30 -v ID
	random_word -v PAYLOAD 12
	random_word -v HASH 16
}
