/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benches' latency figures: a sample of per-request times in
 * milliseconds, reported as name=value lines (Documentation/testing.md,
 * "make bench").
 */
#ifndef E2M_UTIL_LATENCY_H
#define E2M_UTIL_LATENCY_H

#include <stddef.h>

/* Seconds on the monotonic clock: the benches' wall times and samples. */
double latency_now(void);

/* CPU seconds this process has used, user and system, all its threads. */
double latency_cpu_seconds(void);

/*
 * Sorts ms[0..n) and prints NAME.RATE (n per wall second; not when rate is
 * NULL), NAME.count, NAME.wall_s and NAME.p50_ms, p99_ms, max_ms (nearest
 * rank). Prints nothing for an empty sample.
 */
void latency_report(const char *name, const char *rate, double *ms, size_t n,
		    double wall_s);

#endif
