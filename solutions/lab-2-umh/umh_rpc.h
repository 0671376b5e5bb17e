/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lab 2's request/response protocol over the page of /dev/umh_shm, shared
 * by the kernel module (umh_kern.c) and the helper (umhd.c).
 *
 * The request keeps the article's layout from lab 1 (struct umh_shm_req at
 * offset 0: id, payload, pl_hash), so the article's program still prints
 * it. The sequence words and the answer live in struct umh_rpc, further up
 * the same page, where they cannot overlap the request.
 *
 *   kernel                                   helper (umhd)
 *   write id, payload, pl_hash
 *   store-release req_seq = N      ------>
 *   doorbell: posted = N, wake the helper    read(doorbell) returns N
 *                                            load-acquire req_seq
 *                                            read id, payload; hash it
 *                                            write ans_id, ans_len, ans_hash,
 *                                              ans_status
 *                                  <------   store-release ans_seq = N
 *   wakes up (doorbell: answered = N)        write(doorbell, N)
 *   load-acquire ans_seq, must be N
 *   READ_ONCE each answer field, check it
 */
#ifndef UMH_RPC_H
#define UMH_RPC_H

#include <umh_shm.h>

/* The helper's end of the doorbell, a misc device of umh_helper.ko. */
#define UMH_DOORBELL_DEV	"/dev/umh_doorbell"
/* The name the helper runs under (its comm, and the blob's file name). */
#define UMH_HELPER_NAME		"umhd"

/* Where struct umh_rpc sits in the page. */
#define UMH_RPC_OFF		3072

/* ans_status: what the helper thinks of the request it answered. */
#define UMH_ANS_OK		0
/* The page's req_seq was not the one the doorbell announced. */
#define UMH_ANS_TORN		1

struct umh_rpc {
	__u32 req_seq;		/* kernel: store-release after the request */
	__u32 ans_seq;		/* helper: store-release after the answer */
	__u32 ans_id;		/* the request's id, echoed */
	__u32 ans_len;		/* bytes of payload hashed (before its NUL) */
	__u32 ans_status;	/* UMH_ANS_* */
	__u32 ans_pad;
	__u64 ans_hash;		/* umh_rpc_hash() of those bytes */
};

static_assert(sizeof(struct umh_shm_req) <= UMH_RPC_OFF,
	      "the protocol area does not overlap the request");
static_assert(UMH_RPC_OFF + sizeof(struct umh_rpc) <= UMH_SHM_LEN,
	      "the protocol area fits in the page");
static_assert(UMH_RPC_OFF % 8 == 0, "the 64-bit hash is aligned");

/*
 * FNV-1a, 64 bits: the payload's hash (the article's pl_hash idea). Not
 * cryptographic: it only proves that the helper read the very bytes that
 * the kernel wrote.
 */
static inline __u64 umh_rpc_hash(const char *p, __u32 len)
{
	__u64 h = 0xcbf29ce484222325ULL;
	__u32 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#ifdef __KERNEL__
/* The helper program, linked into umh_helper.ko by umh_blob.S. */
extern const char umhd_blob_start[];
extern const char umhd_blob_end[];
#endif

#endif /* UMH_RPC_H */
