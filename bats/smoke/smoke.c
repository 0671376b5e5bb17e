// SPDX-License-Identifier: GPL-2.0
/*
 * The harness's own smoke module: proves that modules build, load, print,
 * and that gdb can stop in them. mode=panic and mode=hang show how the
 * harness reports a broken module, mode=oops that gdb can look at a guest
 * that --halt-on-panic stopped, mode=uaf that the debug kernel's KASAN
 * report fails a test.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

static char *mode = "ok";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "ok, panic, oops, hang or uaf");

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

/* A write through a NULL pointer: an oops, which --halt-on-panic stops at. */
static noinline void smoke_oops(int *victim)
{
	WRITE_ONCE(*victim, secret);
}

/* A read of freed memory: only KASAN (KERNEL=debug) notices it. */
static noinline void smoke_use_after_free(void)
{
	int *p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return;
	*p = secret;
	kfree(p);
	pr_info("smoke: read after free: %d\n", READ_ONCE(*p));
}

static int __init smoke_init(void)
{
	pr_info("smoke: loaded, mode=%s\n", mode);
	if (!strcmp(mode, "panic"))
		panic("smoke: panic requested");
	if (!strcmp(mode, "hang"))
		for (;;)
			mdelay(1000);
	if (!strcmp(mode, "uaf"))
		smoke_use_after_free();
	if (!strcmp(mode, "oops"))
		smoke_oops(NULL);
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
