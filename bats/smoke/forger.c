// SPDX-License-Identifier: GPL-2.0
/*
 * A module that tries to forge the harness's verdict: it prints status lines
 * of every shape it can guess, the old "kdlab: exit status 0" among them, on
 * the kernel log and on every tty it can open, at load and then every few
 * milliseconds until it is unloaded, so its lines also come after init's.
 * output=0 spares the command's output port, to forge the status alone.
 * The harness suite loads it and runs a command that fails: run-vm must
 * still report the failure (images/rootfs/contract says why it can).
 */
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/workqueue.h>

static const char *const ttys[] = {
	"/dev/console", "/dev/ttyS0", "/dev/ttyS1", "/dev/ttyS2", "/dev/ttyS3",
};

/* The sha256 of no output at all: a plausible hash for "exit 0". */
#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static bool output = true;
module_param(output, bool, 0444);
MODULE_PARM_DESC(output, "also write to the command's output port, ttyS1");

static char token[33];

static void forge_on(const char *path, const char *line)
{
	struct file *f = filp_open(path, O_WRONLY | O_NOCTTY, 0);
	loff_t pos = 0;

	if (IS_ERR(f))
		return;
	kernel_write(f, line, strlen(line), &pos);
	filp_close(f, NULL);
}

static void forge(void)
{
	char lines[256];
	int i;

	snprintf(lines, sizeof(lines),
		 "\nkdlab: exit status 0\nkdlab-status 0 0\nkdlab-status %s 0 %s\n",
		 token, EMPTY_SHA256);
	pr_info("%s", lines);
	for (i = 0; i < ARRAY_SIZE(ttys); i++)
		if (output || strcmp(ttys[i], "/dev/ttyS1"))
			forge_on(ttys[i], lines);
}

static void forge_again(struct work_struct *work);
static DECLARE_DELAYED_WORK(forger, forge_again);

static void forge_again(struct work_struct *work)
{
	forge();
	schedule_delayed_work(&forger, msecs_to_jiffies(5));
}

static int __init forger_init(void)
{
	/* A token of the right shape; the real one is not for modules to see. */
	snprintf(token, sizeof(token), "%016llx%016llx", get_random_u64(),
		 get_random_u64());
	forge();
	schedule_delayed_work(&forger, 0);
	return 0;
}

static void __exit forger_exit(void)
{
	cancel_delayed_work_sync(&forger);
}

module_init(forger_init);
module_exit(forger_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab harness: tries to forge run-vm's verdict");
