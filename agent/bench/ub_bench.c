// SPDX-License-Identifier: GPL-2.0
/*
 * Full GBA bootstraps per second over Ub: e2m's UE (ue/bootstrap.h) with
 * the USIMs of a UE store against a running BSF (and its HSS), each
 * bootstrap the whole exchange (GET, 401 with a vector fetched over Zh
 * with mutual TLS, USIM, GET with RES, 200, rspauth, the session stored
 * on both sides). One bootstrap at a time per USIM, all USIMs at once on
 * one event loop, until COUNT are done.
 *
 *	ub_bench URL STORE KEY-FILE COUNT ICCID...
 *
 * One line: "ub: N bootstraps in S s: R bootstraps/s (U USIMs at once)".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ue/bootstrap.h"

struct runner {
	struct usim *usim;
	struct ue_bootstrap *b;
};

static struct event_base *base;
static struct store *store;
static struct config_url url;
static unsigned long started, done, count;
static int failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void start_one(struct runner *r);

static void finished(const struct ue_bootstrap_result *result, void *arg)
{
	struct runner *r = arg;

	if (result->error && !failed) {
		fprintf(stderr, "ub_bench: %s\n", result->why);
		failed = 1;
	}
	done++;
	/* start_one() frees r->b first, which done may do (bootstrap.h). */
	if (!failed && started < count)
		start_one(r);
	else if (done == started)
		event_base_loopbreak(base);
}

static void start_one(struct runner *r)
{
	struct ue_bootstrap_conf conf = {
		.base = base, .store = store, .usim = r->usim, .bsf = &url,
	};

	ue_bootstrap_free(r->b);
	r->b = NULL;
	started++;
	if (ue_bootstrap_start(&r->b, &conf, finished, r)) {
		fprintf(stderr, "ub_bench: cannot start a bootstrap\n");
		failed = 1;
		done++;
	}
}

int main(int argc, char *argv[])
{
	struct runner *runners;
	struct store_key key;
	char why[512];
	double start, elapsed;
	int i, n;

	if (argc < 6 || config_parse_http_url(argv[1], &url)) {
		fprintf(stderr, "usage: ub_bench http://HOST:PORT STORE KEY-FILE COUNT ICCID...\n");
		return 2;
	}
	count = strtoul(argv[4], NULL, 10);
	n = argc - 5;
	if (store_key_from_file(&key, argv[3], why, sizeof(why)) ||
	    store_open(&store, argv[2], &key, why, sizeof(why))) {
		fprintf(stderr, "ub_bench: %s\n", why);
		return 1;
	}
	store_key_wipe(&key);
	base = event_base_new();
	runners = calloc((size_t)n, sizeof(*runners));
	for (i = 0; base && runners && i < n; i++) {
		if (usim_open(&runners[i].usim, store, argv[5 + i])) {
			fprintf(stderr, "ub_bench: no USIM %s\n", argv[5 + i]);
			return 1;
		}
	}
	if (!base || !runners)
		return 1;
	start = now();
	for (i = 0; i < n && started < count; i++)
		start_one(&runners[i]);
	event_base_dispatch(base);
	elapsed = now() - start;
	for (i = 0; i < n; i++) {
		ue_bootstrap_free(runners[i].b);
		usim_close(runners[i].usim);
	}
	free(runners);
	event_base_free(base);
	store_close(store);
	if (failed)
		return 1;
	printf("ub: %lu bootstraps in %.2f s: %.0f bootstraps/s (%d USIMs at once)\n",
	       done, elapsed, (double)done / elapsed, n);
	free(url.text);
	free(url.host);
	return 0;
}
