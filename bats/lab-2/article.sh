#!/bin/sh
# sh article.sh WORD: the article's program (shm_read) prints the health
# check's request, then the request that WORD makes, while the helper
# serves. KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
word=$1

ktap_plan 3
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko || bail "insmod umh_helper.ko failed"

prints() {
	got=$(./shm_read)
	echo "shm_read: $got"
	[ "$got" = "$1" ]
}

request() {
	echo "$word" >"$D/request" && ./prober consistent
}

step "shm_read prints 2 hello world" prints "2 hello world"
step "a request for '$word' is answered" request
step "shm_read prints 2 $word world" prints "2 $word world"
