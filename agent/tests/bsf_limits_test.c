// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/bsf/bsf_limits.c: a source's token bucket (burst, then rate), an
 * IMPI's window (one Zh call each, the wait until the next, ended by a
 * bootstrap), the RAND of a window's challenge kept with it (whose
 * session ends the window at another process), no window at 0, the bound
 * of each table. Time is driven by the test.
 */
#include <errno.h>
#include <string.h>

#include "daemon/bsf/bsf_limits.h"
#include "tap.h"

static unsigned int allowed(struct bsf_limits *l, const char *source,
			    unsigned int tries, uint64_t now_ms)
{
	unsigned int n = 0;

	while (tries--)
		n += bsf_limits_source(l, source, now_ms);
	return n;
}

static void test_source(void)
{
	const struct bsf_limits_conf conf = {
		.rate = 10, .burst = 20, .window_ms = 2000, .max = 4,
	};
	struct bsf_limits *l;

	if (bsf_limits_new(&l, &conf))
		exit(2);
	ok(allowed(l, "192.0.2.1", 50, 1000) == 20,
	   "source: a burst of 20 of 50 at once");
	ok(allowed(l, "192.0.2.2", 50, 1000) == 20,
	   "source: another address its own bucket");
	ok(allowed(l, "192.0.2.1", 50, 1100) == 1 &&
	   allowed(l, "192.0.2.1", 50, 1600) == 5,
	   "source: then 10 a second (1 in 100 ms, 5 in 500 ms)");
	ok(allowed(l, "192.0.2.1", 50, 100000) == 20,
	   "source: full again after a pause, no more than the burst");
	allowed(l, "192.0.2.3", 1, 100000);
	allowed(l, "192.0.2.4", 1, 100000);
	allowed(l, "192.0.2.5", 1, 100000);
	ok(bsf_limits_sources(l) == 4,
	   "source: at most 4 kept (full buckets dropped, then the oldest)");
	bsf_limits_free(l);
}

/* The RAND of a window's challenge: kept with it, gone with a new one. */
static void test_impi_rand(struct bsf_limits *l)
{
	uint8_t rand[BSF_LIMITS_RAND_LEN], got[BSF_LIMITS_RAND_LEN];

	memset(rand, 0x5a, sizeof(rand));
	memset(got, 0, sizeof(got));
	ok(!bsf_limits_impi_rand(l, "user1@home1.net", got),
	   "impi rand: a window without a challenge made has none");
	bsf_limits_impi_challenged(l, "user1@home1.net", rand);
	bsf_limits_impi_challenged(l, "nobody@home1.net", rand);
	ok(bsf_limits_impi_rand(l, "user1@home1.net", got) &&
	   !memcmp(got, rand, sizeof(got)) &&
	   !bsf_limits_impi_rand(l, "nobody@home1.net", got) &&
	   bsf_limits_impis(l) == 2,
	   "impi rand: the window's challenge's RAND kept; an IMPI without a"
	   " window gets none (and no window)");
	ok(bsf_limits_impi(l, "user1@home1.net", 3003) == 1999 &&
	   bsf_limits_impi_rand(l, "user1@home1.net", got),
	   "impi rand: kept while the window refuses");
	bsf_limits_impi_done(l, "user1@home1.net");
	ok(bsf_limits_impi(l, "user1@home1.net", 3004) == 0 &&
	   !bsf_limits_impi_rand(l, "user1@home1.net", got),
	   "impi rand: a new window starts without one");
}

static void test_impi(void)
{
	struct bsf_limits_conf conf = {
		.rate = 10, .burst = 20, .window_ms = 2000, .max = 4,
	};
	struct bsf_limits *l;

	if (bsf_limits_new(&l, &conf))
		exit(2);
	ok(bsf_limits_impi(l, "user1@home1.net", 1000) == 0 &&
	   bsf_limits_impi(l, "user1@home1.net", 1000) == 2000 &&
	   bsf_limits_impi(l, "user1@home1.net", 2500) == 500 &&
	   bsf_limits_impi(l, "user2@home1.net", 2500) == 0,
	   "impi: one call a window, the wait till the next; each IMPI its own");
	ok(bsf_limits_impi(l, "user1@home1.net", 3000) == 0 &&
	   bsf_limits_impi(l, "user1@home1.net", 3001) == 1999,
	   "impi: the next window starts with the next call");
	bsf_limits_impi_done(l, "user1@home1.net");
	ok(bsf_limits_impi(l, "user1@home1.net", 3002) == 0,
	   "impi: a bootstrap ends the window");
	test_impi_rand(l);
	ok(bsf_limits_impis(l) == 2 && bsf_limits_impi(l, "u3@x", 9000) == 0 &&
	   bsf_limits_impis(l) == 1,
	   "impi: windows over are dropped");
	conf.window_ms = 0;
	bsf_limits_configure(l, &conf);
	ok(bsf_limits_impi(l, "u3@x", 9000) == 0 &&
	   bsf_limits_impi(l, "u3@x", 9000) == 0,
	   "impi: window 0, no limit (a reload)");
	bsf_limits_free(l);
	bsf_limits_free(NULL);
}

int main(void)
{
	test_source();
	test_impi();
	return done_testing();
}
