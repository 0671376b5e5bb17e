#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 4: gdb inspection sessions against the lab VM (docs/lab-4.md).
# Each exercise is a gdb command file of the submission (exN-*.gdb), run in
# batch by gdb_session while the guest runs lab 1's and lab 3's REFERENCE
# code. Its answers are checked against ground truth that the guest prints
# in the same run ("truth KEY VALUE" lines), with values picked per run
# (payload, names, modes, which function is traced, how much memory is
# taken before the allocation...), so no answer can be written in advance.

load helpers/kdlab

setup_file() {
	local lab src out f
	KDLAB_SUBMISSION=$(realpath "${KDLAB_SUBMISSION:-$(lab_source_dir labs 4)}")
	export KDLAB_SUBMISSION
	# A gdb file that goes wrong must not cost a minute per test.
	export KDLAB_TIMEOUT=${KDLAB_TIMEOUT:-30}
	# The guest runs the reference code of labs 1 and 3, whatever is graded.
	KDLAB_LAB_BUILD=$BATS_FILE_TMPDIR/lab
	mkdir -p "$KDLAB_LAB_BUILD"
	: >"$KDLAB_LAB_BUILD/modules.order"
	for lab in 1 3; do
		src=$(lab_source_dir solutions "$lab")
		out=$BATS_FILE_TMPDIR/lab$lab
		make -s -f "$KDLAB_ROOT/common/lab.mk" SRC="$src" OUT="$out" \
			KERNEL="${KERNEL:-lab}" >"$BATS_FILE_TMPDIR/build-$lab.log" 2>&1 || {
			cat "$BATS_FILE_TMPDIR/build-$lab.log" >&3
			return 1
		}
		# Modules and programs only: lx-symbols finds the .ko files here, and
		# their debug information points at the sources in $out.
		for f in "$out"/*; do
			if [[ $f == *.ko ]] || { [ -f "$f" ] && [ -x "$f" ]; }; then
				cp "$f" "$KDLAB_LAB_BUILD/"
			fi
		done
		cat "$out/modules.order" >>"$KDLAB_LAB_BUILD/modules.order"
	done
	# run-vm and gdb/attach take a folder with a Kbuild file and a
	# modules.order as a lab that Kbuild has built.
	echo '# lab 4: the reference modules of labs 1 and 3' >"$KDLAB_LAB_BUILD/Kbuild"
	export KDLAB_LAB_BUILD
}

# --- helpers ------------------------------------------------------------

# The submission's gdb file for an exercise; fails clearly when it is missing.
exercise() {
	local f=$KDLAB_SUBMISSION/$1
	[ -f "$f" ] || fail "no $1 in $KDLAB_SUBMISSION"
	echo "$f"
}

# run_exercise FILE GUEST-COMMAND: runs the gdb file against the guest.
# $output is gdb's output, without carriage returns.
run_exercise() {
	local file
	file=$(exercise "$1") || return 1
	run gdb_session "$file" -- "$2"
	output=${output//$'\r'/}
}

# The value of the first "KEY=VALUE" line that gdb printed.
answer() {
	sed -n "s/^$1=//p" <<<"$output" | head -n1
}

# The value of the first "truth KEY VALUE" line that the guest printed.
truth() {
	tr -d '\r' <"$KDLAB_GUEST_OUTPUT" | sed -n "s/^truth $1 //p" | head -n1
}

# Fails unless the guest printed its ground truth (it ran to the end).
need_truth() {
	local key
	for key; do
		[ -n "$(truth "$key")" ] || fail "the guest printed no '$key' (guest output:
$(cat "$KDLAB_GUEST_OUTPUT"))"
	done
}

# assert_answer KEY EXPECTED: the gdb file printed KEY=EXPECTED.
assert_answer() {
	local got
	got=$(answer "$1")
	[ "$got" = "$2" ] || fail "$1: expected '$2', the gdb file printed '${got:-nothing}'"
}

# Lowercase hex of a number, as gdb's %#x prints it.
hex() {
	printf '%#x' "$(($1))"
}

# The lines of a function of umh_shmem.c, from its name to its closing brace.
function_lines() {
	awk -v fn="$1" '
		index($0, fn "(") && !start { start = NR }
		start && /^}/ { print start, NR; exit }
	' "$(lab_source_dir solutions 1)/umh_shmem.c"
}

# The guest's commands for each exercise, with their parameters. The tests
# pass random values; the docs' check passes the article's.

# Runs N short processes, so that the next PIDs change from run to run.
spend_pids() {
	echo "i=0; while [ \$i -lt $1 ]; do /bin/true; i=\$((i + 1)); done"
}

# ex1: maps the device from a task whose PID the guest prints.
guest_ex1() {
	cat <<-EOF
		insmod umh_shmem.ko || exit 1
		$(spend_pids "$1")
		./shm_probe open ro mmap 4096 0 r shared read &
		echo "truth pid \$!"
		wait \$!
	EOF
}

# ex2 NAME PERM: the device node renamed to NAME (a symlink keeps the
# usual path) with the permissions PERM, then mapped.
guest_ex2() {
	cat <<-EOF
		insmod umh_shmem.ko || exit 1
		if [ "$1" != umh_shm ]; then
			mv /dev/umh_shm /dev/$1 && ln -s $1 /dev/umh_shm || exit 1
		fi
		chmod $2 /dev/$1
		stat -c 'truth mode %f' /dev/$1
		stat -c 'truth ino %i' /dev/$1
		./shm_probe open ro mmap 4096 0 r shared read
	EOF
}

# ex3 OPEN PROT: a mapping that stays while the guest prints its maps line.
guest_ex3() {
	cat <<-EOF
		insmod umh_shmem.ko || exit 1
		./shm_probe open $1 mmap 4096 0 $2 shared touch /tmp/mapped wait /tmp/done &
		p=\$!
		./shm_probe wait /tmp/mapped >/dev/null
		echo "truth maps \$(grep umh_shm /proc/\$p/maps)"
		touch /tmp/done
		wait \$p
	EOF
}

# ex4 PAGES: takes PAGES pages into tmpfs first, so the module's page moves.
guest_ex4() {
	cat <<-EOF
		dd if=/dev/zero of=/tmp/fill bs=4096 count=$1 2>/dev/null
		insmod umh_shmem.ko || exit 1
		sed 's/^/truth /' /sys/kernel/debug/umh_shm/page
	EOF
}

# ex5 ID PAYLOAD HASH JUNK: the request, and the word that the user
# program writes through its own mapping before the grader's health check.
guest_ex5() {
	cat <<-EOF
		insmod umh_shmem.ko id=$1 payload=$2 hash=$3 || exit 1
		./shm_probe open rw mmap 4096 0 rw shared write $4 dump 0 | sed -n 's/^dump/truth junk/p'
		echo 1 >/sys/kernel/debug/umh_shm/health_check
		sed 's/^/truth /' /sys/kernel/debug/umh_shm/page
		./shm_probe open ro mmap 4096 0 r shared dump 0 | sed -n 's/^dump/truth dump0/p'
		./shm_probe open ro mmap 4096 0 r shared dump 1024 | sed -n 's/^dump/truth dump1024/p'
	EOF
}

# ex6 FN ARGS: arms the tracer on trace_target_FN, calls it, disarms, calls
# it again.
guest_ex6() {
	cat <<-EOF
		insmod trace.ko && insmod trace_target.ko || exit 1
		printf trace_target_$1 >/proc/trace || exit 1
		echo $2 >/sys/kernel/debug/trace_target/$1
		printf none >/proc/trace
		echo $2 >/sys/kernel/debug/trace_target/$1
		grep -w trace_target_$1 /proc/kallsyms | sed 's/^/truth sym /'
	EOF
}

# ex7 WORD PIDS: a line of the guest's own in the kernel log, then insmod.
guest_ex7() {
	cat <<-EOF
		echo "kdlab lab 4: $1" >/dev/kmsg
		insmod trace_target.ko || exit 1
		$(spend_pids "$2")
		sh -c 'echo "truth pid \$\$"; exec insmod umh_shmem.ko'
		sed 's/^/truth module /' /proc/modules
	EOF
}

# --- the exercises ----------------------------------------------------------

# bats test_tags=points:2
@test "ex1: a hardware breakpoint by file and line stops in shmem_mmap of the mapping task" {
	run_exercise ex1-attach.gdb "$(guest_ex1 $((RANDOM % 40)))"
	need_truth pid
	assert_line --regexp '^Hardware assisted breakpoint [0-9]+ \(([^ ]*/)?umh_shmem\.c:[0-9]+\) pending\.$'
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(file=0x[0-9a-f]+, vma=0x[0-9a-f]+\) at .*umh_shmem\.c:[0-9]+$'
	assert_line "pid=$(truth pid) comm=shm_probe"
}

# bats test_tags=points:2
@test "ex2: the dentry's name, the inode's i_mode decoded and its number" {
	local name perms perm mode
	name=shm$(random_word 6)
	perms=(600 640 644 604 400 440 444 660 606)
	perm=${perms[RANDOM % ${#perms[@]}]}
	run_exercise ex2-file.gdb "$(guest_ex2 "$name" "$perm")"
	need_truth mode ino
	mode=$(truth mode)
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(.*\) at .*umh_shmem\.c:[0-9]+$'
	assert_answer name "$name"
	assert_answer i_mode "0x$mode"
	assert_answer S_ISCHR 1
	assert_answer perm "0$perm"
	assert_answer i_ino "$(truth ino)"
}

# bats test_tags=points:3
@test "ex3: vm_start, vm_end and vm_flags of the user's area, decoded" {
	local modes=('ro r' 'rw r' 'rw rw') open prot maps start end w s flags
	read -r open prot <<<"${modes[RANDOM % 3]}"
	run_exercise ex3-vma.gdb "$(guest_ex3 "$open" "$prot")"
	need_truth maps
	maps=$(truth maps)
	start=${maps%%-*} end=${maps#*-} end=${end%% *}
	# At mmap's call: VM_READ, VM_MAYREAD, VM_MAYEXEC and VM_MAYSHARE always;
	# VM_WRITE with PROT_WRITE; VM_SHARED and VM_MAYWRITE on a writable open.
	w=0 s=0
	[ "$prot" = rw ] && w=1
	[ "$open" = rw ] && s=1
	flags=$((0x1 | w << 1 | s << 3 | 0x10 | s << 5 | 0x40 | 0x80))
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(.*\) at .*umh_shmem\.c:[0-9]+$'
	assert_answer vm_start "0x$start"
	assert_answer vm_end "0x$end"
	assert_answer vm_flags "$(hex "$flags")"
	assert_line "VM_READ=1 VM_WRITE=$w VM_EXEC=0 VM_SHARED=$s VM_MAYREAD=1 VM_MAYWRITE=$s VM_MAYEXEC=1 VM_MAYSHARE=1"
}

# bats test_tags=points:3
@test "ex4: the allocation's return in rax, the page's virtual and physical addresses" {
	local page
	run_exercise ex4-alloc.gdb "$(guest_ex4 $((RANDOM % 256)))"
	need_truth virt phys
	# finish out of the page allocator, back in the module's init function
	assert_line --regexp '^(Temporary breakpoint|Breakpoint) [0-9]+, __alloc_pages \('
	assert_line --regexp '^(0x[0-9a-f]+ in )?umh_shm_init \(\) at .*umh_shmem\.c:[0-9]+$'
	page=$(sed -nE 's/^Value returned is \$[0-9]+ = \(struct page \*\) (0x[0-9a-f]+)$/\1/p' <<<"$output" | head -n1)
	[ -n "$page" ] || fail "no 'Value returned is ... (struct page *) 0x...' from finish"
	assert_answer page "$page"
	# When lab 1's debugfs file also tells the struct page (a "page 0x..."
	# line), it is the ground truth for the allocator's return value too.
	[ -z "$(truth page)" ] || assert_answer page "$(truth page)"
	assert_answer virt "$(truth virt)"
	assert_answer phys "$(hex "$(truth phys)")"
}

# bats test_tags=points:4
@test "ex5: an access watchpoint on the page's kernel address catches the health check" {
	local id payload hash junk virt lines first last j0 j1 d0 d1 e0 e1 t=$'\t'
	id=$(random_u30) payload=$(random_word $((5 + RANDOM % 7)))
	hash=$(random_word $((5 + RANDOM % 7))) junk=$(random_word 10)
	run_exercise ex5-awatch.gdb "$(guest_ex5 "$id" "$payload" "$hash" "$junk")"
	need_truth virt junk dump0 dump1024
	virt=$(truth virt)
	assert_answer watch "$virt"
	# The hit: gdb's report, then the writer's frame, called from debugfs.
	assert_line --regexp '^Hardware access \(read/write\) watchpoint [0-9]+: '
	assert_line --regexp '^(Old value|Value) = '
	lines=$(sed -nE 's/^(0x[0-9a-f]+ in )?umh_health_check \(.*\) at .*umh_shmem\.c:([0-9]+)$/\2/p' <<<"$output" | head -n1)
	[ -n "$lines" ] || fail "the watchpoint did not stop in umh_health_check"
	read -r first last <<<"$(function_lines umh_health_check)"
	[ "$lines" -gt "$first" ] && [ "$lines" -lt "$last" ] ||
		fail "the writer's line $lines is not in umh_health_check (lines $first-$last)"
	assert_line --regexp '^#1 +(0x[0-9a-f]+ in )?health_check_write \('
	# x/2gx: the user's word at the hit, the request once written.
	read -r j0 j1 <<<"$(truth junk)"
	read -r d0 d1 <<<"$(truth dump0)"
	read -r e0 e1 <<<"$(truth dump1024)"
	assert_line "$virt:$t$j0$t$j1"
	assert_line "$virt:$t$d0$t$d1"
	assert_line "$(hex "$virt + 1024"):$t$e0$t$e1"
}

# bats test_tags=points:3
@test "ex6: the kprobe's 0xcc at the traced function while armed, the original byte after" {
	local fns=(weigh mix) fn args byte
	fn=${fns[RANDOM % 2]}
	args="$(random_u30) $(random_u30) $(random_u30) $(random_u30) $(random_u30) $(random_u30)"
	run_exercise ex6-int3.gdb "$(guest_ex6 "$fn" "$args")"
	need_truth sym
	byte=$(kernel_log | sed -nE "s/.*trace: before arming trace_target_$fn \(.*\): ([0-9a-f]{2}) .*/\1/p" | head -n1)
	[ -n "$byte" ] || fail "lab 3's tracer logged no 'before arming' line"
	assert_answer addr "0x$(truth sym | cut -d' ' -f1)"
	assert_answer armed 0xcc
	assert_answer saved "0x$byte"
	assert_answer after "0x$byte"
}

# bats test_tags=points:3
@test "ex7: lx-symbols stops in a module's init; lx-lsmod, lx-ps and lx-dmesg there" {
	local word pid mod addr
	word=$(random_word 12)
	run_exercise ex7-lx.gdb "$(guest_ex7 "$word" $((RANDOM % 40)))"
	need_truth pid module
	pid=$(truth pid)
	assert_line --regexp '^Breakpoint [0-9]+, umh_shm_init \(\) at .*umh_shmem\.c:[0-9]+$'
	for mod in umh_shmem trace_target; do
		addr=$(tr -d '\r' <"$KDLAB_GUEST_OUTPUT" |
			awk -v m="$mod" '$1 == "truth" && $3 == m { print $8 }')
		assert_line --regexp "^$addr $mod +[0-9]+ "
	done
	assert_line --regexp "^0x[0-9a-f]+ +$pid +insmod\$"
	assert_line --regexp "^\[ *[0-9]+\.[0-9]+\] kdlab lab 4: $word\$"
}

# --- the docs ---------------------------------------------------------------

# The transcript of docs/lab-4.md that follows "<!-- transcript: FILE -->",
# as extended regular expressions, one per line: "(gdb) CMD" is gdb's
# "+CMD" (set trace-commands on), text between ‹ and › may be anything,
# "..." lines and blank lines are skipped, runs of blanks are one space.
doc_patterns() {
	awk -v file="$1" '
		$0 == "<!-- transcript: " file " -->" { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		!inside { next }
		{
			gsub(/[ \t]+/, " "); sub(/^ /, ""); sub(/ $/, "")
			if ($0 == "" || $0 == "...") next
			if (substr($0, 1, 6) == "(gdb) ") $0 = "+" substr($0, 7)
			out = ""
			while ($0 != "") {
				if (index($0, "‹") == 1) {
					end = index($0, "›")
					if (!end) { out = out "\\‹"; $0 = substr($0, 2); continue }
					out = out ".*"; $0 = substr($0, end + length("›")); continue
				}
				c = substr($0, 1, 1); $0 = substr($0, 2)
				if (index("\\^$.[]|()*+?{}", c)) c = "\\" c
				out = out c
			}
			print "^" out "$"
		}
	' "$KDLAB_ROOT/docs/lab-4.md"
}

# Checks that the patterns match lines of gdb's output, in order.
match_in_order() {
	awk '
		NR == FNR { pat[n++] = $0; next }
		{ gsub(/\r/, ""); gsub(/[ \t]+/, " "); sub(/^ /, ""); sub(/ $/, "") }
		i < n && $0 ~ pat[i] { i++ }
		END { if (i < n) { print "no line of gdb'\''s output matches: " pat[i]; exit 1 } }
	' "$1" "$2"
}

# bats test_tags=points:0,kdlab:baseline
@test "the transcripts in docs/lab-4.md are what the reference's gdb files print" {
	local ref=$KDLAB_ROOT/solutions/lab-4-gdb file session guest
	for file in ex1-attach ex2-file ex3-vma ex4-alloc ex5-awatch ex6-int3 ex7-lx; do
		doc_patterns "$file.gdb" >"$BATS_TEST_TMPDIR/$file.pat"
		[ -s "$BATS_TEST_TMPDIR/$file.pat" ] || fail "docs/lab-4.md has no transcript of $file.gdb"
		case $file in
		ex1-*) guest=$(guest_ex1 0) ;;
		ex2-*) guest=$(guest_ex2 umh_shm 600) ;;
		ex3-*) guest=$(guest_ex3 ro r) ;;
		ex4-*) guest=$(guest_ex4 0) ;;
		ex5-*) guest=$(guest_ex5 2 hello world goodbye) ;;
		ex6-*) guest=$(guest_ex6 weigh '1 2 3 4 5 6') ;;
		ex7-*) guest=$(guest_ex7 hello-from-the-docs 0) ;;
		esac
		session=$BATS_TEST_TMPDIR/$file.gdb
		{ echo 'set trace-commands on'; cat "$ref/$file.gdb"; } >"$session"
		run gdb_session "$session" -- "$guest"
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$file.out"
		run match_in_order "$BATS_TEST_TMPDIR/$file.pat" "$BATS_TEST_TMPDIR/$file.out"
		[ "$status" -eq 0 ] || fail "$file.gdb: $output
what gdb printed:
$(cat "$BATS_TEST_TMPDIR/$file.out")"
	done
}
