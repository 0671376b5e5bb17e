// SPDX-License-Identifier: GPL-2.0
/*
 * rcq: fills the request cache's slots in lab 1's page, sends commands to
 * /sys/kernel/debug/reqcache/ctl and reads the answers, one step at a time,
 * for the grader and for you. Each step prints one line.
 *
 *   slot N ID LEN TTL REPLY DATA   write request slot N: its id, data length,
 *                                  time to live (ms, 0: never), reply slot
 *                                  and data (DATA's first LEN bytes, at most
 *                                  32; "-" for none). Numbers are unsigned
 *                                  32-bit, any value: the page is untrusted.
 *   cmd WORDS...                   write "WORDS" (up to the next step name
 *                                  or the end, use "--" to stop earlier) to
 *                                  ctl: prints "ok" or the errno's name
 *   reply R                        print reply slot R: id, status, hits, len
 *                                  and data
 *   clear R                        zero reply slot R
 *   list                           print ctl's list of records
 *   cycle N SLOT                   N times "add SLOT" then "drop SLOT":
 *                                  prints "ok", or the first error
 *
 * Example: rcq slot 3 77 5 0 3 hello cmd add 3 reply 3
 */
/* strerrorname_np() (kdlab_user.h) is a GNU extension */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kdlab_user.h>

#include "reqcache.h"

#define CTL "/sys/kernel/debug/reqcache/ctl"

static void print_usage(void)
{
	fprintf(stderr, "usage: rcq STEP... (see the comment in rcq.c)\n");
	exit(2);
}

/* An unsigned 32-bit number, any value. */
static __u32 number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end || v > 0xffffffffULL)
		print_usage();
	return (__u32)v;
}

static int is_step(const char *s)
{
	static const char *const steps[] = { "slot", "cmd", "reply", "clear",
					     "list", "cycle", NULL };
	int i;

	for (i = 0; steps[i]; i++)
		if (!strcmp(s, steps[i]))
			return 1;
	return 0;
}

static struct rc_area *map_area(void)
{
	static struct rc_area *area;
	void *page;
	int fd;

	if (area)
		return area;
	fd = open(UMH_SHM_DEV, O_RDWR);
	if (fd == -1) {
		perror("open " UMH_SHM_DEV);
		exit(1);
	}
	page = mmap(NULL, UMH_SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (page == MAP_FAILED) {
		perror("mmap " UMH_SHM_DEV);
		exit(1);
	}
	close(fd);
	area = (struct rc_area *)((char *)page + RC_AREA_OFF);
	return area;
}

static __u32 slot_index(const char *s)
{
	__u32 n = number(s);

	if (n >= RC_SLOTS)
		print_usage();
	return n;
}

static void put_slot(char **arg)
{
	struct rc_slot *s = &map_area()->slot[slot_index(arg[0])];
	const char *data = strcmp(arg[5], "-") ? arg[5] : "";
	size_t n = strlen(data);

	memset(s, 0, sizeof(*s));
	s->id = number(arg[1]);
	s->len = number(arg[2]);
	s->ttl_ms = number(arg[3]);
	s->reply = number(arg[4]);
	memcpy(s->data, data, n < RC_DATA_MAX ? n : RC_DATA_MAX);
	printf("slot %s ok\n", arg[0]);
}

/* Writes one command to ctl: 0, or the errno. */
static int send(const char *text)
{
	int fd = open(CTL, O_WRONLY), err = 0;

	if (fd == -1)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

static void add_drop(const char *times, const char *slot)
{
	__u32 n = number(times), i;
	char add[32], drop[32];
	int err = 0;

	snprintf(add, sizeof(add), "add %u", slot_index(slot));
	snprintf(drop, sizeof(drop), "drop %u", slot_index(slot));
	for (i = 0; i < n && !err; i++) {
		err = send(add);
		if (!err)
			err = send(drop);
	}
	printf("cycle %s %s: %s\n", times, slot, errno_name(err));
}

static void command(const char *text)
{
	printf("cmd %s: %s\n", text, errno_name(send(text)));
}

static void show_reply(const char *arg)
{
	const struct rc_reply *r = &map_area()->reply[slot_index(arg)];
	__u32 len = r->len < RC_DATA_MAX ? r->len : RC_DATA_MAX;

	printf("reply %s id=%u status=%s hits=%u len=%u data=%.*s\n", arg,
	       r->id, r->status <= 0 ? errno_name(-r->status) : "positive",
	       r->hits, r->len, (int)len, r->data);
}

static void show_list(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open(CTL, O_RDONLY);

	if (fd == -1) {
		printf("list: open %s\n", errno_name(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0)
		printf("list: read %s\n", errno_name(errno));
	close(fd);
	printf("list end\n");
}

int main(int argc, char **argv)
{
	int i = 1, j;
	char text[64];

	if (argc < 2)
		print_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (i < argc) {
		const char *step = argv[i++];

		if (!strcmp(step, "slot")) {
			if (i + 6 > argc)
				print_usage();
			put_slot(&argv[i]);
			i += 6;
		} else if (!strcmp(step, "cmd")) {
			text[0] = '\0';
			for (j = i; j < argc && !is_step(argv[j]); j++) {
				if (!strcmp(argv[j], "--")) {
					j++;
					break;
				}
				if (strlen(text) + strlen(argv[j]) + 2 > sizeof(text))
					print_usage();
				if (text[0])
					strcat(text, " ");
				strcat(text, argv[j]);
			}
			command(text);
			i = j;
		} else if (!strcmp(step, "reply") || !strcmp(step, "clear")) {
			if (i >= argc)
				print_usage();
			if (step[0] == 'r')
				show_reply(argv[i]);
			else
				memset(&map_area()->reply[slot_index(argv[i])], 0,
				       sizeof(struct rc_reply));
			i++;
		} else if (!strcmp(step, "list")) {
			show_list();
		} else if (!strcmp(step, "cycle")) {
			if (i + 2 > argc)
				print_usage();
			add_drop(argv[i], argv[i + 1]);
			i += 2;
		} else {
			print_usage();
		}
	}
	return 0;
}
