// SPDX-License-Identifier: GPL-2.0
/*
 * holder PAGES READY
 *
 * Takes PAGES pages of unmovable kernel memory and keeps them: up to 16
 * pages of data in each pipe (a pipe's default size), the pipes open until
 * the guest ends (4,000 pages take 500 descriptors: under the limit of 1,024).
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
	int pages, fds[2], fd, in_pipe = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: holder PAGES READY\n");
		return 2;
	}
	memset(page, 0x5a, sizeof(page));
	for (pages = atoi(argv[1]); pages > 0; pages--) {
		if (in_pipe == 0 && pipe(fds) != 0) {
			perror("holder: pipe");
			return 1;
		}
		if (write(fds[1], page, sizeof(page)) != sizeof(page)) {
			perror("holder: write");
			return 1;
		}
		in_pipe = (in_pipe + 1) % 16;
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
