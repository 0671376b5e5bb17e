#!/bin/sh
# sh stale.sh: a copy of the helper's doorbell taken by another process
# (prober steal: pidfd_getfd) takes none of the helper's requests
# (EPERM), is stale after a restart (ESTALE), and keeps the module loaded
# until it is closed: rmmod is refused after the helper is gone, and an
# rmmod begun while the helper ran waits for the copy's close. KTAP on
# stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh

ktap_plan 8
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"
pidof umhd >/dev/null || bail "no helper runs"

# Starts a thief on the helper's doorbell; its reports go to /tmp/thief.
steal() {
	rm -f /tmp/thief
	./prober steal "$(pidof umhd)" >/tmp/thief &
	thief=$!
	i=0
	until grep -qs '^read ' /tmp/thief; do
		i=$((i + 1))
		[ "$i" -le 50 ] || bail "the thief did not report: $(cat /tmp/thief)"
		sleep 0.1
	done
}

# The thief's try number N reads: "read ERR, write ERR".
tried() {
	if [ "$1" -gt 1 ]; then
		kill -USR1 "$thief"
		sleep 1
	fi
	got=$(grep '^read ' /tmp/thief | sed -n "$1p")
	echo "the thief's try $1: $got"
	[ "$got" = "read $2, write $2" ]
}

unloaded() {
	! grep -q '^umh_helper ' /proc/modules
}

steal
step "another process cannot use the helper's doorbell: EPERM" tried 1 EPERM
step "the helper still answers every request" ./prober requests 5
echo 1 >"$D/restart" || bail "the restart failed"
step "after a restart the copy is stale: ESTALE" tried 2 ESTALE
step "rmmod is refused while the copy is open" sh -c '! rmmod umh_helper'
kill -TERM "$thief"
wait "$thief"
step "once it is closed, rmmod unloads" sh -c 'rmmod umh_helper && ! pidof umhd'

insmod umh_helper.ko || bail "insmod umh_helper.ko failed"
steal
rm -f /tmp/rmmod
(rmmod umh_helper; echo "rmmod: $?" >/tmp/rmmod) &
sleep 2
step "an rmmod begun while the helper ran waits for the copy's close" \
	sh -c '[ ! -e /tmp/rmmod ] && dmesg | grep "waits until every copy of the doorbell is closed"'
kill -TERM "$thief"
wait
step "then it finishes" grep -x 'rmmod: 0' /tmp/rmmod
step "and the module is gone" unloaded
