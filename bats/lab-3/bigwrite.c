// SPDX-License-Identifier: GPL-2.0
/*
 * bigwrite FILE SIZE: one write(2) of SIZE bytes to FILE from a buffer of
 * which only the first page is readable (letters); the rest is reserved
 * PROT_NONE. A writer that judges the size before it copies never touches
 * the rest; one that copies first gets EFAULT, or fails to allocate.
 * Prints "ok N" or the errno's name, as rawwrite does.
 * The grader's own program (bats/lab-3/): the submission never builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t size, page = sysconf(_SC_PAGESIZE);
	ssize_t done;
	char *buf;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: bigwrite FILE SIZE\n");
		return 2;
	}
	size = strtoull(argv[2], NULL, 0);
	/* Reserves the range without memory: only the first page is made. */
	buf = mmap(NULL, size + page, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (buf == MAP_FAILED || mprotect(buf, page, PROT_READ | PROT_WRITE)) {
		perror("bigwrite: mmap");
		return 2;
	}
	memset(buf, 'a', page);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 1;
	}
	done = write(fd, buf, size);
	if (done < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok %zd\n", done);
	return 0;
}
