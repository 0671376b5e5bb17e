#!/usr/bin/env bats
# The front door: the Makefile and the scripts behind it fail loudly, at
# once, and never lose a student's work. Not graded: `make test` runs it.

load helpers/kdlab

@test "a typo in KERNEL fails at once with one clear line, without reading stdin" {
	SECONDS=0
	run timeout 20 make -s -C "$KDLAB_ROOT" lab-1 KERNEL=debg < <(sleep 60)
	assert_equal "$status" 2
	assert_output --partial "unknown kernel variant 'debg' (KERNEL=lab or KERNEL=debug)"
	[ "$SECONDS" -le 10 ]
	run timeout 20 make -s -C "$KDLAB_ROOT" lab-9 </dev/null
	assert_failure
	assert_output --partial 'no lab 9 in'
	run "$KDLAB_ROOT/common/run-vm" --lab 1 --tree nowhere -- true
	assert_equal "$status" 2
	assert_output --partial "no folder 'nowhere'"
	run "$KDLAB_ROOT/common/grade" x
	assert_equal "$status" 2
	assert_output --partial 'no grader for lab x'
}

# Each mistake gets its own line, and nothing is written.
@test "make dist and make grade-all say what is wrong in one line: no folder, a wrong lab, a bad JOBS" {
	run make -s -C "$KDLAB_ROOT" dist
	assert_equal "$status" 2
	assert_line --index 0 'dist: where to? make dist DEST=DIR [LABS=1,2] (common/dist DEST [LABS])'
	assert_equal "${#lines[@]}" 2 # and make's own line
	run make -s -C "$KDLAB_ROOT" dist DEST="$BATS_TEST_TMPDIR/ed" LABS=9
	assert_failure
	assert_line --index 0 "dist: no lab 9 in $KDLAB_ROOT/solutions"
	[ ! -e "$BATS_TEST_TMPDIR/ed" ]
	run make -s -C "$KDLAB_ROOT" grade-all LAB=1 SUBMISSIONS="$BATS_TEST_TMPDIR/none"
	assert_failure
	assert_line --index 0 "grade-all: no folder '$BATS_TEST_TMPDIR/none' (SUBMISSIONS=)"
	run make -s -C "$KDLAB_ROOT" grade-all LAB=x SUBMISSIONS="$BATS_TEST_TMPDIR"
	assert_line --index 0 "grade-all: LAB must be a lab number, not 'x'"
	run make -s -C "$KDLAB_ROOT" grade-all LAB=1 SUBMISSIONS="$BATS_TEST_TMPDIR" JOBS=two
	assert_line --index 0 "grade-all: JOBS must be a number of submissions at a time, not 'two'"
	run make -s -C "$KDLAB_ROOT" grade LAB=1 JOBS=0
	assert_line --index 0 "grade: JOBS must be a number of tests at a time, not '0'"
}

@test "make skels refuses to overwrite a student's work, and says which files" {
	local out=$BATS_TEST_TMPDIR/labs
	mkdir "$out"
	"$KDLAB_ROOT/common/mkskel" "$out"
	git -C "$out" init -q && git -C "$out" add -A &&
		git -C "$out" -c user.name=t -c user.email=t@t commit -qm skeleton
	echo '/* my work */' >>"$out/lab-1-umh-shm/umh_shmem.c"
	echo 'notes' >"$out/lab-3-trace/notes.txt"
	run "$KDLAB_ROOT/common/mkskel" "$out"
	assert_equal "$status" 2
	assert_output --partial 'lab-1-umh-shm/umh_shmem.c'
	assert_output --partial 'lab-3-trace/notes.txt'
	assert_output --partial 'FORCE=1'
	assert_equal "$(tail -n1 "$out/lab-1-umh-shm/umh_shmem.c")" '/* my work */'
	# What mkskel wrote itself it may rewrite.
	git -C "$out" rm -q --cached lab-2-umh/Kbuild
	echo '/* mine too */' >>"$out/lab-1-umh-shm/umh_shmem.c"
	FORCE=1 run "$KDLAB_ROOT/common/mkskel" "$out"
	assert_success
	cmp "$out/lab-1-umh-shm/umh_shmem.c" <(cd "$out" && git show HEAD:lab-1-umh-shm/umh_shmem.c)
	assert [ ! -e "$out/lab-3-trace/notes.txt" ]
	run "$KDLAB_ROOT/common/mkskel" "$out"
	assert_success
}

@test "a lab's build follows its sources: an older file restored, a file removed" {
	local src=$BATS_TEST_TMPDIR/src out=$BATS_TEST_TMPDIR/out
	kdlab_kernel_dir
	cp -r "$BATS_TEST_DIRNAME/smoke" "$src"
	sed -i 's/obj-m += smoke.o forger.o/obj-m += smoke.o/' "$src/Kbuild"
	lab_build "$src" "$KDLAB_KERNEL_DIR" lab "$out"
	assert [ -f "$out/forger.c" ]
	cp "$src/hello.c" "$BATS_TEST_TMPDIR/hello.c.orig"
	touch -d '2001-01-01' "$BATS_TEST_TMPDIR/hello.c.orig"
	sed -i 's/hello from a static user program/hello again/' "$src/hello.c"
	rm "$src/forger.c"
	lab_build "$src" "$KDLAB_KERNEL_DIR" lab "$out"
	assert [ ! -e "$out/forger.c" ]
	run "$KDLAB_ROOT/common/run-vm" --build-dir "$out" -- ./hello
	assert_output 'hello again'
	# The student restores yesterday's file, older than the build.
	cp -p "$BATS_TEST_TMPDIR/hello.c.orig" "$src/hello.c"
	lab_build "$src" "$KDLAB_KERNEL_DIR" lab "$out"
	run "$KDLAB_ROOT/common/run-vm" --build-dir "$out" -- ./hello
	assert_output 'hello from a static user program'
	run cat "$out/kdlab.outputs"
	assert_output $'smoke.ko\nhello'
}

@test "cleaning a lab builds no kernel" {
	local cache=$BATS_TEST_TMPDIR/cache src=$BATS_TEST_TMPDIR/src
	cp -r "$BATS_TEST_DIRNAME/smoke" "$src"
	mkdir -p "$src/build/lab"
	KDLAB_CACHE=$cache run make -s -f "$KDLAB_ROOT/common/lab.mk" SRC="$src" clean
	assert_success
	assert [ ! -e "$src/build" ]
	assert [ ! -e "$cache" ]
}

@test "the first make lab-1 on the skeleton says what failed and what to do next" {
	run make -s -C "$KDLAB_ROOT" lab-1 </dev/null
	assert_failure
	assert_output --partial 'this step needs the mapping: TODO(lab 1) in shmem_mmap'
	assert_output --partial 'docs/lab-1.md'
	assert_output --partial 'make lab-1 SOLUTION=1'
}

# Lab 5's first step, in a copy of the project (it writes into labs/).
@test "make lab-5 STUDENT=id writes the student's module once, boots it, and refuses another id" {
	local copy=$BATS_TEST_TMPDIR/kdlab lab
	mkdir -p "$copy"
	git -C "$KDLAB_ROOT" ls-files -z | (cd "$KDLAB_ROOT" && xargs -0 cp --parents -t "$copy")
	lab=$copy/labs/lab-5-bughunt
	run make -s -C "$copy" lab-5 </dev/null
	assert_failure
	assert_output --partial "run 'make lab-5 STUDENT=your-id'"
	refute_output --partial 'run-vm'
	run make -s -C "$copy" lab-5 STUDENT=student-7 </dev/null
	assert_output --partial 'wrote'
	assert_equal "$(cat "$lab/STUDENT")" student-7
	cmp -s "$lab/reqcache.c" <("$KDLAB_ROOT/bats/lab-5/variant" source student-7)
	# Its crash bug oopses the demo: the guest panics, and run-vm says so.
	assert_failure
	assert_output --partial 'run-vm: kernel panic'
	echo '/* my fix */' >>"$lab/reqcache.c"
	run make -s -C "$copy" lab-5 STUDENT=student-8 </dev/null
	assert_failure
	assert_output --partial 'says student-7, not student-8'
	refute_output --partial 'run-vm'
	tail -n1 "$lab/reqcache.c" | grep -qx '/\* my fix \*/'
}
