// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 3: trace.ko, a kprobe tracer driven through /proc/trace.
 *
 *   printf trace_target_weigh > /proc/trace	arm a probe on a function
 *   cat /proc/trace				what is armed, hits, code bytes
 *   printf none > /proc/trace			disarm
 *
 * Each hit logs a block with the six register arguments, the task and the
 * call trace; a kretprobe on the same function logs the return value and
 * the call's duration. The first bytes of the function are logged before
 * the probe is armed, once it is armed, and after unregister_kprobe(), so
 * the int3 (0xcc) that a kprobe writes over the code can be seen.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#define DUMP_BYTES	16	/* code bytes shown at the probed address */
#define TRACE_DEPTH	32	/* call trace entries kept per hit */

static unsigned int max_hits = 10;
module_param(max_hits, uint, 0644);
MODULE_PARM_DESC(max_hits,
		 "hits logged per arming (default 10); later hits are only counted");

static bool optimize;
module_param(optimize, bool, 0444);
MODULE_PARM_DESC(optimize,
		 "no post_handler, so the kernel may turn the int3 into a jmp (default off)");

/*
 * One arming. A switch builds and arms a new one before the old one goes,
 * so a failed switch leaves the old probe armed as it was.
 */
struct tracer_probe {
	struct kprobe kp;		/* entry: arguments and call trace */
	struct kretprobe krp;		/* return: value and duration */
	unsigned int max_hits;		/* max_hits when it was armed */
	atomic_t hits;			/* calls seen by kp */
	atomic_t returns;		/* calls seen by krp */
	char name[KSYM_NAME_LEN];
};

/* Serialises writers (and readers) of /proc/trace; handlers never take it. */
static DEFINE_MUTEX(tracer_lock);
static struct tracer_probe *armed;	/* under tracer_lock */
static struct proc_dir_entry *tracer_entry;

/* Logs the first bytes of the probed function, as the code is right now. */
static void tracer_dump(struct tracer_probe *tp, const char *when)
{
	u8 code[DUMP_BYTES];

	/* The probed module was unloaded: its code is gone, do not look. */
	if (kprobe_gone(&tp->kp)) {
		pr_info("trace: %s %s: the code is gone\n", when, tp->name);
		return;
	}
	if (copy_from_kernel_nofault(code, tp->kp.addr, sizeof(code)))
		pr_info("trace: %s %s: cannot read the code\n", when, tp->name);
	else
		pr_info("trace: %s %s (%pS): %*ph\n", when, tp->name,
			tp->kp.addr, DUMP_BYTES, code);
}

/* Runs when the probe fires, before the function's first instruction. */
static int tracer_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct tracer_probe *tp = container_of(kp, struct tracer_probe, kp);
	unsigned long entries[TRACE_DEPTH];
	unsigned long arg[6] = { };
	unsigned int nr;
	unsigned long flags;

	if ((unsigned int)atomic_inc_return(&tp->hits) > tp->max_hits)
		return 0;

	/*
	 * TODO(lab 3): fill arg[] with the six arguments of the call. At the
	 * entry of the function they are still in the registers of the
	 * calling convention: regs_get_kernel_argument() knows which.
	 */
	/* SOLUTION BEGIN */
	for (unsigned int i = 0; i < ARRAY_SIZE(arg); i++)
		arg[i] = regs_get_kernel_argument(regs, i);
	/* SOLUTION END */

	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);

	/* One block per hit, even when two CPUs hit at once. */
	printk_cpu_sync_get_irqsave(flags);
	pr_info("]=------------------------\n");
	pr_info("Function  : %s\n", tp->name);
	pr_info("args 0: %016lx  args 1: %016lx  args 2: %016lx\n",
		arg[0], arg[1], arg[2]);
	pr_info("args 3: %016lx  args 4: %016lx  args 5: %016lx\n",
		arg[3], arg[4], arg[5]);
	pr_info("Pid: %d, comm: %s\n", task_pid_nr(current), current->comm);
	pr_info("Call Trace:\n");
	stack_trace_print(entries, nr, 1);
	pr_info("]= EOF -------------------\n");
	printk_cpu_sync_put_irqrestore(flags);
	return 0;
}

/*
 * Runs once the displaced instruction has run from its slot. It has
 * nothing to do: its presence alone stops the kernel from optimizing the
 * probe into a jmp, so the int3 stays in the code for the lesson.
 */
static void tracer_post(struct kprobe *kp, struct pt_regs *regs,
			unsigned long flags)
{
}

/* The kretprobe's entry: note when the call started. */
static int tracer_ret_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tracer_probe *tp = container_of(get_kretprobe(ri),
					      struct tracer_probe, krp);
	u64 *start = (u64 *)ri->data;

	/* Non-zero: no return handler for this call (past max_hits). */
	if ((unsigned int)atomic_inc_return(&tp->returns) > tp->max_hits)
		return 1;
	/* The int3 is NMI-like: only the fast clock is safe to read here. */
	*start = ktime_get_mono_fast_ns();
	return 0;
}

/* The kretprobe's handler: the function is returning, rax is its value. */
static int tracer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tracer_probe *tp = container_of(get_kretprobe(ri),
					      struct tracer_probe, krp);
	u64 *start = (u64 *)ri->data;

	pr_info("trace: %s ret: 0x%lx, duration: %llu ns, pid %d\n", tp->name,
		regs_return_value(regs), ktime_get_mono_fast_ns() - *start,
		task_pid_nr(current));
	return 0;
}

/* Builds and arms a probe on @name; returns it or an ERR_PTR. */
static struct tracer_probe *tracer_arm(const char *name)
{
	struct tracer_probe *tp;
	int ret;

	tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return ERR_PTR(-ENOMEM);
	strscpy(tp->name, name, sizeof(tp->name));
	tp->max_hits = READ_ONCE(max_hits);
	tp->kp.pre_handler = tracer_pre;
	/* A kprobe with a post_handler is never optimized (see the docs). */
	if (!optimize)
		tp->kp.post_handler = tracer_post;
	tp->krp.entry_handler = tracer_ret_entry;
	tp->krp.handler = tracer_ret;
	tp->krp.data_size = sizeof(u64);

	/*
	 * TODO(lab 3): register tp->kp on the symbol tp->name, disabled
	 * (KPROBE_FLAG_DISABLED), so that register_kprobe() finds the address
	 * but leaves the code alone; log the bytes there ("before arming").
	 * Register tp->krp at the same address, disabled too, then enable
	 * both and log the bytes again ("armed"). On an error, undo what was
	 * done and return the error, with a log line that names the function
	 * and says why: -ENOENT, no such symbol; -EINVAL, the kernel refuses
	 * to probe it (say "blacklist": NOKPROBE_SYMBOL and the like).
	 */
	/* SOLUTION BEGIN */
	tp->kp.symbol_name = tp->name;
	tp->kp.flags = KPROBE_FLAG_DISABLED;
	ret = register_kprobe(&tp->kp);
	if (ret == -ENOENT) {
		pr_err("trace: cannot probe %s: no such symbol\n", name);
		goto out_free;
	} else if (ret == -EINVAL) {
		pr_err("trace: cannot probe %s: the kernel refuses (kprobe blacklist, NOKPROBE_SYMBOL, or not code)\n",
		       name);
		goto out_free;
	} else if (ret) {
		pr_err("trace: cannot probe %s: register_kprobe: %d\n",
		       name, ret);
		goto out_free;
	}
	tracer_dump(tp, "before arming");

	tp->krp.kp.addr = tp->kp.addr;
	tp->krp.kp.flags = KPROBE_FLAG_DISABLED;
	ret = register_kretprobe(&tp->krp);
	if (ret) {
		pr_err("trace: cannot probe %s: register_kretprobe: %d\n",
		       name, ret);
		goto out_kprobe;
	}
	ret = enable_kretprobe(&tp->krp);
	if (!ret)
		ret = enable_kprobe(&tp->kp);
	if (ret) {
		pr_err("trace: cannot arm %s: %d\n", name, ret);
		goto out_kretprobe;
	}
	tracer_dump(tp, "armed");
	pr_info("trace: tracing %s, logging at most %u hits\n", name,
		tp->max_hits);
	return tp;

out_kretprobe:
	unregister_kretprobe(&tp->krp);
out_kprobe:
	unregister_kprobe(&tp->kp);
out_free:
	/* SKELETON: ret = -EOPNOTSUPP; */
	/* SOLUTION END */
	kfree(tp);
	return ERR_PTR(ret);
}

/* Unregisters an armed probe and shows that the code is whole again. */
static void tracer_disarm(struct tracer_probe *tp)
{
	unregister_kretprobe(&tp->krp);
	unregister_kprobe(&tp->kp);
	tracer_dump(tp, "after unregister_kprobe");
	pr_info("trace: %s disarmed after %u hits, %lu missed\n", tp->name,
		atomic_read(&tp->hits), tp->kp.nmissed);
	kfree(tp);
}

/* Arms @name, or disarms for "none"; a failure changes nothing. */
static int tracer_set(const char *name)
{
	struct tracer_probe *tp = NULL, *old;
	int ret;

	ret = mutex_lock_interruptible(&tracer_lock);
	if (ret)
		return ret;
	if (strcmp(name, "none")) {
		tp = tracer_arm(name);
		if (IS_ERR(tp)) {
			ret = PTR_ERR(tp);
			goto out;
		}
	}
	old = armed;
	armed = tp;
	if (old)
		tracer_disarm(old);
out:
	mutex_unlock(&tracer_lock);
	return ret;
}

/*
 * Returns the name written to /proc/trace as a kmalloc'ed string, or an
 * ERR_PTR: nothing is armed or disarmed until the name passed.
 */
static char *tracer_parse(const char __user *ubuf, size_t count)
{
	/*
	 * TODO(lab 3): copy what the user wrote into a kmalloc'ed string
	 * (memdup_user_nul()). Accept one trailing newline, as echo writes
	 * one. Refuse an empty write or an empty name (-EINVAL), a name of
	 * KSYM_NAME_LEN bytes or more (-ENAMETOOLONG, and do not copy a huge
	 * write at all), and any byte that is not printable ASCII, a space
	 * or a NUL included (-EINVAL).
	 */
	/* SOLUTION BEGIN */
	size_t len = count;
	char *name;

	if (!count)
		return ERR_PTR(-EINVAL);
	/* Room for a name of KSYM_NAME_LEN - 1 bytes and echo's newline. */
	if (count > KSYM_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	name = memdup_user_nul(ubuf, count);
	if (IS_ERR(name))
		return name;
	if (name[len - 1] == '\n')
		name[--len] = '\0';
	if (!len || len >= KSYM_NAME_LEN) {
		kfree(name);
		return ERR_PTR(len ? -ENAMETOOLONG : -EINVAL);
	}
	for (size_t i = 0; i < len; i++) {
		/* Not isgraph(): the kernel's ctype takes Latin-1 as printable. */
		if ((u8)name[i] <= ' ' || (u8)name[i] >= 0x7f) {
			kfree(name);
			return ERR_PTR(-EINVAL);
		}
	}
	return name;
	/* SKELETON: return ERR_PTR(-EOPNOTSUPP); */
	/* SOLUTION END */
}

static ssize_t tracer_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char *name;
	int ret;

	name = tracer_parse(ubuf, count);
	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = tracer_set(name);
	kfree(name);
	return ret ? ret : count;
}

static int tracer_show(struct seq_file *m, void *v)
{
	struct tracer_probe *tp;
	u8 code[DUMP_BYTES];
	int ret;

	ret = mutex_lock_interruptible(&tracer_lock);
	if (ret)
		return ret;
	tp = armed;
	if (!tp) {
		seq_puts(m, "Function traced : none\n");
		goto out;
	}
	seq_printf(m, "Function traced : %s\n", tp->name);
	seq_printf(m, "Hits            : %u\n", atomic_read(&tp->hits));
	seq_printf(m, "Logged at most  : %u\n", tp->max_hits);
	seq_printf(m, "Missed          : %lu\n", tp->kp.nmissed);
	seq_printf(m, "Missed returns  : %d\n", tp->krp.nmissed);
	if (kprobe_gone(&tp->kp))
		seq_puts(m, "Code now        : gone (its module was unloaded)\n");
	else if (!copy_from_kernel_nofault(code, tp->kp.addr, sizeof(code)))
		seq_printf(m, "Code now        : %*ph\n", DUMP_BYTES, code);
out:
	mutex_unlock(&tracer_lock);
	return 0;
}

static int tracer_open(struct inode *inode, struct file *file)
{
	return single_open(file, tracer_show, NULL);
}

static const struct proc_ops tracer_proc_ops = {
	.proc_open = tracer_open,
	.proc_read = seq_read,
	.proc_write = tracer_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init tracer_init(void)
{
	/* 0644: anyone may look, only root may arm a probe in the kernel. */
	tracer_entry = proc_create("trace", 0644, NULL, &tracer_proc_ops);
	if (!tracer_entry)
		return -ENOMEM;
	return 0;
}

static void __exit tracer_exit(void)
{
	/* No writer can come in any more; then drop what is armed. */
	proc_remove(tracer_entry);
	mutex_lock(&tracer_lock);
	if (armed)
		tracer_disarm(armed);
	armed = NULL;
	mutex_unlock(&tracer_lock);
}

module_init(tracer_init);
module_exit(tracer_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab lab 3: a kprobe tracer behind /proc/trace");
