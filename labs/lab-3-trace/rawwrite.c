// SPDX-License-Identifier: GPL-2.0
/*
 * rawwrite FILE DATA: writes DATA to FILE in one write(2), which the shell
 * cannot promise (and it cannot write zero bytes or a NUL at all). DATA
 * may hold \n, \\ and \xHH escapes. Prints "ok N" or the errno's name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in += 2;
		} else if (in[0] == '\\' && in[1] == '\\') {
			out[n++] = '\\';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = { in[2], in[3], '\0' };

			out[n++] = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	char *data;
	size_t len;
	ssize_t done;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: rawwrite FILE DATA\n");
		return 2;
	}
	data = malloc(strlen(argv[2]) + 1);
	if (!data)
		return 2;
	len = unescape(argv[2], data);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 1;
	}
	done = write(fd, data, len);
	if (done < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok %zd\n", done);
	return 0;
}
