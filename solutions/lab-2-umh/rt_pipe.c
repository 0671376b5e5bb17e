// SPDX-License-Identifier: GPL-2.0
/*
 * rt_pipe N: the yardstick for lab 2's round trips. Two processes pass a
 * 4-byte sequence number back and forth over two pipes N times, and the
 * median round trip is printed in the same words as the kernel's
 * /sys/kernel/debug/umh_helper/roundtrips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long *ns, t0, sum = 0;
	int to_child[2], to_parent[2];
	unsigned int seq, got;
	long n, i;

	n = argc == 2 ? atol(argv[1]) : 0;
	if (n <= 0) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	ns = calloc(n, sizeof(*ns));
	if (!ns || pipe(to_child) || pipe(to_parent)) {
		perror("rt_pipe");
		return 1;
	}
	if (fork() == 0) {
		/* The echo side: read a number, send it back, until EOF. */
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &seq, sizeof(seq)) == sizeof(seq))
			if (write(to_parent[1], &seq, sizeof(seq)) != sizeof(seq))
				return 1;
		return 0;
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (i = 0; i < n; i++) {
		seq = i + 1;
		t0 = now_ns();
		if (write(to_child[1], &seq, sizeof(seq)) != sizeof(seq) ||
		    read(to_parent[0], &got, sizeof(got)) != sizeof(got) ||
		    got != seq) {
			fprintf(stderr, "rt_pipe: round trip %ld failed\n", i);
			return 1;
		}
		ns[i] = now_ns() - t0;
		sum += ns[i];
	}
	close(to_child[1]);
	wait(NULL);
	qsort(ns, n, sizeof(*ns), cmp);
	printf("pipe round trips %ld of %ld, median %llu ns, min %llu ns, max %llu ns, mean %llu ns\n",
	       n, n, ns[n / 2], ns[0], ns[n - 1], sum / n);
	return 0;
}
