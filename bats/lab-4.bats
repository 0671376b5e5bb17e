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
load helpers/guide

setup_file() {
	kdlab_submission 4
	# A gdb file that goes wrong must not cost a minute per test.
	export KDLAB_TIMEOUT=${KDLAB_TIMEOUT:-30}
	# The guest runs the reference code of labs 1 and 3, whatever is graded;
	# lx-symbols finds their modules, with the sources they were built from.
	kdlab_build_reference 1 3
}

# --- helpers ------------------------------------------------------------

# The submission's gdb file for an exercise; fails clearly when it is missing.
exercise() {
	local f=$KDLAB_SUBMISSION/$1
	[ -f "$f" ] || fail "no $1 in $KDLAB_SUBMISSION"
	echo "$f"
}

# run_exercise FILE SCENARIO ARGS...: runs the submission's gdb file FILE
# while the guest runs bats/lab-4/SCENARIO with ARGS (words, quoted for the
# guest's shell). $output is gdb's output, without carriage returns.
run_exercise() {
	local file scenario=$2 mapper
	file=$(exercise "$1") || return 1
	shift 2
	mapper=$(grader_program lab-4/mapper.c) || return 1
	run gdb_session "$file" --add "$BATS_TEST_DIRNAME/lab-4/$scenario" --add "$mapper" \
		-- "sh $scenario$(printf ' %q' "$@")"
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
$(cat "$KDLAB_GUEST_OUTPUT")
gdb's output:
$output)"
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

# function_lines FILE FUNCTION: the first and the last line of FUNCTION's
# definition in FILE, from its name to its closing brace. Line numbers come
# from the sources, which other labs change.
function_lines() {
	awk -v fn="$2" '
		!start && /^[A-Za-z]/ && !/;[ \t]*$/ && $0 ~ ("(^|[^A-Za-z0-9_])" fn "\\(") { start = NR }
		start && /^}/ { print start, NR; exit }
	' "$1"
}

# assert_in_function LINE FILE FUNCTION WHAT: LINE of FILE (a lab's
# source) is within FUNCTION's definition.
assert_in_function() {
	local first last
	read -r first last <<<"$(function_lines "$2" "$3")"
	[ -n "$last" ] || fail "no function $3 in ${2##*/}"
	if [ "$1" -lt "$first" ] || [ "$1" -gt "$last" ]; then
		fail "$4: line $1 of ${2##*/} is not in $3 (lines $first-$last)"
	fi
}

# The reference sources that the guest runs.
lab1_source() {
	echo "$(lab_source_dir solutions 1)/$1"
}

lab3_source() {
	echo "$(lab_source_dir solutions 3)/$1"
}

# A random lowercase word of 6 to 12 letters.
random_name() {
	random_word $((6 + RANDOM % 7))
}

# Permission bits, 0 to 0777, as chmod takes them.
random_perm() {
	printf '%03o' $((RANDOM % 512))
}

# --- the guide --------------------------------------------------------------

# Each worked example of docs/lab-4.md is a fenced block after a comment
# "<!-- guest: NAME -->" (what the guest runs) and one after
# "<!-- gdb: NAME -->" (what gdb printed, with "(gdb) COMMAND" for each
# command; helpers/guide.bash). Its tests, at the end, run the guide's own
# commands and compare.
GUIDE=$KDLAB_ROOT/docs/lab-4.md

# doc_commands NAME VALUE...: the commands of the transcript, each "‹…›" in
# them replaced by the next VALUE (what the guide cannot write down, such
# as a line number of a lab's source).
doc_commands() {
	local name=$1
	shift
	doc_block gdb "$name" | awk -v values="$*" '
		BEGIN { n = split(values, v, " ") }
		substr($0, 1, 6) == "(gdb) " {
			cmd = substr($0, 7)
			while ((s = index(cmd, "‹")) > 0) {
				e = index(cmd, "›")
				if (e < s || used == n) { bad = "no value for: " $0; exit }
				cmd = substr(cmd, 1, s - 1) v[++used] substr(cmd, e + length("›"))
			}
			print cmd
		}
		END {
			if (!bad && used != n) bad = "values left over: " n - used
			if (bad) { print bad > "/dev/stderr"; exit 1 }
		}'
}

# The values that doc_commands puts in an example's commands.
doc_values() {
	case $1 in
	example-1) function_lines "$(lab3_source trace_target.c)" target_write | cut -d' ' -f1 ;;
	esac
}

# guide_example NAME: boots the guest with the example's guest commands,
# runs its gdb commands as the guide writes them, and matches what gdb
# printed against the rest of the transcript.
guide_example() {
	local name=$1 session
	[ -n "$(doc_block guest "$name")" ] || fail "docs/lab-4.md: $name has no guest commands"
	doc_patterns gdb "$name" >"$BATS_TEST_TMPDIR/$name.pat"
	session=$BATS_TEST_TMPDIR/$name.gdb
	# shellcheck disable=SC2046 # the values are words
	{ echo 'set trace-commands on' && doc_commands "$name" $(doc_values "$name"); } >"$session" ||
		fail "docs/lab-4.md: the commands of $name"
	[ "$(wc -l <"$session")" -gt 1 ] || fail "docs/lab-4.md: $name runs no command"
	run gdb_session "$session" -- "$(doc_block guest "$name")"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$name.out"
	run match_in_order "$BATS_TEST_TMPDIR/$name.pat" "$BATS_TEST_TMPDIR/$name.out"
	[ "$status" -eq 0 ] || fail "docs/lab-4.md, $name: $output
what gdb printed:
$(cat "$BATS_TEST_TMPDIR/$name.out")"
}

# --- the exercises ----------------------------------------------------------

# bats test_tags=points:2
@test "ex1: a hardware breakpoint by file and line stops in shmem_mmap of the mapping task" {
	local name line
	name=$(random_name)
	run_exercise ex1-attach.gdb ex1.sh $((RANDOM % 40)) "$name"
	need_truth pid comm
	[ "$(truth comm)" = "$name" ] || fail "the guest ran its prober as '$(truth comm)', not '$name'"
	line=$(sed -nE 's/^Hardware assisted breakpoint [0-9]+ \(([^ ]*\/)?umh_shmem\.c:([0-9]+)\) pending\.$/\2/p' <<<"$output" | head -n1)
	[ -n "$line" ] || fail "no pending hardware breakpoint given as umh_shmem.c:LINE"
	assert_in_function "$line" "$(lab1_source umh_shmem.c)" shmem_mmap "the breakpoint"
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(file=0x[0-9a-f]+, vma=0x[0-9a-f]+\) at .*umh_shmem\.c:[0-9]+$'
	assert_line "pid=$(truth pid) comm=$name"
}

# bats test_tags=points:3
@test "ex2: the dentry's name, the inode's mode and number, the task's descriptors decoded" {
	local name perm kinds=(null zero file dir) streams n spec mode chr chars
	name=shm$(random_word 6)
	perm=$(random_perm)
	# Descriptors 0 to 2 on devices, regular files or a directory (read
	# only: descriptor 0), both character devices and others in every run.
	while :; do
		streams=() chars=0
		for n in 0 1 2; do
			spec=${kinds[RANDOM % (n == 0 ? 4 : 3)]}
			case $spec in file | dir) spec=$spec:$(random_perm) ;; esac
			case $spec in null | zero) chars=$((chars + 1)) ;; esac
			streams+=("$spec")
		done
		[ "$chars" -eq 0 ] || [ "$chars" -eq 3 ] || break
	done
	# The node's inode number moves with the files made before it: an
	# answer written in from another run is right once in 2,000 runs.
	run_exercise ex2-file.gdb ex2.sh "$name" "$perm" $((1 + RANDOM % 2000)) "${streams[@]}"
	need_truth mode ino fd0 fd1 fd2
	mode=$(truth mode)
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(.*\) at .*umh_shmem\.c:[0-9]+$'
	assert_answer name "$name"
	assert_answer i_mode "0x$mode"
	assert_answer perm "0$perm"
	assert_answer i_ino "$(truth ino)"
	for n in 0 1 2; do
		mode=$(truth "fd$n")
		chr=$(((0x$mode & 0170000) == 0020000))
		assert_line "fd$n i_mode=0x$mode S_ISCHR=$chr"
	done
}

# bats test_tags=points:3
@test "ex3: vm_start, vm_end and vm_flags of the user's area, decoded" {
	local opens=(ro rw) shares=(shared private) prots=(none r w x rw rx wx rwx)
	local open share prot addr len r w x rw s flags maps
	# Any open mode, protection and sharing that reaches the driver: a
	# read-only open cannot map shared and writable (the VFS refuses), and
	# never the article's own case (read-only, PROT_READ, shared: 0xd1).
	while :; do
		open=${opens[RANDOM % 2]} share=${shares[RANDOM % 2]} prot=${prots[RANDOM % 8]}
		[ "$open$share" = roshared ] && [[ $prot == *w* || $prot == r ]] && continue
		break
	done
	# At a fixed place, so its start is known even when the driver then
	# refuses the area (too long, private, or executable).
	addr=$(((1 << 44) + ((RANDOM << 15 | RANDOM) << 12)))
	len=$((4096 * (RANDOM % 4 ? 1 : 2 + RANDOM % 2)))
	run_exercise ex3-vma.gdb ex3.sh "$open" "$prot" "$share" "$(hex "$addr")" "$len"
	need_truth mmap
	# The flags as do_mmap() makes them (mm/mmap.c): the protection; the
	# VM_MAY* bits, but no VM_MAYWRITE on a shared read-only open; with
	# MAP_SHARED, VM_MAYSHARE, and VM_SHARED if the open can write; a
	# private writable area is charged to the commit limit, VM_ACCOUNT.
	r=0 w=0 x=0 rw=0 s=0
	[[ $prot != *r* ]] || r=1
	[[ $prot != *w* ]] || w=1
	[[ $prot != *x* ]] || x=1
	[ "$open" = ro ] || rw=1
	[ "$share" = private ] || s=1
	flags=$((r | w << 1 | x << 2 | (s & rw) << 3 | 0x10 | (1 - s + (s & rw)) << 5 | 0x40 | s << 7 | ((1 - s) & w) << 20))
	assert_line --regexp '^Breakpoint [0-9]+, shmem_mmap \(.*\) at .*umh_shmem\.c:[0-9]+$'
	assert_answer vm_start "$(hex "$addr")"
	assert_answer vm_end "$(hex "$addr + len")"
	assert_answer vm_flags "$(hex "$flags")"
	assert_line "VM_READ=$r VM_WRITE=$w VM_EXEC=$x VM_SHARED=$((s & rw)) VM_MAYREAD=1 VM_MAYWRITE=$((1 - s + (s & rw))) VM_MAYEXEC=1 VM_MAYSHARE=$s"
	# The guest's view agrees, when the area was kept.
	if [ "$(truth mmap)" = ok ]; then
		maps=$(truth maps)
		[ "${maps%% *}" = "$(printf '%x-%x' "$addr" "$((addr + len))")" ] ||
			fail "the guest's mapping is '$maps', not at $(hex "$addr")"
	fi
}

# bats test_tags=points:3
@test "ex4: the allocation's return in rax, the page's virtual and physical addresses" {
	local page
	run_exercise ex4-alloc.gdb ex4.sh $((RANDOM % 256))
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
	local id payload hash junk virt lines j0 j1 d0 d1 e0 e1 t=$'\t'
	id=$(random_u30) payload=$(random_word $((5 + RANDOM % 7)))
	hash=$(random_word $((5 + RANDOM % 7))) junk=$(random_word 10)
	run_exercise ex5-awatch.gdb ex5.sh $((RANDOM % 256)) "$id" "$payload" "$hash" "$junk"
	need_truth virt junk dump0 dump1024
	virt=$(truth virt)
	assert_answer watch "$virt"
	# The hit: gdb's report, then the writer's frame, called from debugfs.
	assert_line --regexp '^Hardware access \(read/write\) watchpoint [0-9]+: '
	assert_line --regexp '^(Old value|Value) = '
	lines=$(sed -nE 's/^(0x[0-9a-f]+ in )?umh_health_check \(.*\) at .*umh_shmem\.c:([0-9]+)$/\2/p' <<<"$output" | head -n1)
	[ -n "$lines" ] || fail "the watchpoint did not stop in umh_health_check"
	assert_in_function "$lines" "$(lab1_source umh_shmem.c)" umh_health_check "the writer"
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
@test "ex6: the byte that the kprobe saved, and the traced function's first byte while armed and disarmed" {
	local fns=(trace_target_weigh trace_target_mix target_write umh_health_check health_check_write)
	local fn states=() bits n orig armed expected got hits armed_calls
	fn=${fns[RANDOM % ${#fns[@]}]}
	# Armed (1) or disarmed (0) at each of the four later calls: both, in
	# an order picked per run.
	bits=$((1 + RANDOM % 14))
	for n in 3 2 1 0; do states+=($((bits >> n & 1))); done
	run_exercise ex6-int3.gdb ex6.sh "$fn" "${states[*]}" \
		"$(random_u30)" "$(random_u30)" "$(random_u30)" "$(random_u30)" "$(random_u30)" "$(random_u30)"
	need_truth sym
	# The tracer logs the function's bytes before it arms and once armed.
	orig=$(kernel_log | sed -nE "s/.*trace: before arming $fn \(.*\): ([0-9a-f]{2}) .*/\1/p" | head -n1)
	armed=$(kernel_log | sed -nE "s/.*trace: armed $fn \(.*\): ([0-9a-f]{2}) .*/\1/p" | head -n1)
	[ -n "$orig" ] && [ -n "$armed" ] || fail "lab 3's tracer logged no 'before arming' and 'armed' lines for $fn"
	assert_answer addr "0x$(truth sym | cut -d' ' -f1)"
	assert_answer saved "0x$orig"
	expected=
	for n in "${states[@]}"; do
		expected+="byte=0x$([ "$n" = 1 ] && echo "$armed" || echo "$orig") "
	done
	got=$(grep -E '^byte=' <<<"$output" | tr '\n' ' ' || true)
	[ "$got" = "$expected" ] ||
		fail "the calls found the probe armed/disarmed as ${states[*]}: expected '$expected', the gdb file printed '${got:-nothing}'"
	# The kprobe saw every armed call: a session that resumed from a stop
	# on the int3 made QEMU step over it unseen.
	assert_kernel_clean
	hits=$(kernel_log | sed -nE "s/.*trace: $fn disarmed after ([0-9]+) hits.*/\1/p" | awk '{ n += $1 } END { print n + 0 }')
	armed_calls=$((1 + $(grep -o 1 <<<"${states[*]}" | wc -l)))
	[ "$hits" -eq "$armed_calls" ] ||
		fail "the kprobe saw $hits of the $armed_calls calls made while armed: did gdb stop on the int3?"
}

# bats test_tags=points:3
@test "ex7: lx-symbols stops in a module's init; lx-lsmod, lx-ps and lx-dmesg there" {
	local orders=('' trace.ko trace_target.ko 'trace.ko trace_target.ko' 'trace_target.ko trace.ko')
	local word pid mod addr
	word=$(random_word 12)
	run_exercise ex7-lx.gdb ex7.sh "$word" $((RANDOM % 40)) "${orders[RANDOM % 5]}"
	need_truth pid module
	pid=$(truth pid)
	assert_line --regexp '^Breakpoint [0-9]+, umh_shm_init \(\) at .*umh_shmem\.c:[0-9]+$'
	# Every module, at the address that /proc/modules gives.
	while read -r mod addr; do
		assert_line --regexp "^$addr $mod +[0-9]+ "
	done < <(tr -d '\r' <"$KDLAB_GUEST_OUTPUT" | awk '$1 == "truth" && $2 == "module" { print $3, $8 }')
	assert_line --regexp "^0x[0-9a-f]+ +$pid +insmod\$"
	assert_line --regexp "^\[ *[0-9]+\.[0-9]+\] kdlab lab 4: $word\$"
}

# --- the guide's tests: one per example, which a grade's parallel runs share out

# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: a worked example per exercise, example-1 to example-7" {
	local names
	names=$(sed -n 's/^<!-- gdb: \(.*\) -->$/\1/p' "$GUIDE")
	[ "$names" = "$(printf 'example-%s\n' 1 2 3 4 5 6 7)" ] ||
		fail "docs/lab-4.md's transcripts are not example-1 to example-7, in order: $names"
}

# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-1 prints what the guide shows" { guide_example example-1; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-2 prints what the guide shows" { guide_example example-2; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-3 prints what the guide shows" { guide_example example-3; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-4 prints what the guide shows" { guide_example example-4; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-5 prints what the guide shows" { guide_example example-5; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-6 prints what the guide shows" { guide_example example-6; }
# bats test_tags=points:0,kdlab:baseline,kdlab:docs
@test "docs/lab-4.md: example-7 prints what the guide shows" { guide_example example-7; }
