// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 3's target: two functions of six arguments that the grader (or you)
 * can call on demand, so that what the tracer prints can be checked exactly.
 *
 *   echo "1 2 3 4 5 6" > /sys/kernel/debug/trace_target/weigh
 *   cat /sys/kernel/debug/trace_target/weigh      # the last result
 *
 * This file is given complete: the lab is trace.c.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

/*
 * noinline: a kprobe needs a real function entry to patch. __noclone: the
 * compiler must not call a specialised copy under another name, or the
 * probe on the real symbol would never fire.
 */
static noinline __noclone unsigned long
trace_target_weigh(unsigned long a, unsigned long b, unsigned long c,
		   unsigned long d, unsigned long e, unsigned long f)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

static noinline __noclone unsigned long
trace_target_mix(unsigned long a, unsigned long b, unsigned long c,
		 unsigned long d, unsigned long e, unsigned long f)
{
	return (a * b) ^ (c * d) ^ (e * f);
}

typedef unsigned long (*target_fn)(unsigned long, unsigned long,
				   unsigned long, unsigned long,
				   unsigned long, unsigned long);

struct target {
	const char *name;
	target_fn fn;
	unsigned long last;	/* the last result, for reads */
};

static struct target targets[] = {
	{ .name = "weigh", .fn = trace_target_weigh },
	{ .name = "mix", .fn = trace_target_mix },
};

/* Keeps a call and the update of its "last" result together. */
static DEFINE_MUTEX(target_lock);
static struct dentry *target_dir;

static ssize_t target_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct target *t = file_inode(file)->i_private;
	unsigned long v[6], ret;
	char buf[160];

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%lu %lu %lu %lu %lu %lu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -EINVAL;

	mutex_lock(&target_lock);
	ret = t->fn(v[0], v[1], v[2], v[3], v[4], v[5]);
	t->last = ret;
	mutex_unlock(&target_lock);
	pr_info("trace_target: %s(%lu, %lu, %lu, %lu, %lu, %lu) = %lu\n",
		t->name, v[0], v[1], v[2], v[3], v[4], v[5], ret);
	return count;
}

static ssize_t target_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct target *t = file_inode(file)->i_private;
	char buf[32];
	int len;

	mutex_lock(&target_lock);
	len = scnprintf(buf, sizeof(buf), "%lu\n", t->last);
	mutex_unlock(&target_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations target_fops = {
	.owner = THIS_MODULE,
	.read = target_read,
	.write = target_write,
	.llseek = default_llseek,
};

static int __init target_init(void)
{
	int i;

	target_dir = debugfs_create_dir("trace_target", NULL);
	for (i = 0; i < ARRAY_SIZE(targets); i++)
		debugfs_create_file(targets[i].name, 0600, target_dir,
				    &targets[i], &target_fops);
	pr_info("trace_target: ready in /sys/kernel/debug/trace_target\n");
	return 0;
}

static void __exit target_exit(void)
{
	debugfs_remove(target_dir);
}

module_init(target_init);
module_exit(target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab lab 3: functions of six arguments to trace");
