// SPDX-License-Identifier: GPL-2.0
/*
 * Full GBA bootstraps per second over Ub: e2m's UE (ue/bootstrap.h) with
 * the USIMs of a UE store against a running BSF (and its HSS), each
 * bootstrap the whole exchange (GET, 401 with a vector fetched over Zh
 * with mutual TLS, USIM, GET with RES, 200, rspauth, the session stored
 * on both sides). One bootstrap at a time per USIM, all USIMs at once,
 * until COUNT are done: the USIMs dealt out over THREADS worker threads
 * (default 1), each with an event loop and a store handle of its own, so
 * that the load generator is not what one core can do. One bootstrap a
 * USIM first, not timed: the BSF's Zh connections to the HSS are set up
 * (as in a BSF that has been serving) before the clock starts.
 *
 *	ub_bench [-t THREADS] URL STORE KEY-FILE COUNT ICCID...
 *
 * One line: "ub: N bootstraps in S s: R bootstraps/s (U USIMs at once,
 * T threads, bench CPU C s = P % of one core)": the bench's own CPU time
 * (user and system, all threads), so a reader sees whether the bench or
 * the daemons were the limit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ue/bootstrap.h"
#include "util/latency.h"

#define THREADS_MAX	64

struct worker;

struct runner {
	struct worker *w;
	struct usim *usim;
	struct ue_bootstrap *b;
};

/* One thread: its loop, its store handle, its share of the USIMs. */
struct worker {
	pthread_t thread;
	struct event_base *base;
	struct store *store;
	struct runner *runners;
	int n;
	unsigned long started, done, count;
	int failed;
};

static struct config_url url;
static const char *store_path;
static struct store_key key;

static void start_one(struct runner *r);

static void finished(const struct ue_bootstrap_result *result, void *arg)
{
	struct runner *r = arg;
	struct worker *w = r->w;

	if (result->error && !w->failed) {
		fprintf(stderr, "ub_bench: %s\n", result->why);
		w->failed = 1;
	}
	w->done++;
	/* start_one() frees r->b first, which done may do (bootstrap.h). */
	if (!w->failed && w->started < w->count)
		start_one(r);
	else if (w->done == w->started)
		event_base_loopbreak(w->base);
}

static void start_one(struct runner *r)
{
	struct worker *w = r->w;
	struct ue_bootstrap_conf conf = {
		.base = w->base, .store = w->store, .usim = r->usim,
		.bsf = &url,
	};

	ue_bootstrap_free(r->b);
	r->b = NULL;
	w->started++;
	if (ue_bootstrap_start(&r->b, &conf, finished, r)) {
		fprintf(stderr, "ub_bench: cannot start a bootstrap\n");
		w->failed = 1;
		w->done++;
	}
}

/* Opens the worker's store and USIMs; 0 or 1. */
static int worker_open(struct worker *w, char **iccids)
{
	char why[512];
	int i;

	if (store_open(&w->store, store_path, &key, why, sizeof(why))) {
		fprintf(stderr, "ub_bench: %s\n", why);
		return 1;
	}
	w->base = event_base_new();
	if (!w->base)
		return 1;
	for (i = 0; i < w->n; i++) {
		w->runners[i].w = w;
		if (usim_open(&w->runners[i].usim, w->store, iccids[i])) {
			fprintf(stderr, "ub_bench: no USIM %s\n", iccids[i]);
			return 1;
		}
	}
	return 0;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < w->n && w->started < w->count; i++)
		start_one(&w->runners[i]);
	if (w->started)
		event_base_dispatch(w->base);
	return NULL;
}

static void worker_close(struct worker *w)
{
	int i;

	for (i = 0; w->runners && i < w->n; i++) {
		ue_bootstrap_free(w->runners[i].b);
		usim_close(w->runners[i].usim);
	}
	if (w->base)
		event_base_free(w->base);
	store_close(w->store);
}

/*
 * Every worker's share of count bootstraps (0: one a USIM), all threads
 * at once; 0 or 1. *done (may be NULL): how many were done.
 */
static int run_workers(struct worker *workers, int threads,
		       unsigned long count, unsigned long *done)
{
	int i, failed = 0;

	for (i = 0; i < threads; i++) {
		struct worker *w = &workers[i];

		w->count = !count ? (unsigned long)w->n :
			   count / (unsigned long)threads +
			   ((unsigned long)i < count % (unsigned long)threads);
		w->started = w->done = 0;
		if (pthread_create(&w->thread, NULL, worker_run, w))
			return 1;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(workers[i].thread, NULL);
		if (done)
			*done += workers[i].done;
		failed |= workers[i].failed;
	}
	return failed;
}

int main(int argc, char *argv[])
{
	struct worker workers[THREADS_MAX] = { 0 };
	struct runner *runners;
	unsigned long count, done = 0;
	double start, elapsed, cpu;
	char why[512];
	int threads = 1, failed = 0, i, n, first = 0;

	if (argc > 2 && !strcmp(argv[1], "-t")) {
		threads = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 6 || threads < 1 || threads > THREADS_MAX ||
	    config_parse_http_url(argv[1], &url)) {
		fprintf(stderr, "usage: ub_bench [-t THREADS] http://HOST:PORT STORE KEY-FILE COUNT ICCID...\n");
		return 2;
	}
	store_path = argv[2];
	count = strtoul(argv[4], NULL, 10);
	n = argc - 5;
	if (threads > n)
		threads = n;
	if (store_key_from_file(&key, argv[3], why, sizeof(why))) {
		fprintf(stderr, "ub_bench: %s\n", why);
		return 1;
	}
	runners = calloc((size_t)n, sizeof(*runners));
	if (!runners)
		return 1;
	/* USIMs and bootstraps dealt out evenly. */
	for (i = 0; i < threads; i++) {
		struct worker *w = &workers[i];

		w->n = n / threads + (i < n % threads);
		w->runners = runners + first;
		if (worker_open(w, argv + 5 + first))
			return 1;
		first += w->n;
	}
	store_key_wipe(&key);
	/* Not timed: one bootstrap a USIM, the connections set up. */
	failed = run_workers(workers, threads, 0, NULL);
	cpu = latency_cpu_seconds();
	start = latency_now();
	if (!failed)
		failed = run_workers(workers, threads, count, &done);
	elapsed = latency_now() - start;
	cpu = latency_cpu_seconds() - cpu;
	for (i = 0; i < threads; i++)
		worker_close(&workers[i]);
	free(runners);
	if (failed)
		return 1;
	printf("ub: %lu bootstraps in %.2f s: %.0f bootstraps/s (%d USIMs at once, %d threads, bench CPU %.2f s = %.0f %% of one core)\n",
	       done, elapsed, (double)done / elapsed, n, threads, cpu,
	       100 * cpu / elapsed);
	free(url.text);
	free(url.host);
	return 0;
}
