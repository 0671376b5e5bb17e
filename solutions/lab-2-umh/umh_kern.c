// SPDX-License-Identifier: GPL-2.0
/*
 * Your part of umh_helper.ko: the helper's lifecycle and the protocol.
 *
 * The helper, umhd, starts either from a blob built into this module (the
 * user-mode driver API: umd_load_blob() and fork_usermode_driver()) or
 * from a file with call_usermodehelper; it is stopped for good with a
 * kill and a wait. A request goes through the page of /dev/umh_shm with
 * the protocol of umh_rpc.h: write the request, publish its number, ring
 * the doorbell, sleep until the helper rings back, check the answer.
 *
 * umh_ctl.c calls each function here with umh_rpc_lock held (see
 * umh_helper.h); umh_doorbell.c is the doorbell.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/umh.h>
#include <linux/usermode_driver.h>
#include <linux/wait.h>

#include "umh_helper.h"

static struct umd_info umd = { .driver_name = UMH_HELPER_NAME };
/* The helper's tgid in mode=file, recorded by helper_file_init(). */
static struct pid *file_pid;

/*
 * The helper's tgid, recorded by the helper's own task before its exec:
 * by umd_setup() for the blob, by helper_file_init() for a file. The
 * doorbell opens for this process only.
 */
struct pid *umh_helper_tgid(void)
{
	return umh_use_blob ? READ_ONCE(umd.tgid) : READ_ONCE(file_pid);
}

/* ---- the blob ----------------------------------------------------------- */

/* At load, in mode=blob. */
int umh_blob_load(void)
{
	/*
	 * TODO(lab 2): copy the blob (umhd_blob_start up to umhd_blob_end)
	 * to where fork_usermode_driver() will exec it from, with
	 * umd_load_blob().
	 */
	/* SOLUTION BEGIN */
	return umd_load_blob(&umd, umhd_blob_start,
			     umhd_blob_end - umhd_blob_start);
	/* SKELETON: return 0; */
	/* SOLUTION END */
}

/* At unload, and when the load fails after umh_blob_load(). */
void umh_blob_unload(void)
{
	/* TODO(lab 2): undo umh_blob_load(), with umd_unload_blob(). */
	/* SOLUTION BEGIN */
	umd_unload_blob(&umd);
	/* SOLUTION END */
}

/* ---- starting and stopping the helper ----------------------------------- */

/*
 * Runs in the new process, before its exec: note who the helper is.
 * (__maybe_unused: the skeleton does not start the helper yet.)
 */
static int __maybe_unused helper_file_init(struct subprocess_info *info, struct cred *new)
{
	WRITE_ONCE(file_pid, get_pid(task_tgid(current)));
	return 0;
}

/* Runs after a failed exec: there will be no helper to stop. */
static void __maybe_unused helper_file_cleanup(struct subprocess_info *info)
{
	if (info->retval) {
		put_pid(file_pid);
		WRITE_ONCE(file_pid, NULL);
	}
}

static int helper_start_file(void)
{
	/*
	 * TODO(lab 2): start umh_helper_path as a user-mode helper. The
	 * simplest call is call_usermodehelper(); to know the helper's pid,
	 * build it with call_usermodehelper_setup() and pass
	 * helper_file_init and helper_file_cleanup, then run it with
	 * call_usermodehelper_exec(), waiting only for the exec
	 * (UMH_WAIT_EXEC): the helper never exits by itself.
	 */
	/* SOLUTION BEGIN */
	struct subprocess_info *info;
	char *argv[2], *envp[3];

	argv[0] = umh_helper_path;
	argv[1] = NULL;
	envp[0] = "HOME=/";
	envp[1] = "PATH=/sbin:/bin:/usr/sbin:/usr/bin";
	envp[2] = NULL;
	info = call_usermodehelper_setup(umh_helper_path, argv, envp,
					 GFP_KERNEL, helper_file_init,
					 helper_file_cleanup, NULL);
	if (!info)
		return -ENOMEM;
	return call_usermodehelper_exec(info, UMH_WAIT_EXEC);
	/* SKELETON: return -ENOSYS; */
	/* SOLUTION END */
}

/* Starts the helper; umh_helper_tgid() then names it. */
int umh_helper_start(void)
{
	lockdep_assert_held(&umh_rpc_lock);
	if (!umh_use_blob)
		return helper_start_file();
	/*
	 * TODO(lab 2): start the blob that umh_blob_load() wrote, with
	 * fork_usermode_driver(). It fills umd.tgid.
	 */
	/* SOLUTION BEGIN */
	return fork_usermode_driver(&umd);
	/* SKELETON: return -ENOSYS; */
	/* SOLUTION END */
}

/* Stops the helper, if any: returns once it is gone for good. */
void umh_helper_stop(void)
{
	struct pid *tgid = umh_helper_tgid();

	lockdep_assert_held(&umh_rpc_lock);
	if (!tgid)
		return;
	/*
	 * TODO(lab 2): kill the helper with a signal that it can neither
	 * catch nor block, and that ends it even when it is stopped
	 * (SIGSTOP); kill_pid() sends it. Then sleep until the whole thread
	 * group has exited: tgid->wait_pidfd is woken then, and
	 * thread_group_exited() says so. An exited helper has closed its
	 * files, the doorbell among them.
	 */
	/* SOLUTION BEGIN */
	kill_pid(tgid, SIGKILL, 1);
	wait_event(tgid->wait_pidfd, thread_group_exited(tgid));
	/* SOLUTION END */
	if (umh_use_blob) {
		/* Closes the pipes umd_setup() made, drops umd.tgid. */
		umd_cleanup_helper(&umd);
	} else {
		put_pid(tgid);
		WRITE_ONCE(file_pid, NULL);
	}
}

/* ---- one request -------------------------------------------------------- */

/*
 * The page is untrusted: root can write anything into it at any time.
 * So each answer field is read once, into a local that the checks and the
 * log use; the length is bounds-checked before anything else uses it, and
 * nothing read from the page is ever used as a pointer or an index. want
 * is the hash of the len bytes of pl, the request's payload.
 */
static int check_answer(struct umh_rpc *rpc, u32 seq, u32 req_id,
			const char *pl, u32 len, u64 want)
{
	/*
	 * TODO(lab 2): load ans_seq with acquire ordering (it pairs with the
	 * helper's release store), and refuse an answer to another request.
	 * Then read each answer field exactly once, with READ_ONCE(), and
	 * check it: the status, the length (in range first, then equal to
	 * the payload's), the id, and the hash. Each failure is a protocol
	 * error in the log (umh_proto_err()), and -EPROTO (-EBADMSG for a
	 * wrong hash).
	 */
	/* SOLUTION BEGIN */
	u32 a_seq, a_id, a_len, a_status;
	u64 a_hash;

	/* Pairs with the helper's store-release: its fields, then ans_seq. */
	a_seq = smp_load_acquire(&rpc->ans_seq);
	if (a_seq != seq) {
		umh_proto_err("the answer is for request %u, not %u\n", a_seq, seq);
		return -EPROTO;
	}
	a_id = READ_ONCE(rpc->ans_id);
	a_len = READ_ONCE(rpc->ans_len);
	a_status = READ_ONCE(rpc->ans_status);
	a_hash = READ_ONCE(rpc->ans_hash);

	if (a_status != UMH_ANS_OK) {
		umh_proto_err("request %u: the helper answered status %u%s\n",
			      seq, a_status,
			      a_status == UMH_ANS_TORN ? " (torn request)" : "");
		return -EPROTO;
	}
	if (a_len > UMH_SHM_PAYLOAD_LEN) {
		umh_proto_err("request %u: answer length %u is out of range (max %d)\n",
			      seq, a_len, UMH_SHM_PAYLOAD_LEN);
		return -EPROTO;
	}
	if (a_len != len) {
		umh_proto_err("request %u: answer length %u, payload length %u\n",
			      seq, a_len, len);
		return -EPROTO;
	}
	if (a_id != req_id) {
		umh_proto_err("request %u: answer id %u, request id %u\n", seq,
			      a_id, req_id);
		return -EPROTO;
	}
	if (a_hash != want) {
		umh_proto_err("request %u: answer hash %#llx, expected %#llx\n",
			      seq, a_hash, want);
		return -EBADMSG;
	}
	/* SOLUTION END */
	return 0;
}

/*
 * Posts request seq (id req_id, payload pl, pl_hash ph: strings shorter
 * than their fields), waits for the helper's answer and checks it.
 * Returns 0, or why not: -ETIMEDOUT, -EPIPE (the helper is gone), a
 * signal's -ERESTARTSYS, a protocol error.
 */
int umh_request(u32 seq, u32 req_id, const char *pl, const char *ph)
{
	struct umh_shm_req *req = umh_req_page;
	struct umh_rpc *rpc = umh_rpc_page;
	u32 len = strlen(pl);
	u64 want = umh_rpc_hash(pl, len);
	long left;
	int err;

	lockdep_assert_held(&umh_rpc_lock);
	req->id = req_id;
	strscpy_pad(req->payload, pl, sizeof(req->payload));
	strscpy_pad(req->pl_hash, ph, sizeof(req->pl_hash));

	/*
	 * TODO(lab 2): publish the request. Store seq into rpc->req_seq so
	 * that the helper, which loads req_seq with acquire, also sees every
	 * field written above.
	 */
	/* SOLUTION BEGIN */
	smp_store_release(&rpc->req_seq, seq);
	/* SOLUTION END */
	umh_doorbell_post(seq);

	/*
	 * TODO(lab 2): sleep on umh_ans_wq until umh_doorbell_rung(seq), at
	 * most umh_timeout_ms; any signal ends the wait too. left is what
	 * the wait returns: 0 on a timeout, negative on a signal.
	 */
	/* SOLUTION BEGIN */
	left = wait_event_interruptible_timeout(umh_ans_wq,
						umh_doorbell_rung(seq),
						msecs_to_jiffies(umh_timeout_ms));
	/* SKELETON: left = 0; */
	/* SOLUTION END */
	if (left < 0)
		return left;
	err = umh_doorbell_result(seq);
	if (err)
		return err;
	return check_answer(rpc, seq, req_id, pl, len, want);
}
