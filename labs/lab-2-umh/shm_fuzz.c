// SPDX-License-Identifier: GPL-2.0
/*
 * shm_fuzz SECONDS: a hostile root process. It maps the page of
 * /dev/umh_shm read-write and scribbles over it for SECONDS: random bytes
 * anywhere, and answers that look almost right (the current request's
 * seq with a wild length, id or hash), so that the kernel's checks, and
 * not only its seq check, meet bad input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "umh_rpc.h"

static unsigned long long rng;

/*
 * Each store really reaches the page, in program order, and is
 * untorn: relaxed atomics, the user-space WRITE_ONCE.
 */
#define PUT(field, v)	__atomic_store_n(&(field), (v), __ATOMIC_RELAXED)
#define GET(field)	__atomic_load_n(&(field), __ATOMIC_RELAXED)

static unsigned int next(void)
{
	/* xorshift64: fast, and good enough to make a mess */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 32;
}

int main(int argc, char **argv)
{
	unsigned char *p;
	struct umh_rpc *rpc;
	unsigned long long rounds = 0;
	time_t end;
	int fd, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
		return 2;
	}
	end = time(NULL) + atoi(argv[1]);
	rng = (unsigned long long)time(NULL) << 20 ^ getpid();
	fd = open(UMH_SHM_DEV, O_RDWR);
	if (fd < 0) {
		perror("open " UMH_SHM_DEV);
		return 1;
	}
	p = mmap(NULL, UMH_SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap " UMH_SHM_DEV);
		return 1;
	}
	rpc = (struct umh_rpc *)(p + UMH_RPC_OFF);

	while (time(NULL) < end) {
		for (i = 0; i < 1000; i++, rounds++) {
			switch (next() % 4) {
			case 0:	/* any byte of the page */
				PUT(p[next() % UMH_SHM_LEN], next());
				break;
			case 1:	/* a plausible answer with a wild length */
				PUT(rpc->ans_len,
				    next() % 3 ? next() : next() % 2048);
				PUT(rpc->ans_seq, GET(rpc->req_seq));
				break;
			case 2:	/* a plausible answer with a wild id or hash */
				PUT(rpc->ans_id, next());
				PUT(rpc->ans_hash,
				    (unsigned long long)next() << 32 | next());
				PUT(rpc->ans_status, next() % 3);
				PUT(rpc->ans_seq, GET(rpc->req_seq));
				break;
			default: /* the sequence words themselves */
				PUT(rpc->req_seq, next());
				PUT(rpc->ans_seq,
				    next() % 2 ? GET(rpc->req_seq) + 1 : next());
				break;
			}
		}
		usleep(100);
	}
	printf("fuzzed %llu writes\n", rounds);
	return 0;
}
