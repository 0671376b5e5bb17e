#!/usr/bin/env bats
# The harness itself, proven on the smoke module in bats/smoke (not a lab).
# Not graded: `make test` runs it before the labs' graders.

load helpers/kdlab

setup_file() {
	KDLAB_SUBMISSION=$BATS_TEST_DIRNAME/smoke kdlab_build_lab smoke
}

@test "run-vm prints the command's output and exits with its status" {
	run vm 'echo hi; exit 3'
	assert_equal "$status" 3
	assert_output hi
}

@test "a module forging status lines on every tty cannot change the verdict" {
	# Lines without this boot's token, and lines with a made-up one.
	run vm 'insmod forger.ko output=0 && sleep 0.1; exit 3'
	assert_equal "$status" 3
	assert_output ''
	assert_kernel_log 'kdlab: exit status 0'
}

@test "a forged status line from user space, and forged output, are refused" {
	local sum
	sum=$(printf 'kdlab-status\n' | sha256sum | cut -d' ' -f1)
	run vm "cat /etc/kdlab/token || echo 'no token to read'
		echo kdlab-status \$(od -An -N16 -tx1 /dev/urandom | tr -d ' ') 0 $sum >/dev/ttyS2
		exit 1"
	assert_equal "$status" 1
	assert_line 'no token to read'
	# The forger also writes to the output port: its bytes are caught.
	run vm 'insmod forger.ko && echo fine'
	assert_equal "$status" 126
	assert_vm_note 'run-vm: the output port carried bytes that the command did not write'
}

@test "background processes of the command do not hold the guest up" {
	SECONDS=0
	run vm 'sleep 100 & (sleep 100; echo late) & echo started'
	assert_success
	assert_output started
	[ "$SECONDS" -le 10 ]
}

@test "a module loads in the guest and its printk reaches the kernel log" {
	secret=$(random_u30)
	run vm "insmod smoke.ko secret=$secret && ./hello"
	assert_success
	assert_output 'hello from a static user program'
	assert_kernel_log "smoke: computed $((secret * 2))\$"
	assert_kernel_clean
}

@test "a panicking module is reported as a kernel panic within 10 s" {
	SECONDS=0
	run vm 'insmod smoke.ko mode=panic; echo survived'
	assert_equal "$status" 125
	refute_output --partial survived
	assert_vm_note 'run-vm: kernel panic: smoke: panic requested'
	assert_vm_note "console log: $KDLAB_CONSOLE"
	[ "$SECONDS" -le 10 ]
}

@test "under KERNEL=debug a KASAN report fails assert_kernel_clean" {
	BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR KERNEL=debug \
		KDLAB_SUBMISSION=$BATS_TEST_DIRNAME/smoke kdlab_build_lab smoke
	KERNEL=debug run vm 'insmod smoke.ko mode=uaf'
	assert_success
	assert_kernel_log 'BUG: KASAN: .*use-after-free in smoke_use_after_free'
	run assert_kernel_clean
	assert_failure
	assert_output --partial 'KASAN'
}

@test "a hanging module is reported as a timeout" {
	SECONDS=0
	run vm --timeout 5 -- 'insmod smoke.ko mode=hang; echo survived'
	assert_equal "$status" 124
	refute_output --partial survived
	assert_vm_note 'run-vm: timed out after 5 s'
	[ "$SECONDS" -le 12 ]
}

@test "a hanging command is reported as a timeout" {
	run vm --timeout 3 -- 'sleep 100'
	assert_equal "$status" 124
	assert_vm_note 'run-vm: timed out after 3 s'
}

@test "--add copies a host file into the guest, with its mode" {
	word=$(random_word 12)
	echo "$word" >"$BATS_TEST_TMPDIR/note.txt"
	chmod 0751 "$BATS_TEST_TMPDIR/note.txt"
	run vm --add "$BATS_TEST_TMPDIR/note.txt:/tmp/note" -- 'cat /tmp/note; stat -c %a /tmp/note'
	assert_success
	assert_output "$word
751"
}

@test "ACCEL=kvm cannot hang: it works, or falls back to TCG within seconds" {
	SECONDS=0
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR ACCEL=kvm run vm 'echo up'
	assert_success
	# A fallback's note goes to run-vm's notes, not into the output.
	assert_output up
	[ "$SECONDS" -le 20 ]
}

@test "bad options get a clear error" {
	run "$KDLAB_ROOT/common/run-vm" --frobnicate
	assert_equal "$status" 2
	assert_output --partial "unknown option '--frobnicate'"
	run "$KDLAB_ROOT/common/run-vm" --timeout soon -- true
	assert_equal "$status" 2
	assert_output --partial 'whole seconds'
}

@test "gdb attaches in batch, breaks in the smoke module and reads a local" {
	secret=$(random_u30)
	cat >"$BATS_TEST_TMPDIR/session.gdb" <<-'GDB'
		break smoke_compute
		continue
		printf "seed=%d\n", seed
		printf "doubled=%d\n", doubled
		detach
	GDB
	run gdb_session "$BATS_TEST_TMPDIR/session.gdb" -- "insmod smoke.ko secret=$secret"
	assert_success
	assert_line "seed=$secret"
	assert_line "doubled=$((secret * 2))"
	assert_kernel_log "smoke: computed $((secret * 2))\$"
}

@test "--halt-on-panic stops an oopsing guest for gdb, and the session ends at once" {
	cat >"$BATS_TEST_TMPDIR/panic.gdb" <<-'GDB'
		break panic
		continue
		bt
	GDB
	SECONDS=0
	run gdb_session "$BATS_TEST_TMPDIR/panic.gdb" --halt-on-panic -- 'insmod smoke.ko mode=oops'
	assert_success
	assert_output --regexp 'Breakpoint [0-9]+, panic \('
	assert_output --regexp '#[0-9]+ .* oops_end '
	assert_kernel_log 'BUG: kernel NULL pointer dereference'
	[ "$SECONDS" -le 25 ]
}

@test "a graded gdb file cannot read the grader's files, write on the host or use QEMU's monitor" {
	local secret escaped=$BATS_TEST_TMPDIR/escaped
	secret=$(random_word 16)
	echo "$secret" >"$BATS_TEST_TMPDIR/truth.txt"
	cat >"$BATS_TEST_TMPDIR/cheat.gdb" <<-GDB
		shell cat $KDLAB_GUEST_OUTPUT $BATS_TEST_TMPDIR/truth.txt $KDLAB_ROOT/README.md
		shell touch $escaped.shell; echo "shell ran, in \$(pwd)"
		python
		for path in ("$BATS_TEST_TMPDIR/truth.txt", "$escaped.python"):
		    try:
		        print(open(path, "a+").read())
		    except OSError as e:
		        print("python:", e.strerror)
		end
		monitor pmemsave 0 4096 $escaped.monitor
	GDB
	run gdb_session "$BATS_TEST_TMPDIR/cheat.gdb" -- "echo truth $secret"
	assert_failure
	assert_line 'shell ran, in /tmp'
	assert_line 'python: No such file or directory'
	assert_line --partial 'does not support this command'
	refute_output --partial "$secret"
	grep -q "truth $secret" "$KDLAB_GUEST_OUTPUT"
	run compgen -G "$escaped.*"
	assert_failure
}

@test "a run that went well leaves no files behind; a panic keeps its console log" {
	local before
	before=$(find "$TMPDIR" -maxdepth 1 -name 'kdlab-run.*' | wc -l)
	"$KDLAB_ROOT/common/run-vm" -- true
	"$KDLAB_ROOT/common/run-vm" -- false || true
	assert_equal "$(find "$TMPDIR" -maxdepth 1 -name 'kdlab-run.*' | wc -l)" "$before"
	run "$KDLAB_ROOT/common/run-vm" --build-dir "$KDLAB_LAB_BUILD" -- 'insmod smoke.ko mode=panic'
	assert_equal "$status" 125
	log=$(sed -n 's/^run-vm: console log: //p' <<<"$output")
	assert [ -s "$log" ]
	grep -q 'smoke: panic requested' "$log"
}

@test "a killed run-vm leaves no QEMU behind" {
	"$KDLAB_ROOT/common/run-vm" --timeout 60 -- 'sleep 100' >/dev/null 2>&1 &
	pid=$!
	sleep 1
	run pgrep -f "kdlab-qemu.*$TMPDIR"
	assert_success
	kill -TERM "$pid"
	SECONDS=0
	wait "$pid" || true
	sleep 0.5
	run pgrep -f "kdlab-qemu.*$TMPDIR"
	assert_failure
	[ "$SECONDS" -le 3 ]
}

@test "a graded build cannot read host files into the submission" {
	local sub=$BATS_TEST_TMPDIR/sub word
	word=$(random_word 16)
	echo "static const char stolen[] = \"$word\";" >"$BATS_TEST_TMPDIR/secret.h"
	cp -r "$BATS_TEST_DIRNAME/smoke" "$sub"
	sed -i "1i #include \"$BATS_TEST_TMPDIR/secret.h\"" "$sub/hello.c"
	BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR/file KDLAB_SUBMISSION=$sub run kdlab_build_lab smoke 3>/dev/null
	assert_failure
	grep -q 'secret.h: No such file or directory' "$BATS_TEST_TMPDIR/file/build.log"
	# The same file builds outside the sandbox: the sandbox made the difference.
	KDLAB_BUILD_SANDBOXED='' run lab_build "$sub" "$KDLAB_KERNEL_DIR" lab "$BATS_TEST_TMPDIR/out"
	assert_success
}

# build_two_at_once N M: builds the smoke lab at $BATS_TEST_TMPDIR/sub in two
# runs at once (run-N, run-M), sharing $BATS_TEST_TMPDIR/share as the bats
# runs of one grade do; each run's errors (fd 3) go to its errors file.
build_two_at_once() {
	local run pids=() status=0
	for run in "$@"; do
		mkdir -p "$BATS_TEST_TMPDIR/run-$run"
		BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR/run-$run KDLAB_BUILD_SHARE=$BATS_TEST_TMPDIR/share \
			KDLAB_SUBMISSION=$BATS_TEST_TMPDIR/sub \
			kdlab_build_lab smoke 3>"$BATS_TEST_TMPDIR/run-$run/errors" &
		pids+=($!)
	done
	for run in "${pids[@]}"; do
		wait "$run" || status=1
	done
	return "$status"
}

@test "the bats runs of one grade build each source once and each sees a failed build's errors" {
	mkdir "$BATS_TEST_TMPDIR/share"
	cp -r "$BATS_TEST_DIRNAME/smoke" "$BATS_TEST_TMPDIR/sub"
	build_two_at_once 1 2
	run find "$BATS_TEST_TMPDIR/share" -name '*.status'
	assert_equal "${#lines[@]}" 1
	cmp "$BATS_TEST_TMPDIR/run-1/lab/smoke.ko" "${lines[0]%.status}/smoke.ko"
	cmp "$BATS_TEST_TMPDIR/run-2/lab/smoke.ko" "${lines[0]%.status}/smoke.ko"
	# Changed sources are another build, which fails here: both runs say why.
	echo 'this is no C' >>"$BATS_TEST_TMPDIR/sub/hello.c"
	run build_two_at_once 3 4
	assert_failure
	run find "$BATS_TEST_TMPDIR/share" -name '*.status'
	assert_equal "${#lines[@]}" 2
	grep -q 'hello.c.*error' "$BATS_TEST_TMPDIR/run-3/errors"
	grep -q 'hello.c.*error' "$BATS_TEST_TMPDIR/run-4/errors"
}

@test "grade, one test at a time, starts the submission's build before bats does, and the grader's setup_file uses that build" {
	local grader=$BATS_TEST_TMPDIR/prebuilt.bats seen=$BATS_TEST_TMPDIR/seen
	cp -r "$(lab_source_dir solutions 1)" "$BATS_TEST_TMPDIR/sub"
	# setup_file waits up to 10 s for a build to be under way in the
	# grade's share, and notes what it found there before it builds.
	sed 's/^AT/@/' >"$grader" <<-EOF
		load $KDLAB_ROOT/bats/helpers/kdlab
		setup_file() {
			for _ in {1..100}; do
				! compgen -G "\$KDLAB_BUILD_SHARE/*.lock" >/dev/null || break
				sleep 0.1
			done
			ls "\$KDLAB_BUILD_SHARE" >"$seen.before"
			kdlab_build_lab 1
		}
		# bats test_tags=points:1
		ATtest "built" {
			cmp "\$KDLAB_LAB_BUILD/umh_shmem.ko" "\$(<"\$KDLAB_LAB_BUILD/.kdlab-built-in")/umh_shmem.ko"
			find "\$KDLAB_BUILD_SHARE" -name '*.status' >"$seen.after"
		}
	EOF
	run env GRADER="$grader" RESULTS="$BATS_TEST_TMPDIR/res" \
		"$KDLAB_ROOT/common/grade" 1 "$BATS_TEST_TMPDIR/sub"
	assert_line 'Score: 1/1'
	grep -qx '[0-9a-f]*\.lock' "$seen.before"
	assert_equal "$(wc -l <"$seen.after")" 1
}

# kdlab_build_reference keeps the reference code's builds in the cache;
# kdlab_build_into's CACHE argument is that share, here one of the test's.
@test "a build kept in the cache is reused, made again once it failed or was cut short, and gdb sees its sources and no other entry" {
	local src=$BATS_TEST_TMPDIR/ref cache=$BATS_TEST_TMPDIR/cache entry failed
	cp -r "$BATS_TEST_DIRNAME/smoke" "$src"
	mkdir "$cache"
	kdlab_build_into "$src" "$BATS_TEST_TMPDIR/out-1" '' "$cache"
	entry=$(<"$BATS_TEST_TMPDIR/out-1/.kdlab-built-in")
	[ "${entry%/*}" = "$cache" ]
	# A file that only a build made again from nothing would lose.
	touch "$entry/mark"
	kdlab_build_into "$src" "$BATS_TEST_TMPDIR/out-2" '' "$cache"
	[ -e "$entry/mark" ]
	cmp "$BATS_TEST_TMPDIR/out-2/smoke.ko" "$entry/smoke.ko"
	# No status: a build cut short, which is made again.
	rm "$entry.status"
	kdlab_build_into "$src" "$BATS_TEST_TMPDIR/out-3" '' "$cache"
	[ ! -e "$entry/mark" ]
	# A build that failed, once, is tried again (and fails again here).
	cp -r "$src" "$BATS_TEST_TMPDIR/broken"
	echo 'this is no C' >>"$BATS_TEST_TMPDIR/broken/hello.c"
	run kdlab_build_into "$BATS_TEST_TMPDIR/broken" "$BATS_TEST_TMPDIR/out-4" '' "$cache" 3>/dev/null
	assert_failure
	failed=$(find "$cache" -mindepth 1 -maxdepth 1 -type d ! -path "$entry")
	touch "$failed/mark"
	run kdlab_build_into "$BATS_TEST_TMPDIR/broken" "$BATS_TEST_TMPDIR/out-5" '' "$cache" 3>/dev/null
	assert_failure
	[ ! -e "$failed/mark" ]
	# gdb's line tables name the entry: a graded gdb file lists the
	# module's source from there, and sees no other entry.
	cat >"$BATS_TEST_TMPDIR/list.gdb" <<-GDB
		break smoke_compute
		continue
		list smoke_compute
		shell ls $cache
		detach
	GDB
	KDLAB_LAB_BUILD=$BATS_TEST_TMPDIR/out-3 KDLAB_REFERENCE_BUILDS=$entry \
		run gdb_session "$BATS_TEST_TMPDIR/list.gdb" -- 'insmod smoke.ko secret=3'
	assert_success
	assert_output --partial 'int doubled = seed * 2;'
	assert_line "${entry##*/}"
	refute_line "${failed##*/}"
}

# common/kbuild-probes.mk: KDLAB_PROBES_RECORD lists each compiler probe
# that a build runs, as build-kernel records them.
@test "lab builds take Kbuild's compiler probes from the kernel's record, which holds for one compiler" {
	local record out=$BATS_TEST_TMPDIR
	kdlab_kernel_dir
	record=$KDLAB_KERNEL_DIR/kdlab-probes.mk
	KDLAB_PROBES_RECORD=$out/asked-cached lab_build "$BATS_TEST_DIRNAME/smoke" \
		"$KDLAB_KERNEL_DIR" lab "$out/cached"
	[ ! -e "$out/asked-cached" ] || fail "with the record, the build ran probes:
$(cat "$out/asked-cached")"
	# A record made with another compiler is not used: each probe runs
	# again, and they give the flags that the record gave.
	sed 's/ += [^:]*:/ += another^_compiler:/' "$record" >"$out/other.mk"
	cp -r "$BATS_TEST_DIRNAME/smoke" "$out/asked"
	MAKEFILES=$KDLAB_ROOT/common/kbuild-probes.mk make -s -C "$KDLAB_KERNEL_DIR" \
		M="$out/asked" KDLAB_ROOT="$KDLAB_ROOT" KDLAB_PROBES="$out/other.mk" \
		KDLAB_PROBES_RECORD="$out/asked-again" modules
	assert_equal "$(wc -l <"$out/asked-again")" "$(wc -l <"$record")"
	assert_equal "$(sed "s#$out/asked#M#g" "$out/asked/.smoke.o.cmd")" \
		"$(sed "s#$out/cached#M#g" "$out/cached/.smoke.o.cmd")"
}

@test "graders take the lab's given files from the reference, the student's work from the submission" {
	local sub=$BATS_TEST_TMPDIR/submission ref
	ref=$(lab_source_dir solutions 1)
	cp -r "$(lab_source_dir labs 1)" "$sub"
	echo 'int main(void) { return 0; }' >"$sub/shm_read.c"
	echo '# tampered' >>"$sub/Kbuild"
	echo '/* my work */' >>"$sub/umh_shmem.c"
	BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR KDLAB_SUBMISSION=$sub kdlab_build_lab 1
	cmp "$ref/shm_read.c" "$BATS_TEST_TMPDIR/sources/shm_read.c"
	cmp "$ref/Kbuild" "$BATS_TEST_TMPDIR/sources/Kbuild"
	cmp "$sub/umh_shmem.c" "$BATS_TEST_TMPDIR/sources/umh_shmem.c"
}

@test "a lab 2 folder copied without lab 1, its links to lab 1 leading nowhere, builds with lab 1's given files" {
	local sub=$BATS_TEST_TMPDIR/alone/lab-2
	mkdir "$BATS_TEST_TMPDIR/alone"
	cp -r "$(lab_source_dir solutions 2)" "$sub"
	run find "$sub" -maxdepth 1 -xtype l
	assert_line "$sub/umh_shmem.c"
	BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR KDLAB_SUBMISSION=$sub kdlab_build_lab 2
	cmp "$(lab_source_dir solutions 1)/umh_shmem.c" "$BATS_TEST_TMPDIR/sources/umh_shmem.c"
	[ -f "$KDLAB_LAB_BUILD/umh_shmem.ko" ]
}

@test "common/grade counts points from bats' own view of each test" {
	run env GRADER="$BATS_TEST_DIRNAME/smoke/corners.bats" RESULTS="$BATS_TEST_TMPDIR/r" \
		"$KDLAB_ROOT/common/grade" smoke "$BATS_TEST_TMPDIR"
	assert_failure
	assert_line 'Score: 3/10'
	run cut -f1-3,5- "$BATS_TEST_TMPDIR/r/results.tsv"
	assert_output - <<-'EOF'
		OK	2	2	points:2	a test whose name has quotes
		FAIL	0	3	points:3	a skipped test earns nothing (skipped: not today)
		OK	0	0	-	a test with no points
		FAIL	0	4	kdlab:debug,points:4	a failing test
		OK	1	1	points:1	a name that ends like a timing in 5ms
		FAIL	0	0	-	a test with no points that fails
	EOF
	grep -q '"score": 3, "max": 10' "$BATS_TEST_TMPDIR/r/results.json"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/r/transcripts/a_failing_test.log")" \
		'the console of a boot'
	# The JUnit report (common/grade-format writes it) is XML that a
	# parser reads whole, failure details with control characters included.
	run python3 -c '
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
print(suite.get("tests"), suite.get("failures"), suite.get("skipped"))
for case in suite.iter("testcase"):
    print(case.get("name"), "|", *(child.tag for child in case))
print(suite.find("testcase[@name=\"a test with no points that fails\"]/failure").text.count("<tag> & \"quotes\""))
print(suite.find("testcase/skipped").text)
' "$BATS_TEST_TMPDIR/r/report.xml"
	assert_success
	assert_output - <<-'EOF'
		6 2 1
		a test whose name has quotes |
		a skipped test earns nothing | skipped
		a test with no points |
		a failing test | failure
		a name that ends like a timing in 5ms |
		a test with no points that fails | failure
		1
		not today
	EOF
}

@test "no QEMU is left after the suite" {
	run pgrep -f "kdlab-qemu.*$BATS_RUN_TMPDIR"
	assert_failure
}
