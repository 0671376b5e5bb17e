// SPDX-License-Identifier: GPL-2.0
/*
 * umhd: lab 2's user-mode helper. The kernel starts it (from the blob in
 * umh_helper.ko, or from a file); it has no terminal, so it logs to the
 * kernel log through /dev/kmsg. It maps the page of /dev/umh_shm and
 * answers each request that the doorbell announces (protocol: umh_rpc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "umh_rpc.h"

static int kmsg = -1;

static void say(const char *level, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%s" UMH_HELPER_NAME "[%d]: ", level,
		     getpid());
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (kmsg >= 0 && write(kmsg, line, strlen(line)) < 0)
		kmsg = -1;
}

#define info(...)	say("<6>", __VA_ARGS__)
#define error(...)	say("<3>", __VA_ARGS__)

/*
 * The sequence words are plain __u32 in the shared struct (the kernel
 * compiles it too); here they are accessed as C11 atomics, which have the
 * same size and alignment.
 */
static inline _Atomic __u32 *atomic_u32(__u32 *p)
{
	return (_Atomic __u32 *)p;
}

/* Answers request seq, which the doorbell just announced. */
static void answer(struct umh_shm_req *req, struct umh_rpc *rpc, __u32 seq)
{
	__u32 page_seq = 0, len;

	/*
	 * TODO(lab 2): load req_seq with acquire ordering: it pairs with the
	 * kernel's store-release, so the request fields read below are the
	 * ones written before it.
	 */
	/* SOLUTION BEGIN */
	page_seq = atomic_load_explicit(atomic_u32(&rpc->req_seq),
					memory_order_acquire);
	/* SOLUTION END */

	/* The payload need not end in a NUL: never read past its field. */
	len = strnlen(req->payload, sizeof(req->payload));
	rpc->ans_id = req->id;
	rpc->ans_len = len;
	rpc->ans_hash = umh_rpc_hash(req->payload, len);
	rpc->ans_status = page_seq == seq ? UMH_ANS_OK : UMH_ANS_TORN;

	/*
	 * TODO(lab 2): publish the answer: store seq into ans_seq with
	 * release ordering, so that the kernel's load-acquire of ans_seq
	 * also sees the four fields written above.
	 */
	/* SOLUTION BEGIN */
	atomic_store_explicit(atomic_u32(&rpc->ans_seq), seq,
			      memory_order_release);
	/* SOLUTION END */
}

int main(void)
{
	struct umh_shm_req *req;
	struct umh_rpc *rpc;
	int shm, bell;
	void *page;
	__u32 seq;
	ssize_t n;

	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	shm = open(UMH_SHM_DEV, O_RDWR | O_CLOEXEC);
	if (shm < 0) {
		error("open " UMH_SHM_DEV ": %s\n", strerror(errno));
		return 1;
	}
	page = mmap(NULL, UMH_SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, shm,
		    0);
	if (page == MAP_FAILED) {
		error("mmap " UMH_SHM_DEV ": %s\n", strerror(errno));
		return 1;
	}
	bell = open(UMH_DOORBELL_DEV, O_RDWR | O_CLOEXEC);
	if (bell < 0) {
		error("open " UMH_DOORBELL_DEV ": %s\n", strerror(errno));
		return 1;
	}
	req = page;
	rpc = (struct umh_rpc *)((char *)page + UMH_RPC_OFF);
	info("serving requests\n");

	for (;;) {
		/* Sleeps in the kernel until a request is posted. */
		n = read(bell, &seq, sizeof(seq));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(seq)) {
			error("doorbell read: %s\n",
			      n < 0 ? strerror(errno) : "short");
			return 1;
		}
		answer(req, rpc, seq);
		/* Wakes the kernel, which now checks the answer. */
		if (write(bell, &seq, sizeof(seq)) != sizeof(seq))
			error("doorbell write for request %u: %s\n", seq,
			      strerror(errno));
	}
}
