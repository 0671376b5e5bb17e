// SPDX-License-Identifier: GPL-2.0
/*
 * holder PAGES READY
 *
 * Takes PAGES pages of unmovable kernel memory and keeps them: one page of
 * data in each of PAGES pipes, which stay open until the guest ends.
 * Then creates the file READY and sleeps. A page that a module takes with
 * alloc_page(GFP_KERNEL) comes from the same free lists (pipe buffers are
 * not movable either, unlike a tmpfs file's pages), so it moves with
 * PAGES from run to run.
 * The grader's own program (bats/lab-6/): the submission never builds it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char page[4096];
	int pages, fds[2], fd;

	if (argc != 3) {
		fprintf(stderr, "usage: holder PAGES READY\n");
		return 2;
	}
	memset(page, 0x5a, sizeof(page));
	for (pages = atoi(argv[1]); pages > 0; pages--) {
		if (pipe(fds) != 0 || write(fds[1], page, sizeof(page)) != sizeof(page)) {
			perror("holder: pipe");
			return 1;
		}
	}
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	close(fd);
	for (;;)
		pause();
}
