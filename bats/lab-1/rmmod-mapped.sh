#!/bin/sh
# sh rmmod-mapped.sh ID PAYLOAD HASH: rmmod while process h holds a mapping
# whose fd it closed. Prints "rmmod: done" or "rmmod: refused", h's lines
# (its read after the rmmod and a new load, then its munmap), and "gone"
# once the module is out. After a real unload, a new load (which may get
# the freed page back) must not show through h's mapping.
id=$1 payload=$2 hash=$3
insmod umh_shmem.ko id="$id" payload="$payload" hash="$hash" || exit 1
./shm_probe @h open ro mmap 4096 0 r shared close touch /tmp/mapped \
	wait /tmp/go read munmap &
./shm_probe wait /tmp/mapped >/dev/null || exit 1
if rmmod umh_shmem; then echo 'rmmod: done'; else echo 'rmmod: refused'; fi
insmod umh_shmem.ko id=$((id + 1)) payload="x$payload" 2>/dev/null
touch /tmp/go && wait
rmmod umh_shmem 2>/dev/null
[ ! -e /dev/umh_shm ] && echo gone
