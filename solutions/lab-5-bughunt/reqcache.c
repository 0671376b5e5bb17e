// SPDX-License-Identifier: GPL-2.0
/* SOLUTION BEGIN */
/*
 * reqcache: a cache of the requests that user programs leave in lab 1's
 * shared page (/dev/umh_shm). A request sits in one of the page's slots
 * (reqcache.h); a command on /sys/kernel/debug/reqcache/ctl tells the
 * module which slot to act on:
 *
 *   add N    copy slot N's request into a new record (its id, its data, and
 *            a time to live after which the record expires)
 *   get N    look up the record with slot N's id, count the hit, and answer
 *            with its data
 *   set N    replace the data of the record with slot N's id
 *   drop N   remove the record with slot N's id
 *   flush    remove every record
 *
 * Each command answers in the reply slot that its request names; a record
 * that expires or is flushed gets a notice in the reply slot it was added
 * with. Reading ctl lists the records: "id len hits data", one a line.
 *
 * The page belongs to umh_shmem.ko (lab 1): this module takes a reference
 * on it for itself, and one more while the expiry timer is pending, since
 * the timer writes notices into it. Everything in the page is untrusted:
 * user space may change it at any time, so a request is copied out once
 * and checked before use.
 *
 * Lab 5 of kdlab; docs/lab-5.md explains the lab.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

#include "reqcache.h"

/* One cached request. */
struct rc_rec {
	struct list_head node;	/* in rc.recs */
	u32 id;
	u32 len;		/* bytes of data, without the NUL */
	u32 hits;
	u32 reply;		/* the reply slot for notices about it */
	unsigned long expires;	/* in jiffies, when ttl_ms is not 0 */
	char *data;		/* len bytes and a NUL */
	u32 ttl_ms;
};

static struct rc_cache {
	/* The records and the timer: the timer's callback takes it too. */
	spinlock_t lock;
	/* One command at a time. */
	struct mutex ctl_lock;
	struct list_head recs;
	unsigned int nrecs;
	/* The next expiry; holds a reference on the page while pending. */
	struct timer_list timer;
	/* Lab 1's page, with a reference of this module's. */
	struct page *page;
	/* This module's part of the page. */
	struct rc_area *area;
	struct dentry *dir;
} rc;

/* The record with this id, or NULL. */
static struct rc_rec *rc_find(u32 id)
{
	struct rc_rec *rec;

	lockdep_assert_held(&rc.lock);
	list_for_each_entry(rec, &rc.recs, node)
		if (rec->id == id)
			return rec;
	return NULL;
}

static void rc_free(struct rc_rec *rec)
{
	kfree(rec->data);
	kfree(rec);
}

static void rc_unlink(struct rc_rec *rec)
{
	lockdep_assert_held(&rc.lock);
	list_del(&rec->node);
	rc.nrecs--;
}

/* Copies request slot @n out of the page, once. */
static int rc_read_slot(unsigned int n, struct rc_slot *s)
{
	if (n >= RC_SLOTS)
		return -EINVAL;
	memcpy(s, &rc.area->slot[n], sizeof(*s));
	return 0;
}

/* The reply slot that a request names, or NULL when there is none. */
static struct rc_reply *rc_reply_to(const struct rc_slot *s)
{
	u32 i = s->reply;

	if (i >= RC_SLOTS)
		return NULL;
	return &rc.area->reply[i];
}

/* Writes an answer into a reply slot of the page. */
static void rc_answer(struct rc_reply *r, u32 id, int status, u32 hits)
{
	r->id = id;
	r->status = status;
	r->hits = hits;
	r->len = 0;
	memset(r->data, 0, sizeof(r->data));
}

/* A notice about a record that goes away without a command naming it. */
static void rc_notify(struct rc_rec *rec, int status)
{
	rc_answer(&rc.area->reply[rec->reply], rec->id, status, rec->hits);
}

/*
 * Makes the timer fire at @expires at the latest. A timer that was not
 * pending takes a reference on the page.
 */
static void rc_arm(unsigned long expires)
{
	lockdep_assert_held(&rc.lock);
	if (!timer_pending(&rc.timer))
		get_page(rc.page);
	else if (time_before_eq(rc.timer.expires, expires))
		return;
	mod_timer(&rc.timer, expires);
}

/* The timer: removes the records whose time is up, with a notice each. */
static void rc_expire(struct timer_list *timer)
{
	struct rc_rec *rec, *tmp;
	unsigned long next = 0;
	LIST_HEAD(gone);
	bool keep;

	spin_lock(&rc.lock);
	list_for_each_entry_safe(rec, tmp, &rc.recs, node) {
		if (!rec->ttl_ms)
			continue;
		if (time_after_eq(jiffies, rec->expires)) {
			rc_unlink(rec);
			list_add(&rec->node, &gone);
		} else if (!next || time_before(rec->expires, next)) {
			next = rec->expires;
		}
	}
	/*
	 * The reference that this run holds goes on with the timer when it
	 * is armed again; if a command armed it meanwhile, that command
	 * took a reference of its own.
	 */
	keep = next && !timer_pending(&rc.timer);
	if (next && (keep || time_before(next, rc.timer.expires)))
		mod_timer(&rc.timer, next);
	spin_unlock(&rc.lock);

	list_for_each_entry_safe(rec, tmp, &gone, node) {
		rc_notify(rec, -ETIMEDOUT);
		rc_free(rec);
	}
	if (!keep)
		put_page(rc.page);
}

static int rc_add(unsigned int n)
{
	struct rc_slot s;
	struct rc_reply *r;
	struct rc_rec *rec;
	int err;

	err = rc_read_slot(n, &s);
	if (err)
		return err;
	r = rc_reply_to(&s);
	if (!r || !s.id || s.len > RC_DATA_MAX)
		return -EINVAL;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->data = kmalloc(s.len + 1, GFP_KERNEL);
	if (!rec->data) {
		kfree(rec);
		return -ENOMEM;
	}
	memcpy(rec->data, s.data, s.len);
	rec->data[s.len] = '\0';
	rec->id = s.id;
	rec->len = s.len;
	rec->reply = s.reply;
	rec->ttl_ms = s.ttl_ms;
	rec->expires = jiffies + msecs_to_jiffies(s.ttl_ms);

	spin_lock_bh(&rc.lock);
	if (rc_find(s.id)) {
		err = -EEXIST;
	} else {
		list_add_tail(&rec->node, &rc.recs);
		rc.nrecs++;
		if (rec->ttl_ms)
			rc_arm(rec->expires);
	}
	spin_unlock_bh(&rc.lock);

	if (err)
		rc_free(rec);
	rc_answer(r, s.id, err, 0);
	return err;
}

static int rc_get(unsigned int n)
{
	struct rc_slot s;
	struct rc_reply *r;
	struct rc_rec *rec;
	int err;

	err = rc_read_slot(n, &s);
	if (err)
		return err;
	r = rc_reply_to(&s);
	if (!r)
		return -EINVAL;

	spin_lock_bh(&rc.lock);
	rec = rc_find(s.id);
	if (rec) {
		rec->hits++;
		rc_answer(r, s.id, 0, rec->hits);
		memcpy(r->data, rec->data, rec->len);
		r->len = rec->len;
	} else {
		rc_answer(r, s.id, -ENOENT, 0);
		err = -ENOENT;
	}
	spin_unlock_bh(&rc.lock);
	return err;
}

static int rc_set(unsigned int n)
{
	struct rc_slot s;
	struct rc_reply *r;
	struct rc_rec *rec;
	char *data, *old = NULL;
	int err;

	err = rc_read_slot(n, &s);
	if (err)
		return err;
	r = rc_reply_to(&s);
	if (!r || s.len > RC_DATA_MAX)
		return -EINVAL;

	spin_lock_bh(&rc.lock);
	rec = rc_find(s.id);
	if (!rec) {
		err = -ENOENT;
	} else if (s.len > rec->len) {
		/* A longer one needs a new buffer, without sleeping here. */
		data = kmemdup_nul(s.data, s.len, GFP_ATOMIC);
		if (data) {
			old = rec->data;
			rec->data = data;
			rec->len = s.len;
		} else {
			err = -ENOMEM;
		}
	} else {
		memcpy(rec->data, s.data, s.len);
		rec->data[s.len] = '\0';
		rec->len = s.len;
	}
	spin_unlock_bh(&rc.lock);

	kfree(old);
	rc_answer(r, s.id, err, 0);
	return err;
}

static int rc_drop(unsigned int n)
{
	struct rc_slot s;
	struct rc_reply *r;
	struct rc_rec *rec;
	int err;

	err = rc_read_slot(n, &s);
	if (err)
		return err;
	r = rc_reply_to(&s);
	if (!r)
		return -EINVAL;

	spin_lock_bh(&rc.lock);
	rec = rc_find(s.id);
	if (rec)
		rc_unlink(rec);
	spin_unlock_bh(&rc.lock);

	if (!rec) {
		rc_answer(r, s.id, -ENOENT, 0);
		return -ENOENT;
	}
	rc_answer(r, s.id, 0, rec->hits);
	rc_free(rec);
	return 0;
}

/* Removes every record, with a notice to each. */
static void rc_flush(void)
{
	struct rc_rec *rec, *tmp;
	LIST_HEAD(gone);

	spin_lock_bh(&rc.lock);
	list_splice_init(&rc.recs, &gone);
	rc.nrecs = 0;
	if (del_timer(&rc.timer))
		put_page(rc.page);
	spin_unlock_bh(&rc.lock);

	list_for_each_entry_safe(rec, tmp, &gone, node) {
		rc_notify(rec, -ECANCELED);
		rc_free(rec);
		cond_resched();
	}
}

static ssize_t rc_ctl_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[32];
	unsigned int n;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	mutex_lock(&rc.ctl_lock);
	if (sscanf(buf, "add %u", &n) == 1) {
		err = rc_add(n);
	} else if (sscanf(buf, "get %u", &n) == 1) {
		err = rc_get(n);
	} else if (sscanf(buf, "set %u", &n) == 1) {
		err = rc_set(n);
	} else if (sscanf(buf, "drop %u", &n) == 1) {
		err = rc_drop(n);
	} else if (sysfs_streq(buf, "flush")) {
		rc_flush();
		err = 0;
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&rc.ctl_lock);
	return err ? err : len;
}

static int rc_list_show(struct seq_file *m, void *unused)
{
	struct rc_rec *rec;

	spin_lock_bh(&rc.lock);
	list_for_each_entry(rec, &rc.recs, node)
		seq_printf(m, "%u %u %u %s\n", rec->id, rec->len, rec->hits,
			   rec->data);
	spin_unlock_bh(&rc.lock);
	return 0;
}

static int rc_ctl_open(struct inode *inode, struct file *file)
{
	return single_open(file, rc_list_show, NULL);
}

static const struct file_operations rc_ctl_fops = {
	.owner = THIS_MODULE,
	.open = rc_ctl_open,
	.read = seq_read,
	.write = rc_ctl_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init rc_init(void)
{
	struct page *page = umh_shm_page();

	if (!page)
		return -ENODEV;
	get_page(page);
	rc.page = page;
	rc.area = page_address(page) + RC_AREA_OFF;
	memset(rc.area, 0, sizeof(*rc.area));

	spin_lock_init(&rc.lock);
	mutex_init(&rc.ctl_lock);
	INIT_LIST_HEAD(&rc.recs);
	timer_setup(&rc.timer, rc_expire, 0);

	rc.dir = debugfs_create_dir("reqcache", NULL);
	debugfs_create_file("ctl", 0600, rc.dir, NULL, &rc_ctl_fops);
	pr_info("ready: %u slots at offset %u of the page\n", RC_SLOTS,
		RC_AREA_OFF);
	return 0;
}

static void __exit rc_exit(void)
{
	/* No command runs once the file is gone. */
	debugfs_remove_recursive(rc.dir);
	rc_flush();
	/* A callback that was running when rc_flush() stopped the timer. */
	if (del_timer_sync(&rc.timer))
		put_page(rc.page);
	put_page(rc.page);
	pr_info("unloaded\n");
}

module_init(rc_init);
module_exit(rc_exit);
MODULE_DESCRIPTION("kdlab lab 5: a request cache on lab 1's shared page");
/* SKELETON: #error "no module yet: run 'make lab-5 STUDENT=your-id' (docs/lab-5.md)" */
/* SOLUTION END */
MODULE_LICENSE("GPL");
