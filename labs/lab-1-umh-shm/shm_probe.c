// SPDX-License-Identifier: GPL-2.0
/*
 * shm_probe: pokes at /dev/umh_shm one step at a time, for the grader and
 * for you. Each step prints one line: its name and "ok", an errno name, or
 * what it read. Steps act on the last open and the last mapping.
 *
 *   open ro|rw               open the device
 *   mmap LEN OFF PROT FLAGS  PROT: letters of rwx, or none; FLAGS: shared
 *                            or private
 *   mprotect PROT            change the mapping's protection
 *   mremap LEN               resize the mapping in place or move it
 *   read                     print the request: id, payload, pl_hash
 *   dump OFF                 two 64-bit words at OFF, as gdb's x/2gx
 *   nonzero                  count the page's non-zero bytes
 *   write WORD               put WORD in the payload
 *   until WORD               wait (at most 30 s) for WORD in the payload
 *   pfn                      the mapped page's frame, from /proc/self/pagemap
 *   wait PATH                wait (at most 30 s) for PATH to exist
 *   touch PATH               create PATH: tells a waiting shell or probe
 *   munmap, close            undo the mapping, the open
 *
 * A first argument @NAME prefixes every line with "NAME: ".
 * Example: shm_probe open ro mmap 4096 0 r shared read
 */
/* mremap() is a GNU extension */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kdlab_user.h>
#include <umh_shm.h>

#define PATIENCE_MS 30000

static const char *tag = "";
static int fd = -1;
static unsigned char *map = MAP_FAILED;
static size_t map_len;

/* One line per step: "[tag: ]step result". */
static void say(const char *step, const char *result)
{
	printf("%s%s %s\n", tag, step, result);
}

static void say_errno(const char *step, int ok)
{
	say(step, ok ? "ok" : errno_name(errno));
}

static int need_map(const char *step)
{
	if (map != MAP_FAILED)
		return 1;
	say(step, "no mapping");
	return 0;
}

static void sleep_ms(int ms)
{
	usleep(ms * 1000);
}

static void step_open(const char *mode)
{
	int flags = strcmp(mode, "rw") == 0 ? O_RDWR : O_RDONLY;
	int nfd = open(UMH_SHM_DEV, flags);

	if (nfd >= 0)
		fd = nfd;
	say_errno("open", nfd >= 0);
}

static void step_mmap(const char *len, const char *off, const char *prot,
		      const char *flags)
{
	int mflags = strcmp(flags, "private") == 0 ? MAP_PRIVATE : MAP_SHARED;
	size_t n = strtoul(len, NULL, 0);
	void *p = mmap(NULL, n, parse_prot("shm_probe", prot), mflags, fd,
		       strtol(off, NULL, 0));

	if (p != MAP_FAILED) {
		map = p;
		map_len = n;
	}
	say_errno("mmap", p != MAP_FAILED);
}

static void step_read(void)
{
	const struct umh_shm_req *req = (const void *)map;

	if (!need_map("read"))
		return;
	printf("%sread %u %.*s %.*s\n", tag, req->id,
	       (int)sizeof(req->payload), req->payload,
	       (int)sizeof(req->pl_hash), req->pl_hash);
}

static void step_dump(const char *off)
{
	uint64_t w[2];

	if (!need_map("dump"))
		return;
	memcpy(w, map + strtoul(off, NULL, 0), sizeof(w));
	printf("%sdump 0x%016llx 0x%016llx\n", tag,
	       (unsigned long long)w[0], (unsigned long long)w[1]);
}

static void step_nonzero(void)
{
	int i, n = 0;

	if (!need_map("nonzero"))
		return;
	for (i = 0; i < UMH_SHM_LEN; i++)
		n += map[i] != 0;
	printf("%snonzero %d\n", tag, n);
}

static void step_write(const char *word)
{
	struct umh_shm_req *req = (void *)map;
	size_t len;

	if (!need_map("write"))
		return;
	/* Leave the field's last byte alone: the payload stays a string. */
	len = strnlen(word, sizeof(req->payload) - 1);
	memcpy(req->payload, word, len);
	req->payload[len] = '\0';
	say("write", "ok");
}

static void step_until(const char *word)
{
	const struct umh_shm_req *req = (const void *)map;
	int ms;

	if (!need_map("until"))
		return;
	for (ms = 0; ms < PATIENCE_MS; ms += 10) {
		if (strncmp(req->payload, word, sizeof(req->payload)) == 0) {
			say("until", "ok");
			return;
		}
		sleep_ms(10);
	}
	say("until", "timeout");
}

/* /proc/self/pagemap: one 64-bit entry per page, the frame in bits 0-54. */
static void step_pfn(void)
{
	uint64_t entry;
	off_t at;
	int pm;

	if (!need_map("pfn"))
		return;
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0) {
		say_errno("pfn", 0);
		return;
	}
	at = (uintptr_t)map / sysconf(_SC_PAGESIZE) * sizeof(entry);
	if (pread(pm, &entry, sizeof(entry), at) != sizeof(entry)) {
		say_errno("pfn", 0);
	} else if (!(entry >> 63 & 1)) {
		say("pfn", "not present");
	} else {
		printf("%spfn 0x%llx\n", tag,
		       (unsigned long long)(entry & ((1ULL << 55) - 1)));
	}
	close(pm);
}

static void step_wait(const char *path)
{
	struct stat st;
	int ms;

	for (ms = 0; ms < PATIENCE_MS; ms += 10) {
		if (stat(path, &st) == 0) {
			say("wait", "ok");
			return;
		}
		sleep_ms(10);
	}
	say("wait", "timeout");
}

static void step_touch(const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT, 0644);

	say_errno("touch", f >= 0);
	if (f >= 0)
		close(f);
}

static void step_mremap(const char *len)
{
	size_t n = strtoul(len, NULL, 0);
	void *p;

	if (!need_map("mremap"))
		return;
	p = mremap(map, map_len, n, MREMAP_MAYMOVE);
	if (p != MAP_FAILED) {
		map = p;
		map_len = n;
	}
	say_errno("mremap", p != MAP_FAILED);
}

static void step_mprotect(const char *prot)
{
	if (!need_map("mprotect"))
		return;
	say_errno("mprotect", mprotect(map, map_len, parse_prot("shm_probe", prot)) == 0);
}

static void step_munmap(void)
{
	if (!need_map("munmap"))
		return;
	say_errno("munmap", munmap(map, map_len) == 0);
	map = MAP_FAILED;
}

static void bad_command_line(void)
{
	fprintf(stderr, "usage: shm_probe [@NAME] STEP [ARGS] ... (see shm_probe.c)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;

	/* Several probes may share the output: whole lines only. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i < argc && argv[i][0] == '@') {
		static char prefix[64];

		snprintf(prefix, sizeof(prefix), "%s: ", argv[i] + 1);
		tag = prefix;
		i++;
	}

	while (i < argc) {
		const char *step = argv[i++];
		/* How many arguments each step takes. */
		int nargs = strcmp(step, "open") == 0 ? 1 :
			    strcmp(step, "mmap") == 0 ? 4 :
			    strcmp(step, "mprotect") == 0 ? 1 :
			    strcmp(step, "mremap") == 0 ? 1 :
			    strcmp(step, "dump") == 0 ? 1 :
			    strcmp(step, "write") == 0 ? 1 :
			    strcmp(step, "until") == 0 ? 1 :
			    strcmp(step, "wait") == 0 ? 1 :
			    strcmp(step, "touch") == 0 ? 1 : 0;
		char **a = argv + i;

		if (argc - i < nargs)
			bad_command_line();
		i += nargs;

		if (strcmp(step, "open") == 0)
			step_open(a[0]);
		else if (strcmp(step, "mmap") == 0)
			step_mmap(a[0], a[1], a[2], a[3]);
		else if (strcmp(step, "mprotect") == 0)
			step_mprotect(a[0]);
		else if (strcmp(step, "mremap") == 0)
			step_mremap(a[0]);
		else if (strcmp(step, "read") == 0)
			step_read();
		else if (strcmp(step, "dump") == 0)
			step_dump(a[0]);
		else if (strcmp(step, "nonzero") == 0)
			step_nonzero();
		else if (strcmp(step, "write") == 0)
			step_write(a[0]);
		else if (strcmp(step, "until") == 0)
			step_until(a[0]);
		else if (strcmp(step, "pfn") == 0)
			step_pfn();
		else if (strcmp(step, "wait") == 0)
			step_wait(a[0]);
		else if (strcmp(step, "touch") == 0)
			step_touch(a[0]);
		else if (strcmp(step, "munmap") == 0)
			step_munmap();
		else if (strcmp(step, "close") == 0)
			say_errno("close", close(fd) == 0);
		else
			bad_command_line();
	}
	return 0;
}
