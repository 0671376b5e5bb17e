// SPDX-License-Identifier: GPL-2.0
/*
 * mapper PATH ro|rw PROT shared|private ADDR LEN [touch READY wait DONE]
 *
 * Opens PATH and maps LEN bytes of it at ADDR exactly (MAP_FIXED_NOREPLACE),
 * so that the grader knows the area's start whether or not the driver then
 * accepts it. PROT: letters of rwx, or none. Prints "mmap ok" or
 * "mmap ERRNO", then, for a mapping that exists, its /proc/self/maps line
 * as "maps LINE". With READY and DONE, creates READY once mapped and waits
 * (at most 30 s) for DONE before exiting, so that the guest can look at
 * the process meanwhile.
 * The grader's own program (bats/lab-4/): the submission never builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kdlab_user.h>

static void print_maps_line(unsigned long addr)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strtoul(line, NULL, 16) == addr)
			printf("maps %s", line);
	fclose(f);
}

static void wait_for(const char *path)
{
	struct stat st;
	int ms;

	for (ms = 0; ms < 30000 && stat(path, &st) != 0; ms += 10)
		usleep(10000);
}

int main(int argc, char **argv)
{
	unsigned long addr;
	size_t len;
	int fd, flags;
	void *p;

	if (argc != 7 && !(argc == 11 && strcmp(argv[7], "touch") == 0 &&
			   strcmp(argv[9], "wait") == 0)) {
		fprintf(stderr, "usage: mapper PATH ro|rw PROT shared|private ADDR LEN [touch READY wait DONE]\n");
		return 2;
	}
	fd = open(argv[1], strcmp(argv[2], "rw") == 0 ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		printf("open %s\n", strerrorname_np(errno));
		return 1;
	}
	flags = strcmp(argv[4], "private") == 0 ? MAP_PRIVATE : MAP_SHARED;
	addr = strtoul(argv[5], NULL, 0);
	len = strtoul(argv[6], NULL, 0);
	p = mmap((void *)addr, len, parse_prot("mapper", argv[3]),
		 flags | MAP_FIXED_NOREPLACE, fd, 0);
	printf("mmap %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "ok");
	if (p != MAP_FAILED)
		print_maps_line(addr);
	fflush(stdout);
	if (argc == 11) {
		close(open(argv[8], O_WRONLY | O_CREAT, 0644));
		wait_for(argv[10]);
	}
	return 0;
}
