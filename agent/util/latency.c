// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "latency.h"

double latency_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double latency_cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Nearest rank in sorted v: the smallest value with at least a fraction q
 * of them at or below it.
 */
static double percentile(const double *v, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);

	return v[rank ? rank - 1 : 0];
}

void latency_report(const char *name, const char *rate, double *ms, size_t n,
		    double wall_s)
{
	if (!n)
		return;
	qsort(ms, n, sizeof(*ms), cmp_double);
	if (rate)
		printf("%s.%s=%.0f\n", name, rate, (double)n / wall_s);
	printf("%s.count=%zu\n%s.wall_s=%.3f\n", name, n, name, wall_s);
	printf("%s.p50_ms=%.3f\n", name, percentile(ms, n, 0.50));
	printf("%s.p99_ms=%.3f\n", name, percentile(ms, n, 0.99));
	printf("%s.max_ms=%.3f\n", name, ms[n - 1]);
	fflush(stdout);
}
