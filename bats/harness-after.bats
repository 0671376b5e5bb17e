#!/usr/bin/env bats
# The harness's tools for looking back (lab 6): run-vm's --dump, --record
# and --replay, and common/postmortem's sandbox, proven on the smoke module
# in bats/smoke. Not graded: `make test` runs it with the harness suite.

load helpers/kdlab

setup_file() {
	KDLAB_SUBMISSION=$BATS_TEST_DIRNAME/smoke kdlab_build_lab smoke
}

# The kernel's VMCOREINFO note of an ELF dump, as text.
vmcoreinfo() {
	python3 - "$1" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read(1 << 16)
start = data.find(b"OSRELEASE=")
print(re.match(rb"[ -~\n]*", data[start:]).group().decode() if start >= 0 else "")
EOF
}

# postmortem DUMP TOOL FILE: runs FILE with crash or drgn on DUMP, in the
# sandbox, as the graders do.
postmortem() {
	kdlab_kernel_dir || return 1
	timeout 120 "$KDLAB_ROOT/common/postmortem" --build-dir "$KDLAB_LAB_BUILD" \
		--kernel-dir "$KDLAB_KERNEL_DIR" "$@"
}

@test "--dump writes an ELF dump with the kernel's VMCOREINFO when the command ends" {
	local dump=$BATS_TEST_TMPDIR/vmcore
	run vm --dump "$dump" -- 'echo hi; exit 3'
	assert_equal "$status" 3
	assert_output hi
	assert_vm_note "run-vm: dump: $dump (128 MB, written in"
	run vmcoreinfo "$dump"
	assert_output --regexp '^OSRELEASE=6\.1\.[0-9]+'
	assert_output --partial 'SYMBOL(init_uts_ns)='
}

@test "--dump writes the dump of a panic, and crash and drgn find the panicking task in it" {
	local dump=$BATS_TEST_TMPDIR/vmcore secret
	secret=$(random_u30)
	run vm --dump "$dump" -- "insmod smoke.ko secret=$secret && echo c > /proc/sysrq-trigger"
	assert_equal "$status" 125
	assert_vm_note 'run-vm: kernel panic: sysrq triggered crash'
	assert_vm_note "run-vm: dump: $dump"
	echo bt >"$BATS_TEST_TMPDIR/bt.crash"
	run postmortem "$dump" crash "$BATS_TEST_TMPDIR/bt.crash"
	assert_output --regexp 'COMMAND: "sh"'
	assert_output --regexp '\] write_sysrq_trigger at '
	cat >"$BATS_TEST_TMPDIR/task.py" <<-'EOF'
		from drgn.helpers.linux.percpu import per_cpu
		task = per_cpu(prog["current_task"], prog["panic_cpu"].counter)
		print("comm=%s" % task.comm.string_().decode())
		print("frames=%s" % " ".join(str(f.name) for f in prog.crashed_thread().stack_trace()))
	EOF
	run postmortem "$dump" drgn "$BATS_TEST_TMPDIR/task.py"
	assert_line comm=sh
	assert_line --regexp '^frames=.* panic sysrq_handle_crash __handle_sysrq write_sysrq_trigger '
	# The module's own variables, from its file in /lab.
	cat >"$BATS_TEST_TMPDIR/module.py" <<-'EOF'
		prog.load_debug_info(["/lab/smoke.ko"])
		print("secret=%d" % prog["secret"])
	EOF
	run postmortem "$dump" drgn "$BATS_TEST_TMPDIR/module.py"
	assert_line "secret=$secret"
}

@test "--dump refuses what cannot give a dump" {
	run "$KDLAB_ROOT/common/run-vm" --dump "$BATS_TEST_TMPDIR/no/such/folder/vmcore" -- true
	assert_equal "$status" 2
	assert_output --partial 'no folder'
	run "$KDLAB_ROOT/common/run-vm" --gdb --halt-on-panic --dump "$BATS_TEST_TMPDIR/vmcore" -- true
	assert_equal "$status" 2
	assert_output --partial 'never stops for its dump'
}

@test "a graded crash or drgn file cannot read the grader's files or reach the network" {
	local dump=$BATS_TEST_TMPDIR/vmcore secret
	secret=$(random_word 16)
	echo "$secret" >"$BATS_TEST_TMPDIR/guest.out"
	run vm --dump "$dump" -- 'true'
	assert_success
	cat >"$BATS_TEST_TMPDIR/cheat.crash" <<-EOF
		!cat $BATS_TEST_TMPDIR/guest.out
		!find / -name guest.out 2>/dev/null
		!ls /dump /lab /answers
	EOF
	run postmortem "$dump" crash "$BATS_TEST_TMPDIR/cheat.crash"
	refute_output --partial "$secret"
	refute_line --regexp '^/.*guest\.out$'
	assert_line vmcore
	cat >"$BATS_TEST_TMPDIR/cheat.py" <<-EOF
		import glob, socket
		for name in glob.glob("/tmp/**/guest.out", recursive=True) + ["$BATS_TEST_TMPDIR/guest.out"]:
		    try:
		        print(open(name).read())
		    except OSError as err:
		        print("no", err.strerror)
		try:
		    socket.create_connection(("127.0.0.1", 22), timeout=2)
		    print("network")
		except OSError as err:
		    print("no network:", err.strerror)
	EOF
	run postmortem "$dump" drgn "$BATS_TEST_TMPDIR/cheat.py"
	refute_output --partial "$secret"
	assert_line --partial 'no network'
}

@test "--record keeps a run that --replay runs again, the same to the guest's random UUID" {
	# A comma in the name, which QEMU's options take as a separator.
	local rec=$BATS_TEST_TMPDIR/run,1 uuid
	run vm --record "$rec" -- 'cat /proc/sys/kernel/random/uuid; insmod smoke.ko secret=7 && echo loaded'
	assert_success
	uuid=${lines[0]}
	assert_line loaded
	assert_vm_note "run-vm: recording: $rec ("
	for f in "$rec" "$rec.initrd" "$rec.qcow2" "$rec.vm"; do
		[ -s "$f" ] || fail "no $f"
	done
	run vm --replay "$rec" --
	assert_success
	assert_output "$uuid
loaded"
	assert_kernel_log 'smoke: computed 14$'
}

@test "--replay refuses a command and a recording that is not there" {
	run "$KDLAB_ROOT/common/run-vm" --replay "$BATS_TEST_TMPDIR/none"
	assert_equal "$status" 2
	assert_output --partial "no recording"
	touch "$BATS_TEST_TMPDIR/rec" "$BATS_TEST_TMPDIR/rec.vm" "$BATS_TEST_TMPDIR/rec.initrd" \
		"$BATS_TEST_TMPDIR/rec.qcow2"
	run "$KDLAB_ROOT/common/run-vm" --replay "$BATS_TEST_TMPDIR/rec" -- 'echo other'
	assert_equal "$status" 2
	assert_output --partial 'give no COMMAND'
	run "$KDLAB_ROOT/common/run-vm" --record "$BATS_TEST_TMPDIR/x" --dump "$BATS_TEST_TMPDIR/d" -- true
	assert_equal "$status" 2
	assert_output --partial 'does not go with'
}
