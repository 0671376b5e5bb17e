/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout of the page behind /dev/umh_shm, shared by the kernel module
 * and the user programs of the labs. Plain C that both sides compile: only
 * fixed-size types, no pointers (a pointer means nothing on the other side).
 */
#ifndef UMH_SHM_H
#define UMH_SHM_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <assert.h>
#include <stddef.h>
#endif

#define UMH_SHM_DEV		"/dev/umh_shm"
/* The whole region: one page, and nothing can be mapped beyond it. */
#define UMH_SHM_LEN		4096
#define UMH_SHM_PAYLOAD_LEN	1024
#define UMH_SHM_HASH_LEN	1024

/* A request as it sits at the start of the page. */
struct umh_shm_req {
	__u32 id;
	char payload[UMH_SHM_PAYLOAD_LEN];
	char pl_hash[UMH_SHM_HASH_LEN];
};

/* The offsets that the article's x/2gx dump shows: do not move them. */
static_assert(offsetof(struct umh_shm_req, id) == 0, "id at 0");
static_assert(offsetof(struct umh_shm_req, payload) == 4, "payload at 4");
static_assert(offsetof(struct umh_shm_req, pl_hash) == 1028,
	      "pl_hash at 1028");
static_assert(sizeof(struct umh_shm_req) <= UMH_SHM_LEN,
	      "a request fits in the region");

#ifdef __KERNEL__
struct page;
/* The shared page, exported by umh_shmem.ko (NULL until it has one). */
struct page *umh_shm_page(void);
#endif

#endif /* UMH_SHM_H */
