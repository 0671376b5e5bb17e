# shellcheck shell=sh
# Lab 6's recorded guest (exercise 5):
#   scribble.sh ID PAYLOAD HASH NOISE PROGRAM HELPER THREAD PROGRAM_AT HELPER_AT THREAD_AT TIMER_AT
# Loads lab 1's module with the request ID PAYLOAD HASH, runs NOISE short
# processes (PIDs move), then starts four writers at once, each of which
# writes one byte of the page once (bats/lab-6/writers): a user program
# named PROGRAM, a user-mode helper named HELPER, a kernel thread named
# THREAD and a timer. Each *_AT is "DELAY_MS OFFSET BYTE". Once all four
# have written, it reads debugfs umh_shm/page (where exercise 5 starts),
# and prints who the writers were ("truth writer KIND PID COMM").
set -e
insmod umh_shmem.ko id="$1" payload="$2" hash="$3"
n=$4
while [ "$n" -gt 0 ]; do
	/bin/true
	n=$((n - 1))
done
cp /lab/poke "/tmp/$5"
cp /lab/poke "/tmp/$6"
insmod scribbler.ko
# shellcheck disable=SC2086 # each *_AT is three words
"/tmp/$5" $8 &
echo "helper $9 /tmp/$6" >/sys/kernel/debug/scribbler/arm
echo "thread ${10} $7" >/sys/kernel/debug/scribbler/arm
echo "timer ${11}" >/sys/kernel/debug/scribbler/arm
for _ in $(seq 400); do
	[ "$(cat /sys/kernel/debug/scribbler/writes)" -lt 4 ] || break
	sleep 0.01
done
wait
cat /sys/kernel/debug/umh_shm/page >/dev/null
echo "truth writes $(cat /sys/kernel/debug/scribbler/writes)"
dmesg | sed -n 's/.*kdlab-writer /truth writer /p'
