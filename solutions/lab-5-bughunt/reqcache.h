/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The request cache's part of lab 1's shared page (/dev/umh_shm), shared by
 * the module (reqcache.c) and the user program that fills it (rcq.c).
 *
 * User space writes requests into the slots; a command on the debugfs file
 * /sys/kernel/debug/reqcache/ctl ("add N", "get N", "set N", "drop N",
 * "flush") tells the module which slot to act on. The module answers in
 * the reply slot that the request names. Everything in the page can change
 * under the module's feet: it is untrusted input, to be copied once and
 * checked.
 */
#ifndef REQCACHE_H
#define REQCACHE_H

#include <umh_shm.h>

/* After lab 1's health-check request, up to the end of the page. */
#define RC_AREA_OFF	2560
#define RC_SLOTS	16
#define RC_DATA_MAX	32

/* A request, written by user space. */
struct rc_slot {
	__u32 id;		/* the record's key; 0 is no record */
	__u32 len;		/* bytes of data, at most RC_DATA_MAX */
	__u32 ttl_ms;		/* add: expire after this long; 0: never */
	__u32 reply;		/* which reply slot gets the answer */
	char data[RC_DATA_MAX];
};

/* An answer, or a notice, written by the module. */
struct rc_reply {
	__u32 id;		/* the record it is about */
	__s32 status;		/* 0, or a negative errno */
	__u32 hits;		/* gets that found the record */
	__u32 len;		/* bytes of data (get) */
	char data[RC_DATA_MAX];
};

struct rc_area {
	struct rc_slot slot[RC_SLOTS];
	struct rc_reply reply[RC_SLOTS];
};

static_assert(sizeof(struct umh_shm_req) <= RC_AREA_OFF,
	      "the cache's area does not overlap the health check");
static_assert(RC_AREA_OFF + sizeof(struct rc_area) <= UMH_SHM_LEN,
	      "the cache's area fits in the page");

#endif /* REQCACHE_H */
