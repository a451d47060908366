// SPDX-License-Identifier: GPL-2.0
/*
 * threads.c — thread-heavy programs for the scale tests (a test helper, not
 * a bundled workload: no result protocol). On stdout, one key=value line at
 * the end with what it did, so a test compares what schedtrace counted with
 * what happened.
 *
 *   threads hold N SECONDS    N threads alive at once, each blocked in read()
 *                             until SECONDS have passed, then all exit:
 *                             "threads=N"
 *   threads churn RATE SECONDS  create and join threads at RATE a second
 *                             (paced, 100 per batch) for SECONDS: "created=M"
 *   threads sleep N USEC      N sleeps of USEC µs on the main thread, each a
 *                             blocking switch-out: "sleeps=N"
 * Exit 2 on a usage error, 1 when a thread cannot be made.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int gate[2];

static long strict(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < min || v > max) {
		fprintf(stderr, "threads: bad number '%s' (%ld..%ld)\n", s, min, max);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *blocked(void *arg)
{
	char c;

	(void)arg;
	while (read(gate[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static int hold(long n, long seconds)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	pthread_attr_t a;

	if (!t || pipe(gate))
		return 1;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], &a, blocked, NULL)) {
			fprintf(stderr, "threads: thread %ld of %ld: cannot create it\n", i + 1, n);
			return 1;
		}
	sleep((unsigned)seconds);
	close(gate[1]); /* every read() returns 0: all leave */
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	printf("threads=%ld\n", n);
	return 0;
}

static int churn(long rate, long seconds)
{
	double t0 = now(), end = t0 + (double)seconds;
	pthread_attr_t a;
	long made = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	while (now() < end) {
		pthread_t t[100];
		double due;

		for (int i = 0; i < 100; i++)
			if (pthread_create(&t[i], &a, nothing, NULL)) {
				fprintf(stderr, "threads: cannot create thread %ld\n", made + i + 1);
				return 1;
			}
		for (int i = 0; i < 100; i++)
			pthread_join(t[i], NULL);
		made += 100;
		due = t0 + (double)made / (double)rate; /* ahead of the rate: wait */
		if (due > now()) {
			double d = due - now();
			struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
	printf("created=%ld\nrate=%.0f\n", made, (double)made / (now() - t0));
	return 0;
}

static int sleeps(long n, long usec)
{
	struct timespec ts = { 0, usec * 1000 };

	for (long i = 0; i < n; i++)
		nanosleep(&ts, NULL);
	printf("sleeps=%ld\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(strict(argv[2], 1, 100000), strict(argv[3], 0, 3600));
	if (argc == 4 && !strcmp(argv[1], "churn"))
		return churn(strict(argv[2], 100, 1000000), strict(argv[3], 1, 3600));
	if (argc == 4 && !strcmp(argv[1], "sleep"))
		return sleeps(strict(argv[2], 1, 10000000), strict(argv[3], 1, 999999));
	fprintf(stderr, "usage: threads hold N SECONDS | churn RATE SECONDS | sleep N USEC\n");
	return 2;
}
