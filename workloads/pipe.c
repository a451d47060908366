// SPDX-License-Identifier: GPL-2.0
/*
 * pipe — two processes ping-pong one byte over two pipes, lmbench lat_ctx
 * style: every hand-off is a process switch, address space included.
 *
 * Side A is this process and drives the windows; side B is a child it forks.
 * At a gate side A has just read the child's n-th reply, so the child is
 * parked in read() waiting for the next byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

struct pipes {
	int to_b[2];	/* A writes [1], B reads [0] */
	int to_a[2];	/* B writes [1], A reads [0] */
};

/* 1 on a byte, 0 on EOF (the other side is gone). Dies on errors. */
static int read_byte(int fd)
{
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r == 1)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			wl_die("pipe read failed (%s); run again, or report it", strerror(errno));
	}
}

static void write_byte(int fd)
{
	char c = 'x';

	while (write(fd, &c, 1) != 1)
		if (errno != EINTR)
			wl_die("pipe write failed (%s); run again, or report it", strerror(errno));
}

/* The child: answer every byte until side A closes its end. */
static void side_b(struct pipes *p)
{
	close(p->to_b[1]);
	close(p->to_a[0]);
	while (read_byte(p->to_b[0]))
		write_byte(p->to_a[1]);
	_exit(0);
}

static int side_a(void *arg, long n)
{
	struct pipes *p = arg;

	for (long i = 0; i < n; i++) {
		write_byte(p->to_b[1]);
		if (!read_byte(p->to_a[0]))
			wl_die("the child process exited early; run again, or check dmesg for an OOM kill");
	}
	return 0;
}

static int body(struct wl_run *run)
{
	struct pipes p;
	pid_t pids[2];
	int status, failed;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	if (pipe(p.to_b) || pipe(p.to_a))
		wl_die("cannot create pipes (%s); close some files or raise ulimit -n", strerror(errno));
	fflush(NULL);
	pids[0] = getpid();
	pids[1] = fork();
	if (pids[1] < 0)
		wl_die("cannot fork the second process (%s); check ulimit -u and free memory",
		       strerror(errno));
	if (pids[1] == 0) {
		wl_close_protocol_fds(run);
		if (wl_pin_self(wl_cpu(run, 1)))
			wl_die("cannot pin the child to CPU %d; pick another with -C", wl_cpu(run, 1));
		side_b(&p);
	}
	close(p.to_b[0]);
	close(p.to_a[1]);
	wl_report_tids(run, pids, 2);

	failed = wl_measure(run, side_a, &p);
	close(p.to_b[1]);	/* EOF tells the child to leave */
	close(p.to_a[0]);
	if (waitpid(pids[1], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		wl_die("the child process failed; run again, or check dmesg");
	return failed;
}

static const struct wl_spec spec = {
	.name = "pipe",
	.switch_def = "one byte handed to the other process through a pipe (a process switch, "
		      "address space included, as lmbench lat_ctx)",
	.details = "Two processes, two pipes: A writes a byte, B reads it and writes one back.\n"
		   "Side A is this process, side B a child it forks; tids= reports both pids.\n"
		   "-C 0,1 puts them on two CPUs.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 2,
	.default_iterations = 10000,
	.default_warmup = 1000,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
