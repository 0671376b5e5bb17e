// SPDX-License-Identifier: GPL-2.0
/*
 * prober: lab 2's reference reader, part of the grader. It maps the page
 * of /dev/umh_shm itself and checks what the kernel and the helper wrote
 * there, so that no test has to believe the module's own report.
 *
 *   prober check ID PAYLOAD PLHASH  the page holds this request, answered
 *   prober consistent               the page's answer fits its request
 *   prober seq                      prints the page's req_seq
 *   prober requests N               N random requests through the
 *                                   request control, each checked in the
 *                                   page
 *   prober request WORD...          one request per word; prints each
 *                                   write's result (ok or the errno); runs
 *                                   on CPU 0, the helper under test may
 *                                   take CPU 1 (see hostile.c)
 *   prober interrupted MS           a request, interrupted by SIGALRM
 *                                   after MS ms; prints its errno and time
 *   prober steal PID                takes PID's doorbell with
 *                                   pidfd_getfd() and tries it; again on
 *                                   each SIGUSR1, until SIGTERM
 *
 * Exit status 0 when every check holds; the reasons go to stdout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../solutions/lab-2-umh/umh_rpc.h"

#define CONTROLS	"/sys/kernel/debug/umh_helper/"
#define ACQUIRE(field)	__atomic_load_n(&(field), __ATOMIC_ACQUIRE)

static struct umh_shm_req *req;
static struct umh_rpc *rpc;

static void map_page(void)
{
	void *page;
	int fd;

	fd = open(UMH_SHM_DEV, O_RDONLY);
	if (fd < 0) {
		printf("open " UMH_SHM_DEV ": %s\n", strerror(errno));
		exit(2);
	}
	page = mmap(NULL, UMH_SHM_LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (page == MAP_FAILED) {
		printf("mmap " UMH_SHM_DEV ": %s\n", strerror(errno));
		exit(2);
	}
	close(fd);
	req = page;
	rpc = (struct umh_rpc *)((char *)page + UMH_RPC_OFF);
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "unknown errno";
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* The page's answer is the helper's to the page's request. 0 if so. */
static int consistent(void)
{
	__u32 req_seq = ACQUIRE(rpc->req_seq), ans_seq = ACQUIRE(rpc->ans_seq);
	__u32 len = strnlen(req->payload, sizeof(req->payload));
	__u64 hash = umh_rpc_hash(req->payload, len);
	int bad = 0;

	if (!req_seq) {
		printf("req_seq is 0: no request was published\n");
		return 1;
	}
	if (ans_seq != req_seq) {
		printf("ans_seq %u, req_seq %u: the last request was not answered\n",
		       ans_seq, req_seq);
		return 1;
	}
	if (rpc->ans_status != UMH_ANS_OK)
		bad = printf("ans_status %u, not %u\n", rpc->ans_status, UMH_ANS_OK);
	if (rpc->ans_id != req->id)
		bad = printf("ans_id %u, request id %u\n", rpc->ans_id, req->id);
	if (rpc->ans_len != len)
		bad = printf("ans_len %u, payload length %u\n", rpc->ans_len, len);
	if (rpc->ans_hash != hash)
		bad = printf("ans_hash %#llx, hash of the payload %#llx\n",
			     (unsigned long long)rpc->ans_hash,
			     (unsigned long long)hash);
	return bad ? 1 : 0;
}

/* The page holds request (id, payload, pl_hash), answered. 0 if so. */
static int check(__u32 id, const char *payload, const char *pl_hash)
{
	int bad = 0;

	if (req->id != id)
		bad = printf("request id %u, expected %u\n", req->id, id);
	if (strncmp(req->payload, payload, sizeof(req->payload)))
		bad = printf("payload '%.40s', expected '%s'\n", req->payload,
			     payload);
	if (strncmp(req->pl_hash, pl_hash, sizeof(req->pl_hash)))
		bad = printf("pl_hash '%.40s', expected '%s'\n", req->pl_hash,
			     pl_hash);
	return consistent() || bad;
}

/* Writes word to the request control: 0 or the write's errno. */
static int request(const char *word)
{
	int fd, err = 0;

	fd = open(CONTROLS "request", O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, word, strlen(word)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* A parameter of umh_helper.ko, as a word. */
static void module_param_word(const char *name, char *word, int size)
{
	char path[128], fmt[16];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/umh_helper/parameters/%s", name);
	snprintf(fmt, sizeof(fmt), "%%%ds", size - 1);
	f = fopen(path, "r");
	if (!f || fscanf(f, fmt, word) != 1) {
		printf("cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
}

static int requests(long n)
{
	__u32 id, last = ACQUIRE(rpc->req_seq);
	char word[41], param[64];
	int i, j, len, err, bad = 0;

	module_param_word("id", param, sizeof(param));
	id = strtoul(param, NULL, 0);
	module_param_word("hash", param, sizeof(param));
	srandom(time(NULL) ^ getpid());
	for (i = 0; i < n && bad < 5; i++) {
		len = 1 + random() % (sizeof(word) - 1);
		for (j = 0; j < len; j++)
			word[j] = 'a' + random() % 26;
		word[len] = 0;
		err = request(word);
		if (err) {
			bad = printf("request %d '%s': %s\n", i, word, errname(err));
			continue;
		}
		if (ACQUIRE(rpc->req_seq) == last)
			bad = printf("request %d '%s': req_seq stayed %u\n", i,
				     word, last);
		last = ACQUIRE(rpc->req_seq);
		if (check(id, word, param))
			bad = printf("request %d '%s': the page does not hold its answer\n",
				     i, word);
	}
	printf("%d requests checked in the page\n", i);
	return bad ? 1 : 0;
}

static void on_signal(int sig)
{
}

static void catch(int sig)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: a signal makes the system call fail with EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int interrupted(long ms)
{
	struct itimerval it = { .it_value = { ms / 1000, ms % 1000 * 1000 } };
	unsigned long long t0 = now_ms();
	int err;

	catch(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	err = request("interrupted");
	printf("%s after %llu ms\n", err ? errname(err) : "ok",
	       now_ms() - t0);
	return 0;
}

/* The fd by which PID holds /dev/umh_doorbell, or -1. */
static int doorbell_fd(int pid)
{
	char dir[64], path[320], target[64];
	struct dirent *e;
	ssize_t n;
	DIR *d;
	int fd = -1;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = 0;
		if (!strcmp(target, UMH_DOORBELL_DEV))
			fd = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return fd;
}

/* One try of a stolen doorbell: a read (which must not wait) and a write. */
static void try_doorbell(int fd)
{
	struct itimerval it = { .it_value = { 1, 0 } };
	__u32 seq = ACQUIRE(rpc->req_seq);
	const char *r, *w;
	ssize_t n;

	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fd, &seq, sizeof(seq));
	r = n < 0 ? errname(errno) : "a request";
	it.it_value.tv_sec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	seq = ACQUIRE(rpc->req_seq);
	n = write(fd, &seq, sizeof(seq));
	w = n < 0 ? errname(errno) : "rang";
	printf("read %s, write %s\n", r, w);
	fflush(stdout);
}

static volatile sig_atomic_t last_signal;

static void note_signal(int sig)
{
	last_signal = sig;
}

static int steal(int pid)
{
	struct sigaction sa = { .sa_handler = note_signal };
	int pidfd, target, fd;

	target = doorbell_fd(pid);
	if (target < 0) {
		printf("pid %d holds no doorbell\n", pid);
		return 1;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	fd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, target, 0);
	if (fd < 0) {
		printf("pidfd_getfd of pid %d's fd %d: %s\n", pid, target,
		       strerror(errno));
		return 1;
	}
	close(pidfd);
	catch(SIGALRM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("took fd %d of pid %d\n", target, pid);
	for (;;) {
		try_doorbell(fd);
		last_signal = 0;
		while (!last_signal)
			pause();
		if (last_signal == SIGTERM)
			return 0;
	}
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	cpu_set_t cpus;
	int i, err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	map_page();
	if (!strcmp(cmd, "check") && argc == 5)
		return check(strtoul(argv[2], NULL, 0), argv[3], argv[4]);
	if (!strcmp(cmd, "consistent") && argc == 2)
		return consistent();
	if (!strcmp(cmd, "seq") && argc == 2)
		return printf("%u\n", ACQUIRE(rpc->req_seq)) < 0;
	if (!strcmp(cmd, "requests") && argc == 3)
		return requests(atol(argv[2]));
	if (!strcmp(cmd, "request") && argc > 2) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		sched_setaffinity(0, sizeof(cpus), &cpus);
		for (i = 2; i < argc; i++) {
			err = request(argv[i]);
			printf("%s: %s\n", argv[i], err ? errname(err) : "ok");
		}
		return 0;
	}
	if (!strcmp(cmd, "interrupted") && argc == 3)
		return interrupted(atol(argv[2]));
	if (!strcmp(cmd, "steal") && argc == 3)
		return steal(atoi(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of prober.c\n");
	return 2;
}
