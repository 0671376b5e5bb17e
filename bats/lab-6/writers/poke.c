// SPDX-License-Identifier: GPL-2.0
/*
 * poke DELAY_MS OFFSET BYTE
 *
 * Lab 6, exercise 5: a user program (or, started by scribbler.ko, a
 * user-mode helper) that waits DELAY_MS and writes BYTE at OFFSET of lab
 * 1's page, through scribbler.ko's debugfs file poke. The grader's own
 * program, run under a random name; the submission never builds it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec delay;
	char line[32];
	long ms;
	int fd, len;

	if (argc != 4) {
		fprintf(stderr, "usage: poke DELAY_MS OFFSET BYTE\n");
		return 2;
	}
	ms = atol(argv[1]);
	delay.tv_sec = ms / 1000;
	delay.tv_nsec = ms % 1000 * 1000000;
	nanosleep(&delay, NULL);
	len = snprintf(line, sizeof(line), "%s %s\n", argv[2], argv[3]);
	/* Forget the offset: the write is all that is left of it. */
	memset(argv[2], 0, strlen(argv[2]));
	fd = open("/sys/kernel/debug/scribbler/poke", O_WRONLY);
	if (fd < 0 || write(fd, line, len) != len) {
		perror("poke");
		return 1;
	}
	memset(line, 0, sizeof(line));
	return 0;
}
