// SPDX-License-Identifier: GPL-2.0
/*
 * latency.c: the benches' report lines, exactly (nearest-rank percentiles,
 * the sample sorted, nothing for an empty one).
 */
#include <stdio.h>
#include <unistd.h>

#include "util/latency.h"
#include "tap.h"

/* What latency_report() prints, into out. */
static void captured(char *out, size_t size, const char *name,
		     const char *rate, double *ms, size_t n, double wall_s)
{
	FILE *f = tmpfile();
	int saved = dup(STDOUT_FILENO);
	size_t len = 0;

	fflush(stdout);
	if (f && saved >= 0 && dup2(fileno(f), STDOUT_FILENO) >= 0) {
		latency_report(name, rate, ms, n, wall_s);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		rewind(f);
		len = fread(out, 1, size - 1, f);
	}
	out[len] = '\0';
	if (saved >= 0)
		close(saved);
	if (f)
		fclose(f);
}

int main(void)
{
	double five[] = { 5.0, 1.0, 3.0, 2.0, 4.0 };
	double hundred[100];
	char out[512];
	size_t i;

	plan(4);
	captured(out, sizeof(out), "x", "per_s", five, 5, 1.0);
	ok(!strcmp(out, "x.per_s=5\nx.count=5\nx.wall_s=1.000\n"
		   "x.p50_ms=3.000\nx.p99_ms=5.000\nx.max_ms=5.000\n"),
	   "five in 1 s: rate, count, wall, p50 the 3rd of 5, p99 and max the 5th");
	ok(five[0] == 1.0 && five[4] == 5.0, "the sample is left sorted");
	for (i = 0; i < 100; i++)
		hundred[i] = (double)(100 - i);
	captured(out, sizeof(out), "y", NULL, hundred, 100, 4.0);
	ok(!strcmp(out, "y.count=100\ny.wall_s=4.000\ny.p50_ms=50.000\n"
		   "y.p99_ms=99.000\ny.max_ms=100.000\n"),
	   "a hundred, no rate: p50 the 50th, p99 the 99th (nearest rank)");
	captured(out, sizeof(out), "z", "per_s", hundred, 0, 1.0);
	ok(out[0] == '\0', "an empty sample prints nothing");
	return done_testing();
}
