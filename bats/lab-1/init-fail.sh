#!/bin/sh
# sh init-fail.sh ID PAYLOAD HASH LIMIT: makes the init of umh_shmem.ko fail
# after it took its page, and checks that nothing stays behind. KTAP on
# stdout. Needs in /lab:
#   umh_clash.ko  a copy of umh_shmem.ko renamed by the grader: loaded
#                 first, it holds the device name, so that misc_register()
#                 of the real module fails with EEXIST, on any kernel.
#                 CLASHES failed loads must lose fewer than LIMIT pages
#                 (page_loss_limit in the grader).
#   fail_nth      the grader's systematic failslab sweep: each allocation
#                 of a load fails in turn, misc_register()'s among them
#                 (fault injection: KERNEL=debug). Its hundreds of loads
#                 move the page count by tens of pages under KASAN, so
#                 kmemleak and the kernel's own checkers judge this part.
# shellcheck source=bats/guest/ktap.sh
. ./ktap.sh
# shellcheck source=bats/guest/memory.sh
. ./memory.sh
id=$1 payload=$2 hash=$3 limit=$4
params="id=$id payload=$payload hash=$hash"
FS=/sys/kernel/debug/failslab
CLASHES=30

ktap_plan 5

# Warm the caches that a first load fills, then measure.
for i in 1 2 3; do
	# shellcheck disable=SC2086 # one word per parameter
	{ insmod umh_shmem.ko $params && rmmod umh_shmem; } || diag 'the warm-up load failed'
done
kmemleak_clear
dmesg -c >/dev/null

# 1. misc_register() fails on a name clash: sysfs has a umh_shm already.
refused=0 kept_status=1 kept="umh_clash.ko did not load"
if insmod umh_clash.ko; then
	# The first failures fill caches too (the debug kernel's stack depot).
	for i in 1 2 3; do
		# shellcheck disable=SC2086
		insmod umh_shmem.ko $params 2>/dev/null && rmmod umh_shmem
	done
	before=$(free_pages)
	i=0
	while [ $i -lt $CLASHES ]; do
		# shellcheck disable=SC2086
		if insmod umh_shmem.ko $params 2>/dev/null; then
			diag 'umh_shmem loaded while umh_clash holds its name'
			rmmod umh_shmem
		else
			refused=$((refused + 1))
		fi
		i=$((i + 1))
	done
	gone=$((before - $(free_pages)))
	kept=$(fewer_lost "$gone" "$limit")
	kept_status=$?
	rmmod umh_clash
fi
# The kernel says so each time misc_register() meets the clash.
clashed=$(dmesg | grep -c "duplicate filename '/devices/virtual/misc/umh_shm'")
clash_status=1
[ $refused -ne $CLASHES ] || [ "$clashed" -lt $CLASHES ] || clash_status=0
step "$CLASHES loads fail in misc_register on a name clash" \
	said $clash_status "$refused failed, $clashed in misc_register"
step "fewer than $limit pages lost in the failed loads" said "$kept_status" "$kept"

# 3. Every allocation of a load fails once, the init's own included.
sweep() {
	# failslab skips GFP_KERNEL allocations by default; say nothing per fault.
	echo N >$FS/ignore-gfp-wait
	echo 0 >$FS/verbose
	out=$(./fail_nth umh_shmem.ko umh_shmem "$params") || return 1
	echo "$out" | grep -v '^# fault'
	echo "$out" | grep -q '^faults [1-9][0-9]* .*loaded [1-9]'
}
if [ -d $FS ] && [ -e /proc/self/fail-nth ]; then
	step "a failslab sweep over every allocation of a load" sweep
else
	skip_step "a failslab sweep over every allocation of a load" "no fault injection (KERNEL=debug has it)"
fi

# 4. The module still loads and works after all that.
works() {
	# shellcheck disable=SC2086
	insmod umh_shmem.ko $params && [ "$(./shm_read)" = "$id $payload $hash" ] &&
		rmmod umh_shmem
}
step "a load after the failures works" works
step "no kmemleak report" no_kmemleak_report
