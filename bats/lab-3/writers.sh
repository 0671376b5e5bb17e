#!/bin/sh
# sh writers.sh: four writers switch the tracer between trace_target_weigh
# and trace_target_mix, 16 times each, at once (boot with --smp 2). Prints
# FAILED for each refused write, then kprobes/list after the storm and a
# line "---".
for w in 1 2 3 4; do
	(
		for i in $(seq 16); do
			echo trace_target_weigh >/proc/trace || echo "FAILED $w.$i"
			echo trace_target_mix >/proc/trace || echo "FAILED $w.$i"
		done
	) &
done
wait
cat /sys/kernel/debug/kprobes/list
echo ---
