/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest programs of the labs and of the graders share (user
 * space; the kernel's side of the page is umh_shm.h). Include it after
 * defining _GNU_SOURCE: errno names come from glibc's strerrorname_np().
 */
#ifndef KDLAB_USER_H
#define KDLAB_USER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* "ok" for 0, "EINVAL" for EINVAL, "errno N" for a number glibc cannot name. */
static inline const char *errno_name(int err)
{
	static char other[32];
	const char *name;

	if (!err)
		return "ok";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/* PROT_* from letters of "rwx", or "none"; anything else ends PROG. */
static inline int parse_prot(const char *prog, const char *s)
{
	int prot = PROT_NONE;

	if (strcmp(s, "none") == 0)
		return prot;
	if (s[strspn(s, "rwx")] != '\0') {
		fprintf(stderr, "%s: bad protection '%s'\n", prog, s);
		exit(2);
	}
	if (strchr(s, 'r'))
		prot |= PROT_READ;
	if (strchr(s, 'w'))
		prot |= PROT_WRITE;
	if (strchr(s, 'x'))
		prot |= PROT_EXEC;
	return prot;
}

#endif /* KDLAB_USER_H */
