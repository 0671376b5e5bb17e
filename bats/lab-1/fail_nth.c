// SPDX-License-Identifier: GPL-2.0
/*
 * fail_nth MODULE.ko NAME PARAMS: loads MODULE.ko (module NAME) again and
 * again, making the 1st, 2nd, 3rd... fault-injection point of the load
 * fail (the kernel's /proc/thread-self/fail-nth, with failslab), until a
 * load no longer reaches the injected fault. Every error path of the load,
 * the module's init included, runs once. A load that succeeds anyway (the
 * failure was one the kernel tolerates) is undone with delete_module().
 *
 * Prints "# fault N: ok" or "# fault N: ERRNO" per load, then
 * "faults N failed N loaded N". Exits 1 when it cannot run the sweep.
 * The grader's own program (bats/lab-1/): the submission never builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A sweep that goes on for longer than this is stuck, not thorough. */
#define MAX_FAULTS 2000

static int set_nth(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

static long get_nth(int fd)
{
	char buf[16] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

int main(int argc, char **argv)
{
	unsigned int n, failed = 0, loaded = 0;
	int nth, ko;

	if (argc != 4) {
		fprintf(stderr, "usage: fail_nth MODULE.ko NAME PARAMS\n");
		return 2;
	}
	/* Opened once: opening it between the loads would allocate. */
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0) {
		printf("# no /proc/thread-self/fail-nth: %s\n", strerror(errno));
		return 1;
	}
	for (n = 1; n <= MAX_FAULTS; n++) {
		long left, ret;
		int err;

		ko = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (ko < 0 || set_nth(nth, n)) {
			printf("# fault %u: cannot set up: %s\n", n, strerror(errno));
			return 1;
		}
		ret = syscall(SYS_finit_module, ko, argv[3], 0);
		err = errno;
		/* Non-zero: the load ended before its n-th fault point. */
		left = get_nth(nth);
		set_nth(nth, 0);
		close(ko);
		if (ret == 0) {
			printf("# fault %u: ok\n", n);
			if (syscall(SYS_delete_module, argv[2], O_NONBLOCK)) {
				printf("# delete_module %s: %s\n", argv[2],
				       strerror(errno));
				return 1;
			}
			loaded++;
		} else {
			printf("# fault %u: %s\n", n, strerrorname_np(err));
			failed++;
		}
		if (left != 0)
			break;
	}
	if (n > MAX_FAULTS) {
		printf("# more than %d fault points: giving up\n", MAX_FAULTS);
		return 1;
	}
	/* The last load ran whole: n - 1 points had a fault injected. */
	printf("faults %u failed %u loaded %u\n", n - 1, failed, loaded);
	return 0;
}
