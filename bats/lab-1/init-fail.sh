#!/bin/sh
# sh init-fail.sh ID PAYLOAD HASH LIMIT: makes the init of umh_shmem.ko fail
# after it took its page, and checks that nothing stays behind. KTAP on
# stdout. Needs in /lab:
#   umh_clash.ko  a copy of umh_shmem.ko renamed by the grader: loaded
#                 first, it holds the device name, so that misc_register()
#                 of the real module fails with EEXIST, on any kernel.
#                 CLASHES failed loads must lose fewer than LIMIT pages.
#   fail_nth      the grader's systematic failslab sweep: each allocation
#                 of a load fails in turn, misc_register()'s among them
#                 (fault injection: KERNEL=debug). Its hundreds of loads
#                 move the page count by tens of pages under KASAN, so
#                 kmemleak and the kernel's own checkers judge this part.
# shellcheck source=bats/lab-1/pages.sh
. ./pages.sh
id=$1 payload=$2 hash=$3 limit=$4
params="id=$id payload=$payload hash=$hash"
FS=/sys/kernel/debug/failslab
CLASHES=30

echo 'KTAP version 1'
echo '1..5'

# Warm the caches that a first load fills, then measure.
for i in 1 2 3; do
	# shellcheck disable=SC2086 # one word per parameter
	insmod umh_shmem.ko $params && rmmod umh_shmem || echo '# the warm-up load failed'
done
kmemleak_clear
dmesg -c >/dev/null

# 1. misc_register() fails on a name clash: sysfs has a umh_shm already.
refused=0
if insmod umh_clash.ko; then
	# The first failures fill caches too (the debug kernel's stack depot).
	for i in 1 2 3; do
		# shellcheck disable=SC2086
		insmod umh_shmem.ko $params 2>/dev/null && rmmod umh_shmem
	done
	before=$(pages)
	i=0
	while [ $i -lt $CLASHES ]; do
		# shellcheck disable=SC2086
		if insmod umh_shmem.ko $params 2>/dev/null; then
			echo '# umh_shmem loaded while umh_clash holds its name'
			rmmod umh_shmem
		else
			refused=$((refused + 1))
		fi
		i=$((i + 1))
	done
	lost=$((before - $(pages)))
	rmmod umh_clash
fi
# The kernel says so each time misc_register() meets the clash.
clashed=$(dmesg | grep -c "duplicate filename '/devices/virtual/misc/umh_shm'")
if [ $refused -eq $CLASHES ] && [ "$clashed" -ge $CLASHES ]; then
	echo "ok 1 $CLASHES loads fail in misc_register on a name clash"
else
	echo "not ok 1 $CLASHES loads fail in misc_register on a name clash: $refused failed, $clashed in misc_register"
fi
echo "# lost ${lost:-?} pages in the failed loads"
if [ "${lost:-$limit}" -lt "$limit" ]; then
	echo "ok 2 fewer than $limit pages lost"
else
	echo "not ok 2 fewer than $limit pages lost"
fi

# 3. Every allocation of a load fails once, the init's own included.
if [ -d $FS ] && [ -e /proc/self/fail-nth ]; then
	# failslab skips GFP_KERNEL allocations by default; say nothing per fault.
	echo N >$FS/ignore-gfp-wait
	echo 0 >$FS/verbose
	sweep=$(./fail_nth umh_shmem.ko umh_shmem "$params")
	status=$?
	echo "$sweep" | grep -v '^# fault'
	if [ $status -eq 0 ] && echo "$sweep" | grep -q '^faults [1-9][0-9]* .*loaded [1-9]'; then
		echo 'ok 3 a failslab sweep over every allocation of a load'
	else
		echo 'not ok 3 a failslab sweep over every allocation of a load'
	fi
else
	echo 'ok 3 a failslab sweep over every allocation of a load # SKIP no fault injection (KERNEL=debug has it)'
fi

# 4. The module still loads and works after all that.
# shellcheck disable=SC2086
if insmod umh_shmem.ko $params && [ "$(./shm_read)" = "$id $payload $hash" ] &&
	rmmod umh_shmem; then
	echo 'ok 4 a load after the failures works'
else
	echo 'not ok 4 a load after the failures works'
fi

leaks=$(kmemleak_report)
if [ -z "$leaks" ]; then
	echo 'ok 5 no kmemleak report'
else
	echo "$leaks" | sed 's/^/# /'
	echo 'not ok 5 no kmemleak report'
fi
