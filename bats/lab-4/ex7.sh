# shellcheck shell=sh
# Lab 4, exercise 7's guest: ex7.sh WORD PIDS MODULES
# Writes WORD into the kernel log, loads MODULES (lab 3's, in the order
# given: the modules' addresses change with it), runs PIDS short processes,
# then insmod umh_shmem.ko. Prints insmod's PID and /proc/modules.
echo "kdlab lab 4: $1" >/dev/kmsg
for m in $3; do
	insmod "$m" || exit 1
done
i=0
while [ "$i" -lt "$2" ]; do
	/bin/true
	i=$((i + 1))
done
# shellcheck disable=SC2016 # $$ is the inner shell's, which becomes insmod
sh -c 'echo "truth pid $$"; exec insmod umh_shmem.ko' || exit 1
sed 's/^/truth module /' /proc/modules
