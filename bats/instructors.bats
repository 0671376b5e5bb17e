#!/usr/bin/env bats
# shellcheck shell=bash
# The instructors' tools: a whole class graded at once (common/grade-all,
# here and over ssh), the gradebook as a person sees it in a browser
# (common/gradebook), the student edition (common/dist) and its GitHub
# Classroom workflow. Not graded: `make test` runs it.
# Needs what common/deps --for-tests installs (make test runs it): GNU
# parallel, rsync, chromium for the gradebook, python3-yaml for the
# workflow. The ssh test also needs openssh-server (its sshd, started here
# on 127.0.0.1 only), which only .ci/run installs: elsewhere it skips.
# The screenshots stay in results/instructors/.

load helpers/kdlab

setup_file() {
	# The student edition of labs 1 and 2, made once from a copy of the
	# project with a hidden test added to lab 1's grader.
	local proj=$BATS_FILE_TMPDIR/project
	mkdir -p "$proj"
	tar -C "$KDLAB_ROOT" --exclude=./results --exclude=build --exclude=.git -cf - . |
		tar -C "$proj" -xf -
	# (A line starting with @test here would be one of this file's tests.)
	sed 's/^AT/@/' >>"$proj/bats/lab-1.bats" <<-'EOF'

		# A check that the class does not see.
		# bats test_tags=points:5,kdlab:hidden
		ATtest "a hidden test" {
			true
		}
	EOF
	make -s -C "$proj" dist DEST="$BATS_FILE_TMPDIR/edition" LABS=1,2 >&3
	export PROJECT=$proj EDITION=$BATS_FILE_TMPDIR/edition
	# The tests' times of these throwaway graders stay with them.
	export KDLAB_DURATIONS=$BATS_FILE_TMPDIR/durations
}

# A grader with no VM, and a class for it: each student's folder in one of
# the layouts grade-all takes, and what each one's files make of the tests.
fake_class() {
	local class=$1
	sed 's/^AT/@/' >"$class.bats" <<-'EOF'
		setup_file() {
			[ ! -f "$KDLAB_SUBMISSION/broken" ]
		}
		# bats test_tags=points:2
		ATtest "the answer is 42" {
			grep -qx 42 "$KDLAB_SUBMISSION/answer"
		}
		# bats test_tags=points:3
		ATtest "the notes say hello" {
			grep -q hello "$KDLAB_SUBMISSION/notes"
		}
		ATtest "where it ran is kept" {
			echo "grading $KDLAB_SUBMISSION in $TMPDIR with $XDG_RUNTIME_DIR" >"$BATS_TEST_TMPDIR/console.log"
			false
		}
		# bats test_tags=points:1
		ATtest "it does not hang" {
			[ ! -f "$KDLAB_SUBMISSION/hang" ] || sleep 600
		}
	EOF
	mkdir -p "$class"/{alice,bob/lab-1-x,carol/labs/lab-1-x,dave,erin/labs/lab-2-x,mallory}
	echo 42 >"$class/alice/answer"
	echo hello >"$class/alice/notes"
	echo 41 >"$class/bob/lab-1-x/answer"
	echo hello >"$class/bob/lab-1-x/notes"
	echo 42 >"$class/carol/labs/lab-1-x/answer"
	touch "$class/carol/labs/lab-1-x/hang"
	touch "$class/dave/broken"
	echo 42 >"$class/erin/labs/lab-2-x/answer"
	# mallory's notes are a link to alice's: a grade sees its own files only.
	echo 42 >"$class/mallory/answer"
	ln -s ../alice/notes "$class/mallory/notes"
}

# The points of each test of a results folder: "VERDICT POINTS MAX NAME".
verdicts() {
	cut -f1-3,6 "$1/results.tsv"
}

@test "grade-all grades each submission in isolation, with a time limit, and only again when it changed" {
	local class=$BATS_TEST_TMPDIR/class res=$BATS_TEST_TMPDIR/results
	fake_class "$class"
	SECONDS=0
	run env GRADER="$class.bats" RESULTS="$res" JOBS=3 TIMEOUT=8 \
		"$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_success
	# The hanging one took its 8 s, the others ran beside it.
	[ "$SECONDS" -lt 30 ]
	assert_line --regexp '^grade-all: lab 1: 6 graded, 0 unchanged, 0 lost in [0-9]+ s; 6 students, 1 full marks, 3 grading problems, mean 2\.2/6; '
	assert_equal "$(verdicts "$res/alice")" "$(printf '%s\n' 'OK	2	2	the answer is 42' \
		'OK	3	3	the notes say hello' 'FAIL	0	0	where it ran is kept' 'OK	1	1	it does not hang')"
	grep -qx 'FAIL	0	2	the answer is 42' <(verdicts "$res/bob")
	assert_equal "$(cat "$res/carol/problem.txt")" 'timed out after 8 s'
	grep -q 'setup_file failed' "$res/dave/problem.txt"
	assert_equal "$(cat "$res/erin/problem.txt")" 'no labs/lab-1-* in this repository'
	grep -qx 'FAIL	0	3	the notes say hello' <(verdicts "$res/mallory")
	# Each grade (alice's, bob's, mallory's) had its own copy of the lab
	# folder, temporary folder and runtime folder.
	run cat "$res"/*/transcripts/where_it_ran_is_kept.log
	refute_output --partial "$class"
	[ "$(awk '{ print $2; print $4; print $6 }' <<<"$output" | sort -u | wc -l)" -eq 9 ]
	# The sheet: a row a student, a column a test, time and problem last.
	assert_equal "$(head -n1 "$res/gradebook.csv")" \
		'student,score,max,the answer is 42,the notes say hello,where it ran is kept,it does not hang,seconds,problem'
	grep -qx 'bob,4,6,0,3,0,1,[0-9]*,' "$res/gradebook.csv"
	grep -qx 'carol,0,6,,,,,[0-9]*,timed out after 8 s' "$res/gradebook.csv"

	# Nothing changed: nothing is graded.
	run env GRADER="$class.bats" RESULTS="$res" JOBS=3 TIMEOUT=8 \
		"$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_success
	assert_line --regexp '^grade-all: lab 1: 0 graded, 6 unchanged, 0 lost'
	# A changed submission is graded again, and only it.
	echo 42 >"$class/bob/lab-1-x/answer"
	run env GRADER="$class.bats" RESULTS="$res" JOBS=3 TIMEOUT=8 \
		"$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_line --regexp '^grade-all: lab 1: 1 graded, 5 unchanged, 0 lost in [0-9]+ s; 6 students, 2 full marks'
	# A changed grader grades everyone again.
	echo '# a change' >>"$class.bats"
	run env GRADER="$class.bats" RESULTS="$res" JOBS=3 TIMEOUT=8 \
		"$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_line --regexp '^grade-all: lab 1: 6 graded, 0 unchanged'
}

@test "grade JOBS=2 runs tests two at a time, those tagged kdlab:serial alone, and counts as JOBS=1 does" {
	local grader=$BATS_TEST_TMPDIR/jobs.bats log=$BATS_TEST_TMPDIR/log
	# Each test logs when it starts and ends; "c" fails, with a console.
	sed 's/^AT/@/' >"$grader" <<-'EOF'
		span() {
			echo "start $1 $(date +%s.%N)" >>"$SPAN_LOG"
			sleep 1
			echo "end $1 $(date +%s.%N)" >>"$SPAN_LOG"
		}
		# bats test_tags=points:1
		ATtest "a" { span a; }
		# bats test_tags=points:1,kdlab:serial
		ATtest "s" { span s; }
		# bats test_tags=points:2
		ATtest "b" { span b; }
		# bats test_tags=points:3
		ATtest "c" { span c; echo "c's console" >"$BATS_TEST_TMPDIR/console.log"; false; }
	EOF
	run env GRADER="$grader" RESULTS="$BATS_TEST_TMPDIR/serial" SPAN_LOG="$log.1" \
		"$KDLAB_ROOT/common/grade" 1 "$BATS_TEST_TMPDIR"
	assert_line 'Score: 4/7'
	run env JOBS=2 GRADER="$grader" RESULTS="$BATS_TEST_TMPDIR/jobs" SPAN_LOG="$log.2" \
		"$KDLAB_ROOT/common/grade" 1 "$BATS_TEST_TMPDIR"
	assert_failure
	assert_line 'Score: 4/7'
	assert_equal "$(cut -f1-3,5- "$BATS_TEST_TMPDIR/jobs/results.tsv")" \
		"$(cut -f1-3,5- "$BATS_TEST_TMPDIR/serial/results.tsv")"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/jobs/transcripts/c.log")" "c's console"
	assert_equal "$(grep -c '<testcase ' "$BATS_TEST_TMPDIR/jobs/report.xml")" 4
	# Each test's time, taken by common/grade-format, covers its one-second
	# sleep, in the results and in the JUnit report.
	run awk -F'\t' '$4 < 1000 || $4 > 10000' "$BATS_TEST_TMPDIR/serial/results.tsv" \
		"$BATS_TEST_TMPDIR/jobs/results.tsv"
	assert_output ''
	refute grep -q '<testcase [^>]*time="0' "$BATS_TEST_TMPDIR/jobs/report.xml"
	# With JOBS=2 two tests overlapped, and none overlapped s.
	run awk '{ t[$2, $1] = $3 } END {
		for (x in t) { split(x, k, SUBSEP); if (k[2] == "start") n[k[1]] = 1 }
		for (i in n) for (j in n) if (i < j && t[i, "start"] < t[j, "end"] && t[j, "start"] < t[i, "end"]) print i, j
	}' "$log.2"
	[ -n "$output" ]
	refute_output --partial s
	[ "$(grep -c start "$log.1")" -eq 4 ]
}

@test "grade JOBS=2 splits the tests by the last grade's times into runs of equal work" {
	local grader=$BATS_TEST_TMPDIR/split.bats log=$BATS_TEST_TMPDIR/log
	# Each test logs its bats run and its time in the last grade (below).
	sed 's/^AT/@/' >"$grader" <<-'EOF'
		ATtest "t3000" { echo "$BATS_RUN_TMPDIR 3000" >>"$SPAN_LOG"; }
		ATtest "t2000" { echo "$BATS_RUN_TMPDIR 2000" >>"$SPAN_LOG"; }
		ATtest "u2000" { echo "$BATS_RUN_TMPDIR 2000" >>"$SPAN_LOG"; }
		ATtest "t1500" { echo "$BATS_RUN_TMPDIR 1500" >>"$SPAN_LOG"; }
		ATtest "u1500" { echo "$BATS_RUN_TMPDIR 1500" >>"$SPAN_LOG"; }
	EOF
	# The last grade's times, in ms. Longest first alone would deal 4500
	# and 5500 ms; 5000 each is the even split.
	mkdir -p "$KDLAB_DURATIONS"
	printf '%s\t%s\n' t3000 3000 t2000 2000 u2000 2000 t1500 1500 u1500 1500 \
		>"$KDLAB_DURATIONS/${grader//\//_}.tsv"
	run env JOBS=2 GRADER="$grader" RESULTS="$BATS_TEST_TMPDIR/r" SPAN_LOG="$log" \
		"$KDLAB_ROOT/common/grade" 1 "$BATS_TEST_TMPDIR"
	assert_success
	run awk '{ ms[$1] += $2 } END { for (run in ms) print ms[run] }' "$log"
	assert_output - <<-'EOF'
		5000
		5000
	EOF
}

# Prints the DOM of a page as headless chromium renders it; with a second
# argument, also takes a screenshot of it there.
browse() {
	local shot=()
	# shellcheck disable=SC2054 # chromium's own comma
	[ -z "${2:-}" ] || shot=(--screenshot="$2" --window-size=1000,1200)
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$(mktemp -d "$BATS_TEST_TMPDIR/chromium.XXXXXX")" \
		${shot[@]+"${shot[@]}"} --dump-dom "file://$1" 2>/dev/null
}

@test "the gradebook shows the class, a score and a failed test's console in a browser" {
	command -v chromium >/dev/null || fail "chromium is not installed: common/deps --for-tests"
	local class=$BATS_TEST_TMPDIR/class res=$BATS_TEST_TMPDIR/results
	local shots=$KDLAB_ROOT/results/instructors link
	fake_class "$class"
	# (Its status says whether the project changed meanwhile: not tested here.)
	run env GRADER="$class.bats" RESULTS="$res" TIMEOUT=8 "$KDLAB_ROOT/common/grade-all" 1 "$class"
	mkdir -p "$shots"
	run browse "$res/gradebook.html" "$shots/gradebook.png"
	assert_success
	echo "# screenshots: $shots/" >&3
	assert_output --partial '<span id="count">6 students</span>'
	assert_output --regexp '<a href="bob/report.html">bob</a></td><td class="num">4/6</td>'
	assert_output --partial 'timed out after 8 s'
	# The histogram: three students scored 0, one each 3, 4 and 6.
	assert_output --regexp '<title>3 students</title>'
	# bob's page: the test he failed, and mallory's, with its console.
	run browse "$res/bob/report.html"
	assert_output --regexp '<td>the answer is 42</td><td class="fail">FAIL</td><td class="num">0/2</td>'
	assert_output --partial '<b>Score: 4/6</b>'
	run browse "$res/mallory/report.html" "$shots/report.png"
	assert_output --regexp '<td>the notes say hello</td><td class="fail">FAIL</td><td class="num">0/3</td>'
	link=$(grep -o 'href="transcripts/[^"]*"' <<<"$output" | head -n1)
	link=${link#href=\"} link=${link%\"}
	assert_equal "$link" transcripts/where_it_ran_is_kept.log
	run browse "$res/mallory/$link"
	assert_output --partial "grading $res/"
}

# Starts an sshd of the test's own on a free port of 127.0.0.1, with its own
# host key and the one key it accepts, and writes a parallel sshlogin file
# for it to $1 (2 jobs there). Stopped by teardown.
start_sshd() {
	local dir=$BATS_TEST_TMPDIR/sshd port
	mkdir -p "$dir" /run/sshd 2>/dev/null || true
	ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/key"
	cp "$dir/key.pub" "$dir/authorized_keys"
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$dir/sshd_config" <<-EOF
		Port $port
		ListenAddress 127.0.0.1
		HostKey $dir/host_key
		AuthorizedKeysFile $dir/authorized_keys
		PidFile $dir/sshd.pid
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		StrictModes no
	EOF
	/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
	for _ in $(seq 50); do
		[ -s "$dir/sshd.pid" ] && break
		sleep 0.1
	done
	SSHD_PID=$(cat "$dir/sshd.pid")
	echo "2/ssh -p $port -i $dir/key -o BatchMode=yes -o StrictHostKeyChecking=no" \
		"-o UserKnownHostsFile=$dir/known_hosts $(id -un)@127.0.0.1" >"$1"
}

teardown() {
	[ -z "${SSHD_PID:-}" ] || kill "$SSHD_PID" 2>/dev/null || true
}

@test "grade-all over ssh (sshd on 127.0.0.1) grades lab 1 as a local run does" {
	[ -x /usr/sbin/sshd ] || skip "openssh-server is not installed"
	local class=$BATS_TEST_TMPDIR/class name
	mkdir -p "$class/ref" "$class/skel"
	cp -r "$(lab_source_dir solutions 1)/." "$class/ref/"
	cp -r "$(lab_source_dir labs 1)/." "$class/skel/"
	start_sshd "$BATS_TEST_TMPDIR/hosts"
	export TEST='module loads|prints 2 hello world'
	run env RESULTS="$BATS_TEST_TMPDIR/local" JOBS=2 "$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_success
	run env RESULTS="$BATS_TEST_TMPDIR/ssh" HOSTS="$BATS_TEST_TMPDIR/hosts" \
		"$KDLAB_ROOT/common/grade-all" 1 "$class"
	assert_success
	assert_line --regexp '^grade-all: lab 1: 2 graded, 0 unchanged, 0 lost'
	# The jobs went through the test's sshd.
	grep -q 'Accepted publickey' "$BATS_TEST_TMPDIR/sshd/sshd.log"
	for name in ref skel; do
		assert_equal "$(verdicts "$BATS_TEST_TMPDIR/ssh/$name")" \
			"$(verdicts "$BATS_TEST_TMPDIR/local/$name")"
	done
	assert_equal "$(awk -F, 'NR > 1 { print $1, $2, $3 }' "$BATS_TEST_TMPDIR/ssh/gradebook.csv")" \
		"$(printf '%s\n' 'ref 3 3' 'skel 1 3')"
}

# The trimmed lines of 20 characters or more, comments aside, inside the
# SOLUTION blocks of lab $1's reference (not the files it links from
# another lab) that its skeleton does not have.
solution_lines() {
	find "$(lab_source_dir solutions "$1")" -maxdepth 1 -type f -exec awk '
		/SOLUTION END/ { inside = 0 }
		inside && !/SKELETON:/ { gsub(/^[ \t]+|[ \t]+$/, ""); if (length($0) >= 20 && !/^(#|\/\/|\/\*|\*)/) print }
		/SOLUTION BEGIN/ { inside = 1 }' {} + | sort -u >"$BATS_TEST_TMPDIR/blocks"
	sed 's/^[ \t]*//; s/[ \t]*$//' "$(lab_source_dir labs "$1")"/* | sort -u |
		comm -23 "$BATS_TEST_TMPDIR/blocks" -
}

# The lines of file $1 that some file of the edition holds, trimmed.
found_in_edition() {
	(cd "$EDITION" && git ls-files -z | xargs -0 sed 's/^[ \t]*//; s/[ \t]*$//') |
		grep -Fx -f "$1" | sort -u
}

@test "make dist writes a repository without the answers and the hidden tests" {
	local lab
	# A git repository, all committed, ready to push as a template.
	assert_equal "$(git -C "$EDITION" rev-list --count HEAD)" 1
	assert_equal "$(git -C "$EDITION" status --porcelain)" ''
	[ ! -e "$EDITION/solutions" ]
	[ -d "$EDITION/labs/lab-1-umh-shm" ] && [ -d "$EDITION/labs/lab-2-umh" ]
	[ ! -e "$EDITION/labs/lab-3-trace" ] && [ ! -e "$EDITION/docs/lab-3.md" ] &&
		[ ! -e "$EDITION/bats/lab-3.bats" ] && [ ! -e "$EDITION/bats/mutants" ]
	[ -f "$EDITION/.github/workflows/classroom.yml" ]
	grep -q 'docs/lab-2.md' "$EDITION/README.md"
	run grep 'docs/lab-3.md' "$EDITION/README.md"
	assert_failure
	# The hidden test, and the comment above it, are gone; the others stay.
	run grep 'hidden' "$EDITION/bats/lab-1.bats"
	assert_failure
	assert_equal "$(grep -c '^@test' "$EDITION/bats/lab-1.bats")" \
		"$(grep -c '^@test' "$KDLAB_ROOT/bats/lab-1.bats")"
	grep -qx Kbuild "$EDITION/bats/lab-1.given"
	# No line of the unreleased labs' answers, nor of lab 2's; lab 1's are
	# there, in lab 2's finished copy of its driver (which shows the search
	# finds what is there).
	for lab in 2 3 4; do
		solution_lines "$lab" >"$BATS_TEST_TMPDIR/answers-$lab"
		[ -s "$BATS_TEST_TMPDIR/answers-$lab" ]
		run found_in_edition "$BATS_TEST_TMPDIR/answers-$lab"
		assert_output ''
	done
	solution_lines 1 >"$BATS_TEST_TMPDIR/answers-1"
	run found_in_edition "$BATS_TEST_TMPDIR/answers-1"
	[ -n "$output" ]
	# The instructors' tools say they are not there.
	run make -s -C "$EDITION" skels
	assert_failure
	assert_output --partial 'not in the student edition'
}

@test "make dist refuses to write an edition that holds an unreleased answer" {
	local doc=$PROJECT/docs/lab-1.md line
	line=$(solution_lines 3 | head -n1)
	cp "$doc" "$BATS_TEST_TMPDIR/lab-1.md"
	printf '\n    %s\n' "$line" >>"$doc"
	run make -s -C "$PROJECT" dist DEST="$BATS_TEST_TMPDIR/leaky" LABS=1
	cp "$BATS_TEST_TMPDIR/lab-1.md" "$doc"
	assert_failure
	assert_output --partial "./docs/lab-1.md:"
	assert_output --partial "$line"
	[ ! -e "$BATS_TEST_TMPDIR/leaky" ]
}

@test "in the edition, make lab-1, make gdb, make grade and the student's make test work" {
	local ed=$BATS_TEST_TMPDIR/edition
	cp -a "$EDITION" "$ed"
	# A student who did lab 1's work.
	cp "$(lab_source_dir solutions 1)/umh_shmem.c" "$ed/labs/lab-1-umh-shm/"
	run make -s -C "$ed" lab-1 </dev/null
	assert_success
	assert_output --partial '2 hello world'
	run make -s -C "$ed" grade LAB=1 TEST='module loads|prints 2 hello'
	assert_success
	assert_line 'Score: 3/3'
	[ -f "$ed/results/lab-1/labs/report.html" ]
	# Graded from the edition's own files: the given ones from its labs/.
	assert_line "Grading lab 1: $ed/labs/lab-1-umh-shm (kernel lab)"
	run make -s -C "$ed" test TEST='module loads|modules load and unload'
	assert_success
	assert_line '2 passed, 0 failed'
	# make gdb attaches to a lab booted halted (on a socket of the test's own).
	mkdir -m 0700 "$BATS_TEST_TMPDIR/xdg"
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg timeout 120 make -s -C "$ed" lab-1 GDB=1 \
		</dev/null >"$BATS_TEST_TMPDIR/vm.log" 2>&1 &
	for _ in $(seq 100); do
		[ -S "$BATS_TEST_TMPDIR/xdg/kdlab-$(id -u)/gdb.sock" ] && break
		sleep 0.1
	done
	run env XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/xdg" timeout 100 make -s -C "$ed" gdb LAB=1 \
		< <(printf '%s\n' lx-version kill quit)
	wait
	assert_output --partial 'Linux version 6.1'
}

@test "the Classroom workflow runs make grade and reports the points as Classroom reads them" {
	python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is not installed: common/deps --for-tests"
	local ed=$BATS_TEST_TMPDIR/edition steps=$BATS_TEST_TMPDIR/steps i result
	cp -a "$EDITION" "$ed"
	# Its structure, and its run: steps, in order, one file each.
	python3 - "$ed/.github/workflows/classroom.yml" "$steps" <<-'EOF'
		import os, sys, yaml
		flow = yaml.safe_load(open(sys.argv[1]))
		assert flow["name"] == "Autograding Tests"
		assert "push" in flow["on"]
		assert flow["permissions"]["checks"] == "write"
		job = flow["jobs"]["autograding"]
		assert job["name"] == "Autograding Tests"
		assert job["container"]["image"] == "debian:bookworm"
		steps = job["steps"]
		uses = [s.get("uses", "") for s in steps]
		assert any(u.startswith("actions/checkout@") for u in uses)
		grade = [s for s in steps if s.get("id") == "kdlab"][0]
		report = steps[-1]
		assert report["uses"] == "classroom-resources/autograding-grading-reporter@v1"
		assert report["with"]["runners"] == "kdlab"
		assert report["env"]["KDLAB_RESULTS"] == "${{ steps.kdlab.outputs.result }}"
		assert steps.index(grade) < len(steps) - 1
		os.makedirs(sys.argv[2])
		for i, step in enumerate(s for s in steps if "run" in s):
		    open(os.path.join(sys.argv[2], "%02d" % i), "w").write(step["run"])
	EOF
	[ -f "$steps/02" ]
	: >"$BATS_TEST_TMPDIR/output"
	for i in "$steps"/*; do
		(cd "$ed" && GITHUB_OUTPUT=$BATS_TEST_TMPDIR/output \
			GITHUB_STEP_SUMMARY=$BATS_TEST_TMPDIR/summary \
			TEST='module loads|prints 2 hello|modules load and unload' bash -e "$i") >"$i.log" 2>&1 ||
			fail "step $(head -n1 "$i") failed: $(cat "$i.log")"
	done
	result=$(sed -n 's/^result=//p' "$BATS_TEST_TMPDIR/output")
	# What the reporter reads: the points are the tests' scores.
	run python3 -c 'import base64, json, sys
r = json.loads(base64.b64decode(sys.argv[1]))
print(r["version"], r["status"], r["max_score"], sum(t["score"] for t in r["tests"]))
for t in r["tests"]: print(t["status"], t["score"], t["name"])' "$result"
	# The skeletons: in each lab the modules load (1 point) and the
	# article's program prints nothing yet (0/2).
	assert_line -n 0 '1 fail 6 2'
	assert_line 'pass 1 lab 1: the module loads, makes /dev/umh_shm root-only (i_mode 0x2180) and unloads'
	assert_line "fail 0 lab 1: the article's program prints 2 hello world right after insmod"
	grep -q 'Points 2/6' "$steps/02.log"
	grep -qx '| 1 | 1/3 |' "$BATS_TEST_TMPDIR/summary"
	grep -qx '| 2 | 1/3 |' "$BATS_TEST_TMPDIR/summary"
}
