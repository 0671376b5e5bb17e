// SPDX-License-Identifier: GPL-2.0
/*
 * The writers of lab 6's exercise 5: each writes one byte into lab 1's
 * shared page, once, after a delay. The grader arms them through debugfs
 * (scribbler/arm, one line a writer: "KIND DELAY_MS OFFSET BYTE"):
 *   timer   a timer's callback, in whatever task the CPU was running;
 *   thread  a kernel thread, under the name of the line's fifth word;
 *   helper  a user-mode helper, the program named by the fifth word,
 *           started by this module, which writes through scribbler/poke;
 * and a user program writes through scribbler/poke on its own (poke.c).
 * One of them hits the request; the others write past it. Each writer
 * says who it was ("kdlab-writer KIND PID COMM") but not where it wrote,
 * and forgets its offset once it has written: what the recording keeps of
 * the answer is the write itself.
 * Each store is in the writer's own function, so that gdb names the
 * writer at the watchpoint.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/umh.h>
#include "umh_shm.h"

struct writer {
	unsigned int delay_ms;
	unsigned int offset;
	unsigned int byte;
};

static u8 *shm;
static struct dentry *dir;
static atomic_t writes = ATOMIC_INIT(0);
static struct writer timer_writer, thread_writer;
static struct timer_list timer;
static struct task_struct *thread;

static void wrote(const char *kind, struct writer *w)
{
	memzero_explicit(w, sizeof(*w));
	pr_info("kdlab-writer %s %d %s\n", kind, task_pid_nr(current),
		current->comm);
	atomic_inc(&writes);
}

static void scribble_timer(struct timer_list *unused)
{
	WRITE_ONCE(shm[timer_writer.offset], timer_writer.byte);
	wrote("timer", &timer_writer);
}

static int scribble_thread(void *unused)
{
	msleep(thread_writer.delay_ms);
	WRITE_ONCE(shm[thread_writer.offset], thread_writer.byte);
	wrote("thread", &thread_writer);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(MAX_SCHEDULE_TIMEOUT);
	return 0;
}

/* "OFFSET BYTE" from a user program or the helper. */
static ssize_t poke_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct writer w = {};
	char buf[32] = {};

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	if (sscanf(buf, "%u %u", &w.offset, &w.byte) != 2 ||
	    w.offset >= PAGE_SIZE || w.byte > 0xff)
		return -EINVAL;
	WRITE_ONCE(shm[w.offset], w.byte);
	wrote("poke", &w);
	return len;
}

static const struct file_operations poke_fops = {
	.write = poke_write,
	.llseek = noop_llseek,
};

static int start_helper(const char *path, struct writer *w)
{
	char delay[12], offset[12], byte[12], *argv[5], *envp[2];

	argv[0] = (char *)path;
	argv[1] = delay;
	argv[2] = offset;
	argv[3] = byte;
	argv[4] = NULL;
	envp[0] = "PATH=/bin:/sbin";
	envp[1] = NULL;
	snprintf(delay, sizeof(delay), "%u", w->delay_ms);
	snprintf(offset, sizeof(offset), "%u", w->offset);
	snprintf(byte, sizeof(byte), "%u", w->byte);
	memzero_explicit(w, sizeof(*w));
	return call_usermodehelper(path, argv, envp, UMH_WAIT_EXEC);
}

/* "KIND DELAY_MS OFFSET BYTE [NAME]", one writer a write. */
static ssize_t arm_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[128] = {}, kind[8], name[TASK_COMM_LEN + 8] = {};
	struct writer w;
	int n, err = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	n = sscanf(buf, "%7s %u %u %u %23s", kind, &w.delay_ms, &w.offset,
		   &w.byte, name);
	if (n < 4 || w.offset >= PAGE_SIZE || w.byte > 0xff)
		return -EINVAL;
	if (!strcmp(kind, "timer") && n == 4 && !timer_pending(&timer)) {
		timer_writer = w;
		mod_timer(&timer, jiffies + msecs_to_jiffies(w.delay_ms));
	} else if (!strcmp(kind, "thread") && n == 5 && !thread) {
		thread_writer = w;
		thread = kthread_run(scribble_thread, NULL, "%s", name);
		if (IS_ERR(thread)) {
			err = PTR_ERR(thread);
			thread = NULL;
		}
	} else if (!strcmp(kind, "helper") && n == 5) {
		err = start_helper(name, &w);
	} else {
		err = -EINVAL;
	}
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&w, sizeof(w));
	return err ? err : len;
}

static const struct file_operations arm_fops = {
	.write = arm_write,
	.llseek = noop_llseek,
};

static int __init scribbler_init(void)
{
	/*
	 * Looked up at load time (this module is built on its own, without
	 * lab 1's Module.symvers), and held: umh_shmem stays loaded.
	 */
	typeof(&umh_shm_page) shm_page = symbol_get(umh_shm_page);
	struct page *page = shm_page ? shm_page() : NULL;

	if (!page) {
		if (shm_page)
			symbol_put(umh_shm_page);
		return -ENODEV;
	}
	shm = page_address(page);
	timer_setup(&timer, scribble_timer, 0);
	dir = debugfs_create_dir("scribbler", NULL);
	debugfs_create_file("arm", 0200, dir, NULL, &arm_fops);
	debugfs_create_file("poke", 0200, dir, NULL, &poke_fops);
	debugfs_create_atomic_t("writes", 0400, dir, &writes);
	return 0;
}

static void __exit scribbler_exit(void)
{
	debugfs_remove(dir);
	del_timer_sync(&timer);
	if (thread)
		kthread_stop(thread);
	symbol_put(umh_shm_page);
}

module_init(scribbler_init);
module_exit(scribbler_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab lab 6: writers that scribble on lab 1's page");
