#!/bin/sh
# sh blob.sh ID PAYLOAD HASH: the helper starts from the blob in
# umh_helper.ko, with no file of it on disk, and the page holds the health
# check's request and the helper's answer, as the prober reads them.
# KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
id=$1 payload=$2 hash=$3

ktap_plan 4
rm -f /lab/umhd
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko id="$id" payload="$payload" hash="$hash" || bail "insmod umh_helper.ko failed"
pid=$(pidof umhd)

named_umhd() {
	if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm")" != umhd ]; then
		echo "no process named umhd"
		return 1
	fi
}

# The blob is exec'd from a private tmpfs that no path reaches.
not_on_disk() {
	exe=$(readlink "/proc/$pid/exe")
	echo "its exe: $exe"
	[ -n "$exe" ] && [ ! -e "$exe" ]
}

doorbell_refused() {
	if cat /dev/umh_doorbell; then
		echo "cat opened the doorbell"
		return 1
	fi
}

step "the helper runs, named umhd" named_umhd
step "its program is no file on disk" not_on_disk
step "the page holds the health check and the helper's answer" \
	./prober check "$id" "$payload" "$hash"
step "no other process may open the doorbell" doorbell_refused
