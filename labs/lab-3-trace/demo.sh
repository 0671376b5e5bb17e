#!/bin/sh
# make lab-3 without a terminal: arm the tracer on the target, call it once,
# show the block it logged. Run by hand in the guest, it is the same tour.
set -e
# shellcheck source=images/rootfs/demo-lib
. /etc/kdlab/demo-lib
insmod trace.ko
insmod trace_target.ko
cat /proc/trace
step "parsing and arming: TODO(lab 3) in tracer_parse and tracer_arm (docs/lab-3.md, Steps 1 and 2)" \
	sh -c "printf 'trace_target_weigh' >/proc/trace"
cat /proc/trace
echo 1 2 3 4 5 6 >/sys/kernel/debug/trace_target/weigh
echo "trace_target_weigh returned $(cat /sys/kernel/debug/trace_target/weigh)"
printf 'none' >/proc/trace
dmesg | sed -n '/]=----/,/]= EOF/p'
dmesg | grep ' ret: '
