#!/usr/bin/env bats
# Lab 3: the kprobe tracer behind /proc/trace (issue 5, docs/lab-3.md).
# The six arguments of each call are picked at random per run, so the
# tracer must really read them; trace_target.ko (given) is the code traced.

load helpers/kdlab

setup_file() {
	kdlab_build_lab 3
}

LOAD='insmod trace.ko && insmod trace_target.ko'
T=/sys/kernel/debug/trace_target
KPROBES=/sys/kernel/debug/kprobes/list

# Six random arguments for a call, in ARGS: 64-bit values above 2^32, so
# that a tracer that keeps 32 bits of an argument shows, and below
# 2^58 + 2^32, so that weigh's sum (21 arguments' worth) stays below 2^63
# for the shell's signed arithmetic.
# (No $(...) here: a fork costs more than the rest of a test's checks.)
pick_args() {
	ARGS=()
	for _ in 1 2 3 4 5 6; do
		ARGS+=("$(((SRANDOM % (1 << 26) + 1) << 32 | SRANDOM))")
	done
}

# What the target functions return, as trace_target.c computes it.
weigh_of() {
	echo $(($1 + 2 * $2 + 3 * $3 + 4 * $4 + 5 * $5 + 6 * $6))
}

# mix wraps around 2^64: the shell's signed result, then as the kernel
# prints it, in decimal (%lu) and in hex (%lx).
mix_raw() {
	echo $((($1 * $2) ^ ($3 * $4) ^ ($5 * $6)))
}

mix_of() {
	printf '%u\n' "$(mix_raw "$@")"
}

mix_hex() {
	printf '%x\n' "$(mix_raw "$@")"
}

# The kernel log without the timestamps.
klog() {
	kernel_log | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'
}

# The hit blocks ("]=---" to "]= EOF") logged for function $1.
blocks() {
	klog | awk -v fn="$1" '
		$0 == "]=------------------------" { inside = 1; block = "" }
		inside { block = block $0 "\n" }
		inside && $0 == "]= EOF -------------------" {
			inside = 0
			if (index(block, "\nFunction  : " fn "\n"))
				printf "%s", block
		}'
}

block_count() {
	blocks "$1" | grep -c '^]= EOF' || true
}

# The bytes a line "trace: WHEN FUNCTION (...): 55 48 ..." logged.
logged_bytes() {
	klog | sed -n "s/^trace: $1 $2 (.*): //p"
}

# The probes that kprobes/list showed in $output, one "k sym+0x0" a line.
listed_probes() {
	grep -E '^[0-9a-f]{16}  [kr]  ' <<<"$output" | awk '{ print $2, $3 }' | sort
}

# Asserts that the first block logged for $1 holds the arguments $2..$7.
assert_block() {
	local fn=$1 first second
	shift
	printf -v first 'args 0: %016x  args 1: %016x  args 2: %016x' "$1" "$2" "$3"
	printf -v second 'args 3: %016x  args 4: %016x  args 5: %016x' "$4" "$5" "$6"
	run blocks "$fn"
	assert_line --index 0 ']=------------------------'
	assert_line --index 1 "Function  : $fn"
	assert_line --index 2 "$first"
	assert_line --index 3 "$second"
	assert_line --index 4 --regexp '^Pid: [0-9]+, comm: .+$'
	assert_line --index 5 'Call Trace:'
}

# Arms trace_target_weigh, makes each write of $@ with rawwrite (one line
# of output each), then shows /proc/trace, kprobes/list, and calls weigh.
arm_then_write() {
	local writes='' data
	pick_args
	for data in "$@"; do
		writes+="./rawwrite /proc/trace '$data'; "
	done
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && $writes
		cat /proc/trace && cat $KPROBES && echo ${ARGS[*]} >$T/weigh"
}

# After arm_then_write: the probe on weigh is armed as before and works.
assert_still_armed() {
	assert_success
	assert_line 'Function traced : trace_target_weigh'
	assert_equal "$(listed_probes)" $'k trace_target_weigh+0x0\nr trace_target_weigh+0x0'
	assert_kernel_clean
	assert_block trace_target_weigh "${ARGS[@]}"
}

# bats test_tags=points:1,kdlab:baseline
@test "trace.ko loads, /proc/trace says none, and it unloads" {
	run vm 'insmod trace.ko && cat /proc/trace && cat /sys/module/trace/parameters/max_hits &&
		rmmod trace && if test -e /proc/trace; then echo left behind; else echo gone; fi'
	assert_success
	assert_output $'Function traced : none\n10\ngone'
	assert_kernel_clean
}

# bats test_tags=points:3
@test "a name written to /proc/trace arms it, echo's newline too, and none disarms" {
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && head -1 /proc/trace &&
		echo trace_target_mix >/proc/trace && head -1 /proc/trace && cat $KPROBES &&
		echo --- && printf none >/proc/trace && cat /proc/trace $KPROBES"
	assert_success
	assert_line --index 0 'Function traced : trace_target_weigh'
	assert_line --index 1 'Function traced : trace_target_mix'
	assert_equal "$(listed_probes)" $'k trace_target_mix+0x0\nr trace_target_mix+0x0'
	assert_equal "$(sed -n '/^---$/,$p' <<<"$output")" $'---\nFunction traced : none'
	assert_kernel_clean
}

# bats test_tags=points:5
@test "a hit logs the article's block with the six exact arguments" {
	pick_args
	run vm "$LOAD && printf trace_target_weigh >/proc/trace &&
		echo ${ARGS[*]} >$T/weigh && echo pid=\$\$ && cat $T/weigh"
	assert_success
	assert_line "$(weigh_of "${ARGS[@]}")"
	pid=$(sed -n 's/^pid=//p' <<<"$output")
	assert_equal "$(block_count trace_target_weigh)" 1
	assert_block trace_target_weigh "${ARGS[@]}"
	assert_line --index 4 "Pid: $pid, comm: sh"
	# The int3 interrupted the function at its first instruction.
	assert_line --regexp '^ +trace_target_weigh\+0x[0-9a-f]+/0x[0-9a-f]+ \[trace_target\]$'
	assert_line --regexp '^ +vfs_write\+'
	assert_equal "${lines[-1]}" ']= EOF -------------------'
	assert_kernel_clean
}

# bats test_tags=points:3
@test "the kretprobe logs the exact return value and the call's duration" {
	pick_args
	run vm "$LOAD && printf trace_target_mix >/proc/trace && echo ${ARGS[*]} >$T/mix &&
		cat $T/mix"
	assert_success
	assert_output "$(mix_of "${ARGS[@]}")"
	assert_kernel_log "trace: trace_target_mix ret: 0x$(mix_hex "${ARGS[@]}"), duration: [0-9]+ ns"
	assert_kernel_clean
	assert_block trace_target_mix "${ARGS[@]}"
}

# bats test_tags=points:3
@test "max_hits bounds the logged hits; /proc/trace counts every hit and the misses" {
	max=$((RANDOM % 3 + 2))
	calls=$((max + 2 + RANDOM % 4))
	pick_args
	run vm "insmod trace.ko max_hits=$max && insmod trace_target.ko &&
		echo trace_target_weigh >/proc/trace &&
		for i in \$(seq $calls); do echo ${ARGS[*]} >$T/weigh; done && cat /proc/trace"
	assert_success
	assert_line --regexp "^Hits +: $calls\$"
	assert_line --regexp '^Missed +: 0$'
	assert_equal "$(block_count trace_target_weigh)" "$max"
	assert_equal "$(klog | grep -c '^trace: trace_target_weigh ret: ')" "$max"
	assert_kernel_clean
}

# The guide's rule: max_hits is taken when a function is armed. Lowered,
# then raised while armed, it changes nothing until the next arming; a
# tracer that reads the parameter at each hit logs too few or too many.
# bats test_tags=points:2
@test "max_hits changed while armed applies from the next arming on" {
	max=$((RANDOM % 3 + 3))
	pick_args
	run vm --add "$BATS_TEST_DIRNAME/lab-3/max-hits.sh" -- "sh max-hits.sh $max ${ARGS[*]}"
	assert_success
	assert_equal "$(tr -s ' ' <<<"$output")" \
		"$(printf 'Hits : %s\nLogged at most : %s\n' $((2 * max + 3)) "$max" 4 2)"
	assert_equal "$(block_count trace_target_weigh)" "$max"
	assert_equal "$(klog | grep -c '^trace: trace_target_weigh ret: ')" "$max"
	assert_equal "$(block_count trace_target_mix)" 2
	assert_equal "$(klog | grep -c '^trace: trace_target_mix ret: ')" 2
	assert_kernel_clean
}

# bats test_tags=points:2
@test "tracing __kmalloc as in the article logs at most 10 hits by default" {
	# Each exec allocates in load_elf_binary(), the article's caller.
	run vm "insmod trace.ko && printf __kmalloc >/proc/trace &&
		for i in \$(seq 20); do /bin/true; done && cat /proc/trace &&
		printf none >/proc/trace && cat /proc/trace"
	assert_success
	hits=$(sed -nE 's/^Hits +: //p' <<<"$output")
	[ "${hits:-0}" -gt 10 ] || fail "only '$hits' hits on __kmalloc"
	assert_equal "${lines[-1]}" 'Function traced : none'
	assert_equal "$(block_count __kmalloc)" 10
	blocks __kmalloc | grep -q '^ *load_elf_binary+' ||
		fail 'no hit from load_elf_binary in the call traces'
	assert_kernel_clean
}

# bats test_tags=points:4
@test "the int3 lesson: 0xcc at the function while armed, the original bytes after" {
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && sleep 1 && cat /proc/trace $KPROBES &&
		printf none >/proc/trace"
	assert_success
	before=$(logged_bytes 'before arming' trace_target_weigh)
	armed=$(logged_bytes armed trace_target_weigh)
	after=$(logged_bytes 'after unregister_kprobe' trace_target_weigh)
	[[ $before =~ ^([0-9a-f]{2} ){15}[0-9a-f]{2}$ ]] ||
		fail "no 16 bytes logged before arming: '$before'"
	[ "${before:0:2}" != cc ] || fail "an int3 before arming: $before"
	assert_equal "$armed" "cc${before:2}"
	assert_equal "$after" "$before"
	# A second later the int3 is still there: the probe was not optimized.
	assert_line --regexp "^Code now +: cc${before:2}\$"
	refute_output --partial OPTIMIZED
	assert_kernel_clean
}

# bats test_tags=points:2
@test "with optimize=1 the kernel turns the int3 into a jmp (0xe9), and hits still come" {
	pick_args
	run vm "insmod trace.ko optimize=1 && insmod trace_target.ko &&
		printf trace_target_weigh >/proc/trace &&
		for i in \$(seq 50); do grep -q '^Code now *: e9' /proc/trace && break; sleep 0.1; done;
		cat /proc/trace $KPROBES && echo ${ARGS[*]} >$T/weigh"
	assert_success
	assert_line --regexp '^Code now +: e9 '
	assert_output --partial '[OPTIMIZED]'
	assert_kernel_log '^.*trace: armed trace_target_weigh \(.*\): cc '
	assert_kernel_clean
	assert_block trace_target_weigh "${ARGS[@]}"
	# The jump goes to the optimized probe's code: no int3 on the way.
	assert_line --regexp '^ +optimized_callback\+'
	refute_line --regexp '^ +exc_int3\+'
}

# bats test_tags=points:2
@test "bad input: an empty write is refused with EINVAL and changes nothing" {
	arm_then_write '' '\n'
	assert_line --index 0 EINVAL
	assert_line --index 1 EINVAL
	assert_still_armed
}

# bats test_tags=points:2
@test "bad input: a name of KSYM_NAME_LEN (512) bytes or more gets ENAMETOOLONG" {
	longest=$(random_word 511)
	arm_then_write "$(random_word 512)" "$longest"'\n' "$(random_word 512)"'\n' "$(random_word 5000)"
	assert_line --index 0 ENAMETOOLONG
	# The longest name that fits is looked up (and not found).
	assert_line --index 1 ENOENT
	assert_line --index 2 ENAMETOOLONG
	assert_line --index 3 ENAMETOOLONG
	assert_still_armed
}

# The size alone decides: a tracer refuses a write of more than
# KSYM_NAME_LEN bytes before it copies anything. bigwrite's buffer is
# readable in its first page only, so a tracer that copies first gets
# EFAULT, or for 1 GiB fails to allocate (ENOMEM and a warning).
# bats test_tags=points:2
@test "bad input: an oversized write is refused with ENAMETOOLONG before any copy" {
	pick_args
	big=$(grader_program lab-3/bigwrite.c)
	run vm --add "$big" -- "$LOAD && printf trace_target_weigh >/proc/trace &&
		./bigwrite /proc/trace $((4097 + RANDOM)); ./bigwrite /proc/trace $((1 << 30));
		cat /proc/trace && cat $KPROBES && echo ${ARGS[*]} >$T/weigh"
	assert_line --index 0 ENAMETOOLONG
	assert_line --index 1 ENAMETOOLONG
	assert_still_armed
}

# bats test_tags=points:2
@test "bad input: non-printable bytes are refused with EINVAL" {
	arm_then_write 'trace_target_weigh\x01' 'trace_target\x00weigh' '\x7ftrace_target_weigh' \
		'trace_target_weigh\xe9' 'trace_target_weigh\x09'
	for i in 0 1 2 3 4; do
		assert_line --index "$i" EINVAL
	done
	assert_still_armed
}

# bats test_tags=points:2
@test "bad input: an unknown symbol gives ENOENT" {
	arm_then_write "kdlab_$(random_word 12)" "$(random_word 20)"'\n'
	assert_line --index 0 ENOENT
	assert_line --index 1 ENOENT
	assert_still_armed
}

# bats test_tags=points:2
@test "bad input: a symbol that cannot be probed gives EINVAL and a clear log line" {
	# Both are NOKPROBE_SYMBOL: the int3 path itself cannot be probed.
	arm_then_write notify_die kprobe_int3_handler
	assert_line --index 0 EINVAL
	assert_line --index 1 EINVAL
	assert_kernel_log 'notify_die.*(blacklist|NOKPROBE)'
	assert_kernel_log 'kprobe_int3_handler.*(blacklist|NOKPROBE)'
	assert_still_armed
}

# bats test_tags=points:3
@test "arming while armed switches cleanly to the new function" {
	pick_args
	first=("${ARGS[@]}")
	pick_args
	missed=("${ARGS[@]}")
	pick_args
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && echo ${first[*]} >$T/weigh &&
		printf trace_target_mix >/proc/trace && echo ${missed[*]} >$T/weigh &&
		echo ${ARGS[*]} >$T/mix && cat /proc/trace $KPROBES"
	assert_success
	assert_line 'Function traced : trace_target_mix'
	assert_equal "$(listed_probes)" $'k trace_target_mix+0x0\nr trace_target_mix+0x0'
	assert_equal "$(block_count trace_target_weigh)" 1
	assert_equal "$(block_count trace_target_mix)" 1
	assert_kernel_log "trace: trace_target_mix ret: 0x$(mix_hex "${ARGS[@]}"),"
	refute_kernel_log "trace: trace_target_weigh ret: 0x$(printf %x "$(weigh_of "${missed[@]}")"),"
	after=$(logged_bytes 'after unregister_kprobe' trace_target_weigh)
	assert_equal "$after" "$(logged_bytes 'before arming' trace_target_weigh)"
	assert_kernel_clean
	assert_block trace_target_mix "${ARGS[@]}"
	assert_block trace_target_weigh "${first[@]}"
}

# bats test_tags=points:3
@test "concurrent writers are serialized" {
	pick_args
	run vm --smp 2 --add "$BATS_TEST_DIRNAME/lab-3/writers.sh" -- \
		"$LOAD && sh writers.sh && printf none >/proc/trace && cat /proc/trace $KPROBES &&
		printf trace_target_weigh >/proc/trace && echo ${ARGS[*]} >$T/weigh"
	assert_success
	refute_output --partial FAILED
	# The storm leaves the two probes of one function, and none disarms them.
	storm=$(sed '/^---$/q' <<<"$output")
	listed=$(output=$storm listed_probes)
	[ "$listed" = $'k trace_target_mix+0x0\nr trace_target_mix+0x0' ] ||
		[ "$listed" = $'k trace_target_weigh+0x0\nr trace_target_weigh+0x0' ] ||
		fail "after the writers, kprobes/list has: $listed"
	assert_equal "$(sed -n '/^---$/,$p' <<<"$output")" $'---\nFunction traced : none'
	# On two CPUs, unserialized writers would arm side by side.
	order=$(klog | sed -n 's/^trace: \(before arming\|armed\) .*/\1/p' | tr '\n' ,)
	[[ $order =~ ^(before\ arming,armed,)+$ ]] || fail "armings overlapped: $order"
	# Every arming but the last one was undone.
	armings=$(klog | grep -c '^trace: armed ' || true)
	[ "$armings" -ge 2 ] || fail "only $armings armings logged"
	assert_equal "$(klog | grep -c '^trace: after unregister_kprobe ')" $((armings - 1))
	assert_kernel_clean
	assert_block trace_target_weigh "${ARGS[@]}"
}

# /proc/trace is read under the writers' lock: a read that names the new
# function comes after the whole switch, the old probes' removal included.
# On two CPUs, rearm_race reads without a pause while the other CPU
# switches, 10 times; a read without the lock names the new function
# while the old one is still being unregistered.
# bats test_tags=points:2,kdlab:debug
@test "a read of /proc/trace never sees a switch half done" {
	pick_args
	run vm --smp 2 --timeout 180 --add "$(grader_program lab-3/rearm_race.c)" -- \
		"$LOAD && printf trace_target_weigh >/proc/trace && ./rearm_race 10 &&
		printf none >/proc/trace && printf trace_target_weigh >/proc/trace &&
		echo ${ARGS[*]} >$T/weigh"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
	assert_block trace_target_weigh "${ARGS[@]}"
}

# bats test_tags=points:2
@test "rmmod while armed unregisters the probe" {
	pick_args
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && rmmod trace && cat $KPROBES &&
		echo ${ARGS[*]} >$T/weigh && cat $T/weigh &&
		if test -e /proc/trace; then echo left behind; else echo gone; fi"
	assert_success
	assert_output "$(weigh_of "${ARGS[@]}")"$'\ngone'
	before=$(logged_bytes 'before arming' trace_target_weigh)
	[ -n "$before" ] && [ "${before:0:2}" != cc ] || fail "bytes before arming: '$before'"
	assert_equal "$(logged_bytes 'after unregister_kprobe' trace_target_weigh)" "$before"
	assert_equal "$(block_count trace_target_weigh)" 0
	assert_kernel_clean
}

# bats test_tags=points:1
@test "unloading the traced module while armed is survived" {
	pick_args
	run vm "$LOAD && printf trace_target_weigh >/proc/trace && rmmod trace_target &&
		head -1 /proc/trace && printf none >/proc/trace && cat /proc/trace $KPROBES &&
		insmod trace_target.ko && printf trace_target_weigh >/proc/trace &&
		echo ${ARGS[*]} >$T/weigh"
	assert_success
	assert_output $'Function traced : trace_target_weigh\nFunction traced : none'
	assert_kernel_clean
	assert_block trace_target_weigh "${ARGS[@]}"
}

# bats test_tags=points:2
@test "/proc/trace is writable by root only" {
	# Busybox's setpriv cannot change uids: su, as root, needs no password.
	run vm "$LOAD && ls -l /proc/trace && su student -c 'id -u; ./rawwrite /proc/trace trace_target_weigh';
		su student -c 'cat /proc/trace' && printf trace_target_weigh >/proc/trace &&
		su student -c './rawwrite /proc/trace none'; head -1 /proc/trace"
	assert_success
	assert_line --index 0 --regexp '^-rw-r--r-- .* root +root .* /proc/trace$'
	assert_line --index 1 1000
	assert_line --index 2 'open: EACCES'
	assert_line --index 3 'Function traced : none'
	assert_line --index 4 'open: EACCES'
	assert_line --index 5 'Function traced : trace_target_weigh'
	assert_kernel_clean
}
