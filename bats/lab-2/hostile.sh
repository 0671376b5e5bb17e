#!/bin/sh
# sh hostile.sh ID HASH KIND...: umh_helper.ko runs the grader's lying
# helper (hostile.c, mode=file). For each KIND, a request that it answers
# with that lie must fail with a protocol error (EPROTO or EBADMSG) and a
# new "protocol error" line in the kernel log, and the next request must
# be answered right, as the prober reads it in the page. KINDs: id, hash,
# status, torn, big, neg, short (see hostile.c); early (an answer in the
# page, and a ring, before the request exists); race (20 requests whose
# answer length flips under the kernel: each ends answered or a protocol
# error). KTAP on stdout.
# shellcheck source=bats/lab-2/lib.sh
. ./lib.sh
id=$1 hash=$2
shift 2

ktap_plan $((2 * $#))
insmod umh_shmem.ko || bail "insmod umh_shmem.ko failed"
insmod umh_helper.ko mode=file helper_path=/lab/hostile id="$id" hash="$hash" ||
	bail "insmod umh_helper.ko failed"
hpid=$(pidof hostile) || bail "the hostile helper does not run"
./prober consistent >/dev/null || bail "the hostile helper did not answer the health check"

# A payload: KIND- and random letters.
payload() {
	echo "$1-$(tr -dc "[:lower:]" </dev/urandom | head -c "${2:-8}")"
}

# The request with this payload fails as a protocol error, logged.
refused() {
	before=$(log_count 'umh_helper: protocol error')
	got=$(./prober request "$1")
	echo "$got"
	case $got in
	*": EPROTO" | *": EBADMSG") ;;
	*) return 1 ;;
	esac
	[ "$(log_count 'umh_helper: protocol error')" -gt "$before" ] ||
		{ echo "no new protocol error in the kernel log"; return 1; }
}

# The request with this payload is answered, and right.
clean() {
	got=$(./prober request "$1")
	echo "$got"
	[ "$got" = "$1: ok" ] && ./prober check "$id" "$1" "$hash"
}

# After a right answer, the helper writes the next request's answer (the
# fields of this one) and rings for it before it is posted: the ring must
# be refused, and the answer, once the request comes, too.
early() {
	clean "$(payload pre)" || return 1
	rm -f /tmp/hostile.early
	kill -USR1 "$hpid"
	i=0
	until [ -e /tmp/hostile.early ]; do
		i=$((i + 1))
		[ "$i" -le 50 ] || { echo "the lying helper did not answer early"; return 1; }
		sleep 0.1
	done
	cat /tmp/hostile.early
	grep -q 'early ring refused' /tmp/hostile.early ||
		{ echo "the doorbell took a ring for a request not posted yet"; return 1; }
	refused "$(payload next 20)"
}

# Each request is answered right, or refused: ans_len changed under the
# kernel, which must have read it once.
race() {
	i=0
	while [ "$i" -lt 20 ]; do
		./prober request "$(payload race)"
		i=$((i + 1))
	done >/tmp/race
	sed 's/^race-[a-z]*: //' /tmp/race | sort | uniq -c
	! grep -vE ': (ok|EPROTO)$' /tmp/race
}

for kind; do
	case $kind in
	early) step "early: an answer before its request is a protocol error" early ;;
	race) step "race: a length that changes under the kernel is read once" race ;;
	*) step "$kind: the lie is a protocol error" refused "$(payload "$kind")" ;;
	esac
	step "$kind: the next request is clean" clean "$(payload ok)"
done
