// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/umh_doorbell: how the helper and the kernel wait for each other
 * without spinning. The helper's read() sleeps until a request is posted
 * and returns its number; its write() of that number says the answer is
 * in the page, and wakes the request sleeping on umh_ans_wq.
 *
 * All of the doorbell's state is kernel memory behind db_lock, which the
 * helper reaches only through read() and write(): the page cannot forge
 * it. The helper's side never takes umh_rpc_lock, so a request can wait
 * for it while holding that lock.
 *
 * Who may use it: the process that umh_kern.c started, which may open it
 * once per start. A copy of its file elsewhere (kept by a child, taken
 * with pidfd_getfd(), passed on with SCM_RIGHTS) gets -EPERM, and -ESTALE
 * once the helper has been restarted; the helper's first close of it
 * (or its exit) tells the kernel that it is gone.
 *
 * The module reference: like any device, the doorbell's files pin the
 * module (.owner), so that no file calls into a module that is gone. The
 * helper's own file is the exception while the helper lives, or rmmod
 * could never stop it: it lends its reference back at open, and takes it
 * again when the helper closes it, exits or is stopped (unlend()). From
 * then on, a copy left in another process keeps the module loaded until
 * that copy is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "umh_helper.h"

DECLARE_WAIT_QUEUE_HEAD(umh_ans_wq);		/* the kernel waits for an answer */
static DECLARE_WAIT_QUEUE_HEAD(req_wq);		/* the helper waits for a request */

static DEFINE_SPINLOCK(db_lock);
static struct {
	enum umh_helper_state state;
	unsigned long gen;	/* which start the helper's file belongs to */
	struct pid *helper;	/* the tgid that opened it for this start */
	bool lent;		/* its file has lent its module reference back */
	u32 posted;		/* the last request posted */
	u32 taken;		/* the last request the helper read */
	u32 answered;		/* the last request the helper rang for */
} db;

/* A doorbell file's start: set by a successful open, once per start. */
static unsigned long file_gen(struct file *file)
{
	return (unsigned long)file->private_data;
}

/* db_lock held: the helper's file holds its module reference again. */
static void unlend(void)
{
	if (db.lent) {
		__module_get(THIS_MODULE);
		db.lent = false;
	}
}

/* db_lock held: the helper let go of its doorbell. True if it was up. */
static bool helper_left(void)
{
	bool was_up = db.state == UMH_HELPER_UP;

	if (was_up)
		db.state = UMH_HELPER_GONE;
	unlend();
	return was_up;
}

static void helper_gone(void)
{
	pr_info("the helper closed its doorbell: it is gone\n");
	/* A request waiting for this helper fails now, not at its timeout. */
	wake_up(&umh_ans_wq);
}

/* db_lock held: may this caller use this doorbell file? */
static int check_caller(struct file *file)
{
	if (file_gen(file) != db.gen)
		return -ESTALE;
	if (task_tgid(current) != db.helper)
		return -EPERM;
	if (db.state != UMH_HELPER_UP)
		return -EPIPE;
	return 0;
}

static int doorbell_open(struct inode *inode, struct file *file)
{
	int err = -EPERM;

	spin_lock(&db_lock);
	if (db.state == UMH_HELPER_STARTING && task_tgid(current) == umh_helper_tgid()) {
		db.state = UMH_HELPER_UP;
		db.helper = get_pid(task_tgid(current));
		file->private_data = (void *)db.gen;
		/*
		 * misc_open() took a module reference for this file: lend it
		 * back. This code still runs after module_put(), which is safe
		 * because rmmod stops the helper, and waits for it to exit,
		 * before the module goes.
		 */
		module_put(THIS_MODULE);
		db.lent = true;
		err = 0;
	}
	spin_unlock(&db_lock);
	if (err) {
		pr_warn_ratelimited("%s[%d] may not open the doorbell: only the helper may\n",
				    current->comm, task_tgid_nr(current));
		return err;
	}
	return nonseekable_open(inode, file);
}

/* Every close() of a doorbell fd, the exit of each holder included. */
static int doorbell_flush(struct file *file, fl_owner_t id)
{
	bool gone = false;

	spin_lock(&db_lock);
	if (file_gen(file) == db.gen && task_tgid(current) == db.helper)
		gone = helper_left();
	spin_unlock(&db_lock);
	if (gone)
		helper_gone();
	return 0;
}

/* The last close: the helper's file closed by someone else. */
static int doorbell_release(struct inode *inode, struct file *file)
{
	bool gone = false;

	spin_lock(&db_lock);
	if (file_gen(file) == db.gen)
		gone = helper_left();
	spin_unlock(&db_lock);
	if (gone)
		helper_gone();
	return 0;
}

static bool request_waiting(struct file *file, u32 *seq, int *err)
{
	bool ready;

	spin_lock(&db_lock);
	*err = check_caller(file);
	ready = *err || db.posted != db.taken;
	*seq = db.posted;
	if (!*err && ready)
		db.taken = db.posted;
	spin_unlock(&db_lock);
	return ready;
}

/* The helper sleeps here until a request is posted; it gets its number. */
static ssize_t doorbell_read(struct file *file, char __user *buf, size_t len,
			     loff_t *ppos)
{
	int err, bad;
	u32 seq;

	if (len != sizeof(seq))
		return -EINVAL;
	err = wait_event_interruptible(req_wq, request_waiting(file, &seq, &bad));
	if (err)
		return err;
	if (bad)
		return bad;
	return copy_to_user(buf, &seq, sizeof(seq)) ? -EFAULT : sizeof(seq);
}

/* The helper rings here once its answer to request seq is in the page. */
static ssize_t doorbell_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	u32 seq;
	int err;

	if (len != sizeof(seq))
		return -EINVAL;
	if (copy_from_user(&seq, buf, sizeof(seq)))
		return -EFAULT;
	spin_lock(&db_lock);
	err = check_caller(file);
	/* Only for the request posted last: not an old one, not the next. */
	if (!err && seq != db.posted)
		err = -EINVAL;
	if (!err)
		db.answered = seq;
	spin_unlock(&db_lock);
	if (err)
		return err;
	wake_up(&umh_ans_wq);
	return sizeof(seq);
}

static const struct file_operations doorbell_fops = {
	.owner = THIS_MODULE,
	.open = doorbell_open,
	.flush = doorbell_flush,
	.release = doorbell_release,
	.read = doorbell_read,
	.write = doorbell_write,
	.llseek = no_llseek,
};

static struct miscdevice doorbell_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "umh_doorbell",
	.fops = &doorbell_fops,
	.mode = 0600,
};

void umh_doorbell_arm(void)
{
	spin_lock(&db_lock);
	db.gen++;
	db.state = UMH_HELPER_STARTING;
	/* A new helper starts with no request pending. */
	db.taken = db.posted;
	spin_unlock(&db_lock);
	/* A copy of an older file asleep in read() learns that it is stale. */
	wake_up(&req_wq);
}

void umh_doorbell_disarm(void)
{
	struct pid *old;

	spin_lock(&db_lock);
	/* Not lent past the helper's life, even if it never closed it. */
	unlend();
	db.state = UMH_HELPER_NONE;
	old = db.helper;
	db.helper = NULL;
	spin_unlock(&db_lock);
	put_pid(old);
	wake_up(&req_wq);
}

enum umh_helper_state umh_doorbell_state(void)
{
	enum umh_helper_state s;

	spin_lock(&db_lock);
	s = db.state;
	spin_unlock(&db_lock);
	return s;
}

void umh_doorbell_post(u32 seq)
{
	spin_lock(&db_lock);
	db.posted = seq;
	spin_unlock(&db_lock);
	wake_up(&req_wq);
}

bool umh_doorbell_rung(u32 seq)
{
	bool done;

	spin_lock(&db_lock);
	done = db.answered == seq || db.state == UMH_HELPER_GONE;
	spin_unlock(&db_lock);
	return done;
}

int umh_doorbell_result(u32 seq)
{
	int err;

	spin_lock(&db_lock);
	err = db.answered == seq ? 0 :
	      db.state == UMH_HELPER_GONE ? -EPIPE : -ETIMEDOUT;
	spin_unlock(&db_lock);
	return err;
}

int umh_doorbell_init(void)
{
	return misc_register(&doorbell_dev);
}

/* After the helper is stopped: no file of the doorbell is left in use. */
void umh_doorbell_exit(void)
{
	bool told = false;

	misc_deregister(&doorbell_dev);
	/*
	 * A copy of the helper's file that outlived it holds the reference
	 * that unlend() took: freeing the module now would leave that file
	 * calling into freed code. Wait for its last close. rmmod has
	 * dropped the module's base reference, so module_refcount() is -1
	 * once nothing holds the module; the final module_put() is the
	 * closing task's last touch of it.
	 */
	while (module_refcount(THIS_MODULE) >= 0) {
		if (!told)
			pr_warn("rmmod waits until every copy of the doorbell is closed\n");
		told = true;
		msleep(100);
	}
}
