/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of umh_helper.ko give each other:
 *
 *   umh_kern.c      yours: the helper's lifecycle (start it, stop it) and
 *                   the protocol (write a request, publish it, wait for
 *                   the answer, check it)
 *   umh_doorbell.c  /dev/umh_doorbell, where the helper and the kernel
 *                   wait for each other without spinning
 *   umh_ctl.c       the parameters, load and unload, the health check,
 *                   the controls in debugfs and the round-trip benchmark
 *
 * umh_ctl.c calls your functions with umh_rpc_lock held: one request at a
 * time, and no request while the helper starts or stops.
 */
#ifndef UMH_HELPER_H
#define UMH_HELPER_H

#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "umh_rpc.h"

struct pid;

/* ---- umh_ctl.c ----------------------------------------------------------- */

extern bool umh_use_blob;		/* mode=blob; mode=file otherwise */
extern char *umh_helper_path;		/* helper_path=, for mode=file */
extern unsigned int umh_timeout_ms;	/* timeout_ms=: how long a request waits */
extern struct mutex umh_rpc_lock;
/* The two areas of the shared page (also for gdb: p *umh_rpc_page). */
extern struct umh_shm_req *umh_req_page;
extern struct umh_rpc *umh_rpc_page;

/* A bad answer: the page is hostile input, and a fuzzer makes thousands. */
#define umh_proto_err(fmt, ...) \
	pr_err_ratelimited("protocol error: " fmt, ##__VA_ARGS__)

/* ---- umh_doorbell.c ------------------------------------------------------ */

enum umh_helper_state {
	UMH_HELPER_NONE,	/* not started, or stopped */
	UMH_HELPER_STARTING,	/* started, has not opened the doorbell yet */
	UMH_HELPER_UP,		/* holds the doorbell open */
	UMH_HELPER_GONE,	/* closed the doorbell: exited or was killed */
};

/* A request sleeps here until umh_doorbell_rung(): see umh_request(). */
extern struct wait_queue_head umh_ans_wq;

int umh_doorbell_init(void);
void umh_doorbell_exit(void);
/* Before a start: the next helper may open the doorbell, once. */
void umh_doorbell_arm(void);
/* After the helper is gone for good, or failed to start. */
void umh_doorbell_disarm(void);
enum umh_helper_state umh_doorbell_state(void);
/* Tells the helper that request seq is in the page, and wakes it. */
void umh_doorbell_post(u32 seq);
/* The wait's condition: the helper rang for seq, or it is gone. */
bool umh_doorbell_rung(u32 seq);
/* After the wait: 0 if it rang for seq, -EPIPE if it is gone, else -ETIMEDOUT. */
int umh_doorbell_result(u32 seq);

/* ---- umh_kern.c: yours --------------------------------------------------- */

int umh_blob_load(void);
void umh_blob_unload(void);
int umh_helper_start(void);
void umh_helper_stop(void);
struct pid *umh_helper_tgid(void);
int umh_request(u32 seq, u32 req_id, const char *pl, const char *ph);

#endif /* UMH_HELPER_H */
