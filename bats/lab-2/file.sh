#!/bin/sh
# sh file.sh ID PAYLOAD HASH: mode=file starts the helper from
# helper_path with call_usermodehelper: a missing file fails with ENOENT,
# /lab/umhd starts, and the prober finds the health check answered.
# KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
id=$1 payload=$2 hash=$3

ktap_plan 3
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko mode=file helper_path=/nope
rmmod umh_helper
insmod umh_helper.ko mode=file id="$id" payload="$payload" hash="$hash" ||
	bail "insmod umh_helper.ko mode=file failed"

from_lab() {
	pid=$(pidof umhd) || { echo "no umhd runs"; return 1; }
	exe=$(readlink "/proc/$pid/exe")
	echo "its exe: $exe"
	[ "$exe" = /lab/umhd ]
}

step "a helper_path that does not exist fails with ENOENT" \
	wait_log 'umh_helper: could not start the helper \(mode=file\): -2$'
step "the helper runs from /lab/umhd" from_lab
step "the page holds the health check and the helper's answer" \
	./prober check "$id" "$payload" "$hash"
