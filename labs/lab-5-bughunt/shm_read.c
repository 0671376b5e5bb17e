// SPDX-License-Identifier: GPL-2.0
/*
 * The article's user program: map the page of /dev/umh_shm read-only and
 * print the request that the kernel left there ("2 hello world").
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <umh_shm.h>

int main(void)
{
	const struct umh_shm_req *req;
	void *shm;
	int fd;

	fd = open(UMH_SHM_DEV, O_RDONLY);
	if (fd == -1) {
		perror("open " UMH_SHM_DEV);
		return 1;
	}
	shm = mmap(NULL, UMH_SHM_LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED) {
		perror("mmap " UMH_SHM_DEV);
		return 1;
	}

	req = shm;
	/* The fields need not end in a NUL: never read past them. */
	printf("%u %.*s %.*s\n", req->id,
	       (int)sizeof(req->payload), req->payload,
	       (int)sizeof(req->pl_hash), req->pl_hash);

	munmap(shm, UMH_SHM_LEN);
	close(fd);
	return 0;
}
