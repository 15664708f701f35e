// SPDX-License-Identifier: GPL-2.0
/*
 * prom_text.c: the Prometheus text format 0.0.4, line by line: HELP and
 * TYPE, label values escaped, histograms cumulative up to +Inf with _sum
 * and _count.
 */
#include <math.h>

#include "daemon/metrics/prom_text.h"
#include "tap.h"

/* Passes if text holds exactly expected; shows both when not. */
static void is_text(struct prom_text *text, const char *expected,
		    const char *name)
{
	const char *got = text->buf ? text->buf : "";

	if (!ok(!prom_text_failed(text) && !strcmp(got, expected), "%s", name))
		printf("# got:\n%s# wanted:\n%s", got, expected);
	prom_text_free(text);
	prom_text_init(text);
}

static void test_family(struct prom_text *text)
{
	prom_family(text, "e2m_x_total", "counter", "Things.");
	prom_sample_u64(text, "e2m_x_total", NULL, 0, 0);
	prom_sample_u64(text, "e2m_x_total", NULL, 0, 18446744073709551615u);
	is_text(text,
		"# HELP e2m_x_total Things.\n"
		"# TYPE e2m_x_total counter\n"
		"e2m_x_total 0\n"
		"e2m_x_total 18446744073709551615\n",
		"a family: HELP, TYPE, unlabelled samples up to 2^64-1");

	prom_family(text, "e2m_y", "gauge", "A \\ back\nslash and \"quotes\".");
	is_text(text,
		"# HELP e2m_y A \\\\ back\\nslash and \"quotes\".\n"
		"# TYPE e2m_y gauge\n",
		"HELP escapes backslash and newline, not quotes");
}

static void test_labels(struct prom_text *text)
{
	const struct prom_label two[] = {
		{ "role", "bsf" }, { "interface", "ub" },
	};
	const struct prom_label nasty[] = {
		{ "reason", "a\"b\\c\nd} e=\"f\"" },
	};
	const struct prom_label empty[] = { { "device", "" } };

	prom_sample_u64(text, "m", two, 2, 3);
	is_text(text, "m{role=\"bsf\",interface=\"ub\"} 3\n",
		"labels in order, comma separated, quoted");
	prom_sample_u64(text, "m", nasty, 1, 1);
	is_text(text, "m{reason=\"a\\\"b\\\\c\\nd} e=\\\"f\\\"\"} 1\n",
		"a label value escapes \", \\ and newline: it cannot end the value or the line");
	prom_sample_u64(text, "m", empty, 1, 7);
	is_text(text, "m{device=\"\"} 7\n", "an empty label value");
}

static void test_doubles(struct prom_text *text)
{
	prom_sample_double(text, "d", NULL, 0, 0.25);
	prom_sample_double(text, "d", NULL, 0, 1764892800.5);
	prom_sample_double(text, "d", NULL, 0, 0.1);
	prom_sample_double(text, "d", NULL, 0, INFINITY);
	prom_sample_double(text, "d", NULL, 0, -INFINITY);
	prom_sample_double(text, "d", NULL, 0, NAN);
	is_text(text, "d 0.25\nd 1764892800.5\nd 0.1\nd +Inf\nd -Inf\nd NaN\n",
		"doubles: short decimals, +Inf, -Inf, NaN");
}

static void test_histogram(struct prom_text *text)
{
	static const double bounds[] = { 0.005, 0.1, 1 };
	/* 2 at most 5 ms, none to 100 ms, 3 to 1 s, 1 above */
	static const uint64_t counts[] = { 2, 0, 3, 1 };
	const struct prom_histogram h = {
		.bounds = bounds, .n_bounds = 3, .counts = counts, .sum = 4.75,
	};
	const struct prom_label labels[] = {
		{ "role", "hss" }, { "interface", "zh" },
	};
	static const uint64_t none[] = { 0, 0 };
	const struct prom_histogram empty = {
		.bounds = bounds, .n_bounds = 1, .counts = none, .sum = 0,
	};

	prom_family(text, "lat_seconds", "histogram", "Latency.");
	prom_histogram(text, "lat_seconds", labels, 2, &h);
	is_text(text,
		"# HELP lat_seconds Latency.\n"
		"# TYPE lat_seconds histogram\n"
		"lat_seconds_bucket{role=\"hss\",interface=\"zh\",le=\"0.005\"} 2\n"
		"lat_seconds_bucket{role=\"hss\",interface=\"zh\",le=\"0.1\"} 2\n"
		"lat_seconds_bucket{role=\"hss\",interface=\"zh\",le=\"1\"} 5\n"
		"lat_seconds_bucket{role=\"hss\",interface=\"zh\",le=\"+Inf\"} 6\n"
		"lat_seconds_sum{role=\"hss\",interface=\"zh\"} 4.75\n"
		"lat_seconds_count{role=\"hss\",interface=\"zh\"} 6\n",
		"a histogram: cumulative buckets, +Inf last and equal to _count, _sum");
	prom_histogram(text, "h", NULL, 0, &empty);
	is_text(text,
		"h_bucket{le=\"0.005\"} 0\nh_bucket{le=\"+Inf\"} 0\n"
		"h_sum 0\nh_count 0\n",
		"an empty histogram without labels: le alone");
}

static void test_growth(struct prom_text *text)
{
	char name[32];
	size_t i;
	bool all = true;

	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "series_%zu", i);
		prom_sample_u64(text, name, NULL, 0, i);
	}
	for (i = 0; i < 2000 && all; i += 499) {
		char line[64];

		snprintf(line, sizeof(line), "series_%zu %zu\n", i, i);
		all = strstr(text->buf, line) != NULL;
	}
	ok(!prom_text_failed(text) && all && text->len == strlen(text->buf),
	   "the buffer grows past its first chunk and stays one string");
	prom_text_free(text);
}

int main(void)
{
	struct prom_text text;

	plan(9);
	prom_text_init(&text);
	test_family(&text);
	test_labels(&text);
	test_doubles(&text);
	test_histogram(&text);
	test_growth(&text);
	return done_testing();
}
