#!/bin/sh
# sh sharers.sh ID PAYLOAD HASH WORD: three processes map the page at once.
# Reader a closes its fd before it unmaps, reader b unmaps before it
# closes, writer w puts WORD in the payload, which both must see; once both
# saw it, the kernel writes the request again, and a (still mapped) must
# see that too. Prints shm_probe's lines ("a: read ID PAYLOAD HASH"...),
# then shm_read's line and "unloaded".
id=$1 payload=$2 hash=$3 word=$4
insmod umh_shmem.ko id="$id" payload="$payload" hash="$hash" || exit 1
./shm_probe @a open ro mmap 4096 0 r shared close until "$word" read \
	touch /tmp/a-saw until "$payload" read munmap &
./shm_probe @b open ro mmap 4096 0 r shared until "$word" read \
	touch /tmp/b-saw munmap close &
./shm_probe @w open rw mmap 4096 0 rw shared write "$word" read munmap close &&
	./shm_probe wait /tmp/a-saw wait /tmp/b-saw >/dev/null &&
	echo 1 >/sys/kernel/debug/umh_shm/health_check || exit 1
wait
./shm_read && rmmod umh_shmem && echo unloaded
