// SPDX-License-Identifier: GPL-2.0
/*
 * hostile: a lying helper, part of lab 2's grader, started by the module
 * under test with mode=file helper_path=/lab/hostile. It serves requests
 * like umhd, except that the payload's first word says how to lie:
 *
 *   id-...      the answer echoes a wrong id
 *   hash-...    a wrong hash
 *   status-...  status UMH_ANS_TORN, every other field right
 *   big-...     a length over the payload field (1025 to 4096)
 *   neg-...     a "negative" length: a u32 near 2^32
 *   short-...   the length and hash of the payload minus its last byte
 *   torn-...    seq, id and length right, but only the low half of the
 *               new hash written: a torn 64-bit store
 *   race-...    a right answer, but once rung, ans_len flips between
 *               the right length and 0xffffffff for 300 ms (a double
 *               fetch of it in the kernel reads both)
 *   anything    a right answer
 *
 * SIGUSR1: answer the next request before it exists. The page gets an
 * answer for the request after the last one (the last answer's fields
 * with the next seq), the doorbell is rung for it at once (the kernel
 * must refuse; the result goes to /tmp/hostile.early), and when that
 * request comes, the helper only rings.
 *
 * With two CPUs it runs on CPU 1, and the grader's requests on CPU 0
 * (prober.c), so that a race- answer really changes while the kernel
 * reads it.
 *
 * It logs its lies to the kernel log: "hostile[PID]: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../solutions/lab-2-umh/umh_rpc.h"

#define PUT(field, v)		__atomic_store_n(&(field), (v), __ATOMIC_RELAXED)
#define RELEASE(field, v)	__atomic_store_n(&(field), (v), __ATOMIC_RELEASE)
#define ACQUIRE(field)		__atomic_load_n(&(field), __ATOMIC_ACQUIRE)
#define EARLY_LOG		"/tmp/hostile.early"

static struct umh_shm_req *req;
static struct umh_rpc *rpc;
static int kmsg = -1, bell = -1;
static volatile sig_atomic_t early;
/* The request answered in advance, which then only gets its ring. */
static __u32 preanswered;

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "<6>hostile[%d]: ", getpid());
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (kmsg >= 0 && write(kmsg, line, strlen(line)) < 0)
		kmsg = -1;
}

static void ring(__u32 seq)
{
	if (write(bell, &seq, sizeof(seq)) != sizeof(seq))
		say("ring for request %u: %s\n", seq, strerror(errno));
}

static int starts(const char *payload, const char *word)
{
	return !strncmp(payload, word, strlen(word));
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* After the ring: ans_len changes under the kernel's feet. */
static void flip_length(__u32 len)
{
	unsigned long long end = now_ms() + 300;
	unsigned long i;

	while (now_ms() < end)
		for (i = 0; i < 100000; i++)
			PUT(rpc->ans_len, i & 1 ? 0xffffffffu : len);
	PUT(rpc->ans_len, len);
}

static void answer(__u32 seq)
{
	__u32 page_seq = ACQUIRE(rpc->req_seq);
	__u32 len = strnlen(req->payload, sizeof(req->payload));
	__u32 id = req->id, status = page_seq == seq ? UMH_ANS_OK : UMH_ANS_TORN;
	__u64 hash = umh_rpc_hash(req->payload, len);
	const char *pl = req->payload;

	if (seq == preanswered) {
		say("request %u: answered before it existed, only ringing\n", seq);
		preanswered = 0;
		ring(seq);
		return;
	}
	if (starts(pl, "id-")) {
		id ^= 0x10000;
	} else if (starts(pl, "hash-")) {
		hash ^= 1ULL << (seq % 64);
	} else if (starts(pl, "status-")) {
		status = UMH_ANS_TORN;
	} else if (starts(pl, "big-")) {
		len = UMH_SHM_PAYLOAD_LEN + 1 + (seq * 2654435761u) % 3072;
	} else if (starts(pl, "neg-")) {
		len = 0xffffffffu - seq % 16;
	} else if (starts(pl, "short-")) {
		len--;
		hash = umh_rpc_hash(req->payload, len);
	} else if (starts(pl, "torn-")) {
		PUT(rpc->ans_id, id);
		PUT(rpc->ans_len, len);
		PUT(rpc->ans_status, status);
		/* What a 64-bit store cut in two leaves: the old high half. */
		PUT(rpc->ans_hash, (rpc->ans_hash & 0xffffffff00000000ULL) |
				   (__u32)hash);
		RELEASE(rpc->ans_seq, seq);
		say("request %u: torn answer\n", seq);
		ring(seq);
		return;
	}
	PUT(rpc->ans_id, id);
	PUT(rpc->ans_len, len);
	PUT(rpc->ans_hash, hash);
	PUT(rpc->ans_status, status);
	RELEASE(rpc->ans_seq, seq);
	if (id != req->id || status != UMH_ANS_OK || len != strnlen(pl, UMH_SHM_PAYLOAD_LEN))
		say("request %u: id %u, len %u, status %u\n", seq, id, len, status);
	ring(seq);
	if (starts(pl, "race-"))
		flip_length(strnlen(req->payload, sizeof(req->payload)));
}

/*
 * SIGUSR1: the next request's answer goes in before the request. What the
 * doorbell said to the early ring goes to EARLY_LOG, where the scenario
 * waits for it: the kernel log limits what a process writes to /dev/kmsg.
 */
static void answer_early(__u32 last)
{
	__u32 next = last + 1 ? last + 1 : 1;
	char line[128];
	int fd, n;

	RELEASE(rpc->ans_seq, next);
	preanswered = next;
	if (write(bell, &next, sizeof(next)) == sizeof(next))
		n = snprintf(line, sizeof(line), "request %u: early ring accepted\n", next);
	else
		n = snprintf(line, sizeof(line), "request %u: early ring refused: %s\n",
			     next, strerror(errno));
	fd = open(EARLY_LOG ".tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, line, n) != n || close(fd) ||
	    rename(EARLY_LOG ".tmp", EARLY_LOG))
		say("cannot write " EARLY_LOG ": %s\n", strerror(errno));
}

static void on_usr1(int sig)
{
	early = 1;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	cpu_set_t cpus;
	__u32 seq, last = 0;
	void *page;
	ssize_t n;
	int shm;

	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	shm = open(UMH_SHM_DEV, O_RDWR | O_CLOEXEC);
	page = shm < 0 ? MAP_FAILED :
	       mmap(NULL, UMH_SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0);
	bell = open(UMH_DOORBELL_DEV, O_RDWR | O_CLOEXEC);
	if (page == MAP_FAILED || bell < 0) {
		say("cannot map the page or open the doorbell: %s\n", strerror(errno));
		return 1;
	}
	req = page;
	rpc = (struct umh_rpc *)((char *)page + UMH_RPC_OFF);
	/* No SA_RESTART: the signal ends the doorbell's read() with EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		sched_setaffinity(0, sizeof(cpus), &cpus);
	say("serving requests, badly\n");

	for (;;) {
		n = read(bell, &seq, sizeof(seq));
		if (n < 0 && errno == EINTR) {
			if (early) {
				early = 0;
				answer_early(last);
			}
			continue;
		}
		if (n != sizeof(seq)) {
			say("doorbell read: %s\n", n < 0 ? strerror(errno) : "short");
			return 1;
		}
		answer(seq);
		last = seq;
	}
}
