#!/bin/sh
# make lab-5 without a terminal: load lab 1's driver and the request cache,
# and walk through its commands with rcq, the hostile requests included. On
# a module with its bugs in, a step oopses the lab kernel: the console shows
# the oops (docs/lab-5.md, "Reading an oops").
set -e
# shellcheck source=images/rootfs/demo-lib
. /etc/kdlab/demo-lib
# An oops stops the guest at once: otherwise the command that oopsed dies
# holding the module's lock, and the next one waits for it forever.
echo 1 >/proc/sys/kernel/panic_on_oops
step "make lab-5 STUDENT=your-id (docs/lab-5.md)" insmod umh_shmem.ko
step "a module that builds and loads" insmod reqcache.ko
./rcq slot 0 1001 5 0 0 hello cmd add 0 reply 0 \
	slot 1 1002 12 0 1 bonjourmonde cmd add 1 reply 1 \
	cmd get 0 reply 0 cmd get 1 reply 1 cmd get 1 reply 1 list
./rcq slot 2 1003 3 300 2 tic cmd add 2 reply 2
sleep 0.5
./rcq reply 2 slot 3 4242 0 0 3 - cmd get 3 reply 3 cmd drop 3 reply 3 \
	slot 4 1002 7 0 4 goodbye cmd set 4 cmd get 4 reply 4 \
	slot 5 1001 0 0 3000000000 - cmd get 5 cmd drop 5 cmd add 5 \
	cmd drop 0 reply 0 list cmd flush reply 1 list
rmmod reqcache
echo "the request cache went through its demo"
