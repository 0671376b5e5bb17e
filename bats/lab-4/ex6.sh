# shellcheck shell=sh
# Lab 4, exercise 6's guest: ex6.sh FUNCTION STATES A B C D E F
# Arms lab 3's tracer on FUNCTION and calls it once; then, for each word of
# STATES, arms the tracer (1) or disarms it (0) and calls the function
# again. Every call goes through a debugfs write: trace_target's files for
# its functions (A to F are the arguments), lab 1's health_check file for
# the driver's. Prints the function's kallsyms line.
insmod trace.ko && insmod trace_target.ko && insmod umh_shmem.ko || exit 1
fn=$1 states=$2
shift 2
call() {
	case $fn in
	trace_target_weigh) echo "$*" >/sys/kernel/debug/trace_target/weigh ;;
	trace_target_mix | target_write) echo "$*" >/sys/kernel/debug/trace_target/mix ;;
	*) echo 1 >/sys/kernel/debug/umh_shm/health_check ;;
	esac
}
printf %s "$fn" >/proc/trace || exit 1
call "$@"
for s in $states; do
	if [ "$s" = 1 ]; then
		printf %s "$fn" >/proc/trace || exit 1
	else
		printf none >/proc/trace || exit 1
	fi
	call "$@"
done
printf none >/proc/trace
grep -w "$fn" /proc/kallsyms | sed 's/^/truth sym /'
