// SPDX-License-Identifier: GPL-2.0
/*
 * rearm_race ROUNDS: one CPU re-arms /proc/trace while the other reads it.
 * Needs two CPUs, trace.ko and trace_target.ko loaded, and
 * trace_target_weigh armed. Each round a child on CPU 1 switches the
 * tracer to the other target function (weigh, mix, weigh...) while this
 * process reads /proc/trace on CPU 0 without a pause. The moment a read
 * names the new function, the switch must be over: the old function's
 * probes are gone from kprobes/list, and the probe shows its int3. A
 * read taken under the writers' lock always sees that; a read without it
 * sees the new arming while the old one is still being unregistered.
 * KTAP on stdout, one result per round.
 * The grader's own program (bats/lab-3/): the submission never builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACE "/proc/trace"
#define KPROBES "/sys/kernel/debug/kprobes/list"
/* A switch that takes longer than this many reads is stuck. */
#define MAX_READS 2000000

static const char *const fns[] = { "trace_target_weigh", "trace_target_mix" };

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		printf("# cannot run on CPU %d: %s (boot with --smp 2)\n", cpu,
		       strerror(errno));
		exit(1);
	}
}

/* The whole of a small file, NUL-terminated, in buf; -1 on an error. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : len;
}

/* The child: one switch, on the other CPU. */
static void arm(const char *fn)
{
	int fd;

	pin(1);
	fd = open(TRACE, O_WRONLY);
	if (fd < 0 || write(fd, fn, strlen(fn)) != (ssize_t)strlen(fn)) {
		printf("# writing %s: %s\n", fn, strerror(errno));
		_exit(1);
	}
	_exit(0);
}

/*
 * Reads /proc/trace until it names @to; then checks that @from is gone.
 * Returns NULL when the round is good, or what went wrong.
 */
static const char *watch(const char *from, const char *to, long *reads)
{
	static char trace[4096], list[16384], why[256];
	char want[128], old[128];

	snprintf(want, sizeof(want), "Function traced : %s\n", to);
	snprintf(old, sizeof(old), "  %s+", from);
	for (*reads = 1; *reads <= MAX_READS; (*reads)++) {
		if (slurp(TRACE, trace, sizeof(trace)) < 0)
			return "cannot read " TRACE;
		if (strncmp(trace, want, strlen(want)))
			continue;
		if (slurp(KPROBES, list, sizeof(list)) < 0)
			return "cannot read " KPROBES;
		if (strstr(list, old)) {
			snprintf(why, sizeof(why),
				 "%s named %s while %s was still probed", TRACE,
				 to, from);
			return why;
		}
		if (!strstr(trace, "\nCode now        : cc ")) {
			snprintf(why, sizeof(why),
				 "%s named %s without its int3", TRACE, to);
			return why;
		}
		return NULL;
	}
	return "the switch never showed in " TRACE;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10;
	int round, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%d\n", rounds);
	pin(0);
	for (round = 1; round <= rounds; round++) {
		const char *from = fns[(round - 1) % 2], *to = fns[round % 2];
		const char *why;
		long reads;
		int status;
		pid_t child;

		fflush(stdout);
		child = fork();
		if (child < 0) {
			perror("rearm_race: fork");
			return 1;
		}
		if (child == 0)
			arm(to);
		why = watch(from, to, &reads);
		if (waitpid(child, &status, 0) != child || status != 0)
			why = why ? why : "the switch failed";
		printf("# round %d: %ld reads\n", round, reads);
		if (why) {
			printf("# %s\n", why);
			bad = 1;
		}
		printf("%sok %d %s -> %s\n", why ? "not " : "", round, from, to);
	}
	return bad;
}
