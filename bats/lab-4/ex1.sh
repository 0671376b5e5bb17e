# shellcheck shell=sh
# Lab 4, exercise 1's guest: ex1.sh PIDS NAME
# Runs PIDS short processes (so that the next PID changes from run to run),
# then lab 1's prober under the name NAME (a symbolic link: a task's comm is
# the name it was started by), which maps the device. Prints the mapping
# task's PID and comm, read while it still holds its mapping.
insmod umh_shmem.ko || exit 1
i=0
while [ "$i" -lt "$1" ]; do
	/bin/true
	i=$((i + 1))
done
ln -s /lab/shm_probe "/tmp/$2" || exit 1
"/tmp/$2" open ro mmap 4096 0 r shared touch /tmp/mapped wait /tmp/done >/dev/null &
p=$!
./shm_probe wait /tmp/mapped >/dev/null
echo "truth pid $p"
echo "truth comm $(cat "/proc/$p/comm")"
touch /tmp/done
wait "$p"
