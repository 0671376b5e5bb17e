// SPDX-License-Identifier: GPL-2.0
/*
 * The harness's own smoke module: proves that modules build, load, print,
 * and that gdb can stop in them. mode=panic and mode=hang show how the
 * harness reports a broken module.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static char *mode = "ok";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "ok, panic or hang");

static int secret = 42;
module_param(secret, int, 0444);
MODULE_PARM_DESC(secret, "a value for gdb to find");

/* noinline: gdb needs a real function to break on, with a real local. */
static noinline int smoke_compute(int seed)
{
	int doubled = seed * 2;

	pr_info("smoke: computed %d\n", doubled);
	return doubled;
}

static int __init smoke_init(void)
{
	pr_info("smoke: loaded, mode=%s\n", mode);
	if (!strcmp(mode, "panic"))
		panic("smoke: panic requested");
	if (!strcmp(mode, "hang"))
		for (;;)
			mdelay(1000);
	smoke_compute(secret);
	return 0;
}

static void __exit smoke_exit(void)
{
	pr_info("smoke: unloaded\n");
}

module_init(smoke_init);
module_exit(smoke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab harness smoke test");
