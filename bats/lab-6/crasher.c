// SPDX-License-Identifier: GPL-2.0
/*
 * crasher WORD READY GO
 *
 * Maps lab 1's page read-write, puts WORD in the request's payload through
 * its own mapping, prints its ground truth ("truth task PID COMM" and
 * "truth user ADDR"), creates the file READY, waits (at most 30 s) for the
 * file GO, then crashes
 * the kernel from its own system call: a write of "c" to
 * /proc/sysrq-trigger panics in this task's context. The grader copies it
 * under a random name first, so its comm changes from run to run.
 * The grader's own program (bats/lab-6/): the submission never builds it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <umh_shm.h>

int main(int argc, char **argv)
{
	struct umh_shm_req *req;
	char comm[17] = "";
	struct stat st;
	int fd, ms;

	if (argc != 4 || strlen(argv[1]) >= UMH_SHM_PAYLOAD_LEN) {
		fprintf(stderr, "usage: crasher WORD READY GO\n");
		return 2;
	}
	fd = open(UMH_SHM_DEV, O_RDWR);
	if (fd < 0) {
		perror(UMH_SHM_DEV);
		return 1;
	}
	req = mmap(NULL, UMH_SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (req == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* The whole field, so that no byte of the module's payload is left. */
	memset(req->payload, 0, sizeof(req->payload));
	memcpy(req->payload, argv[1], strlen(argv[1]));
	prctl(PR_GET_NAME, comm);
	printf("truth task %d %s\n", getpid(), comm);
	printf("truth user %#lx\n", (unsigned long)req);
	fflush(stdout);
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	close(fd);
	for (ms = 0; ms < 30000 && stat(argv[3], &st) != 0; ms += 10)
		usleep(10000);
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd < 0 || write(fd, "c", 1) != 1)
		perror("/proc/sysrq-trigger");
	return 1;
}
