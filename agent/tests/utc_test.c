// SPDX-License-Identifier: GPL-2.0
/*
 * util/utc.c: known dates (epoch values from Python's calendar.timegm),
 * agreement with gmtime_r() over a sweep, and the strictness of parsing.
 */
#include <errno.h>
#include <time.h>

#include "tap.h"
#include "util/utc.h"

static const struct {
	int64_t t;
	const char *text;
} known[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ 951782400, "2000-02-29T00:00:00Z" },
	{ 1714564800, "2024-05-01T12:00:00Z" },
	{ 2147483648, "2038-01-19T03:14:08Z" },
	{ 4107542400, "2100-03-01T00:00:00Z" },
	{ UTC_MAX, "9999-12-31T23:59:59Z" },
};

static void test_known(void)
{
	char text[UTC_TEXT_LEN + 1];
	size_t i;
	int64_t t;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		ok(utc_format(text, known[i].t) == 0 &&
		   !strcmp(text, known[i].text), "format %s", known[i].text);
		ok(utc_parse(known[i].text, &t) == 0 && t == known[i].t,
		   "parse %s", known[i].text);
	}
	ok(utc_format(text, -1) == -ERANGE &&
	   utc_format(text, UTC_MAX + 1) == -ERANGE,
	   "times outside 1970..9999 refused");
}

/* gmtime_r() is an independent calendar: compare every 7777 s of 1970..2200. */
static void test_sweep(void)
{
	char text[UTC_TEXT_LEN + 1], expected[UTC_TEXT_LEN + 1];
	int64_t t, back;
	size_t bad = 0, n = 0;
	struct tm tm;

	for (t = 0; t < INT64_C(7258118400); t += 7777, n++) {
		time_t tt = (time_t)t;

		gmtime_r(&tt, &tm);
		strftime(expected, sizeof(expected), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (utc_format(text, t) || strcmp(text, expected) ||
		    utc_parse(text, &back) || back != t)
			bad++;
	}
	ok(bad == 0, "%zu times agree with gmtime_r() and round-trip", n);
}

static void test_reject(void)
{
	static const char *const bad[] = {
		"", "2024-05-01T12:00:00", "2024-05-01T12:00:00z",
		"2024-05-01 12:00:00Z", "2024-05-01T12:00:00+00:00",
		"2024-05-01T12:00:00ZZ", " 2024-05-01T12:00:00Z",
		"2024-5-01T12:00:00Z", "2024-05-01T24:00:00Z",
		"2024-05-01T12:60:00Z", "2024-05-01T12:00:60Z",
		"2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
		"2024-04-31T00:00:00Z", "2024-00-10T00:00:00Z",
		"2024-13-10T00:00:00Z", "2024-05-00T00:00:00Z",
		"1969-12-31T23:59:59Z", "+024-05-01T12:00:00Z",
		"2024-05-01T12:00:00.5Z", "2024-05-01T12:0",
	};
	size_t i, refused = 0;
	int64_t t = 42;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (utc_parse(bad[i], &t) == -EINVAL)
			refused++;
		else
			printf("# accepted: %s\n", bad[i]);
	}
	ok(refused == sizeof(bad) / sizeof(bad[0]) && t == 42,
	   "%zu malformed times refused, output untouched", refused);
	ok(utc_parse("2024-02-29T23:59:59Z", &t) == 0 && t == 1709251199,
	   "29 February of a leap year");
}

static void test_xs(void)
{
	int64_t t = 42;

	ok(utc_parse_xs("2024-05-01T12:00:00.999Z", &t) == 0 &&
	   t == 1714564800, "xs: fractional seconds dropped");
	ok(utc_parse_xs("2024-05-01T12:00:00Z", &t) == 0 && t == 1714564800,
	   "xs: without a fraction");
	t = 42;
	ok(utc_parse_xs("2024-05-01T12:00:00.Z", &t) == -EINVAL &&
	   utc_parse_xs("2024-05-01T12:00:00.5", &t) == -EINVAL &&
	   utc_parse_xs("2024-05-01T12:00:00.5+01:00", &t) == -EINVAL &&
	   utc_parse_xs("2024-05-01T12:00:00.5Zx", &t) == -EINVAL && t == 42,
	   "xs: an empty fraction, no Z or an offset refused");
}

int main(void)
{
	plan(19);
	test_known();
	test_sweep();
	test_reject();
	test_xs();
	return done_testing();
}
