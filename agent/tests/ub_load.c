// SPDX-License-Identifier: GPL-2.0
/*
 * The UEs of bsf_test.sh's kill -9 run: bootstraps over Ub until COUNT
 * were answered 200, whatever the BSF (or its HSS) does meanwhile. Every
 * USIM given runs one bootstrap at a time, all of them at once on one
 * event loop (ue/bootstrap.h, as e2mctl bootstrap does one), so that the
 * BSF's group commit has several sessions in a group when a kill lands.
 * A bootstrap that fails (the daemon killed under it, refused while it
 * starts again) is tried again 20 ms later; it is not counted.
 *
 *	ub_load URL[,URL...] STORE KEY-FILE COUNT OUT ICCID...
 *
 * With several URLs (BSF instances sharing a store: tests/pg_test.sh's
 * mixed load), each bootstrap goes to the next one in turn, a retry too:
 * one instance killed, the UEs go on at the others, as behind a load
 * balancer.
 * Each B-TID answered is appended to OUT as it comes (one line, flushed:
 * the suite watches the count grow to time its kills). At the end one
 * line, "ok=N failed=F resynced=R": R bootstraps sent an AUTS, which a
 * USIM does only for a SQN it has seen before or one behind it (an SQN
 * handed out twice). Exits 0 once COUNT are answered, 1 if it gave up
 * (MAX_SECONDS without reaching COUNT) or could not start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "ue/bootstrap.h"

#define RETRY_MS	20
#define MAX_SECONDS	300
#define URLS_MAX	8

struct runner {
	struct usim *usim;
	struct ue_bootstrap *b;
};

static struct event_base *base;
static struct store *store;
static struct config_url urls[URLS_MAX];
static unsigned int n_urls, next_url;
static FILE *out;
static unsigned long count, ok, failed, resynced;

static void start_one(struct runner *r);

static void retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	start_one(arg);
}

static void finished(const struct ue_bootstrap_result *result, void *arg)
{
	struct runner *r = arg;
	const struct timeval pause = { 0, RETRY_MS * 1000 };

	if (result->resynced)
		resynced++;
	if (result->error) {
		failed++;
		if (event_base_once(base, -1, EV_TIMEOUT, retry, r, &pause))
			event_base_loopbreak(base);
		return;
	}
	fprintf(out, "%s\n", result->btid);
	fflush(out);
	if (++ok >= count)
		event_base_loopbreak(base);
	else
		start_one(r);
}

static void start_one(struct runner *r)
{
	struct ue_bootstrap_conf conf = {
		.base = base, .store = store, .usim = r->usim,
		.bsf = &urls[next_url++ % n_urls],
	};

	/* Its last run is over (done was called): free it first. */
	ue_bootstrap_free(r->b);
	r->b = NULL;
	if (ue_bootstrap_start(&r->b, &conf, finished, r)) {
		fprintf(stderr, "ub_load: cannot start a bootstrap\n");
		event_base_loopbreak(base);
	}
}

static void give_up(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	fprintf(stderr, "ub_load: %lu of %lu answered in %d s\n", ok, count,
		MAX_SECONDS);
	event_base_loopbreak(base);
}

static int run(struct runner *runners, int n)
{
	const struct timeval limit = { MAX_SECONDS, 0 };
	int i;

	if (event_base_once(base, -1, EV_TIMEOUT, give_up, NULL, &limit))
		return 1;
	for (i = 0; i < n; i++)
		start_one(&runners[i]);
	event_base_dispatch(base);
	return ok < count;
}

/* The comma-separated URLs of list; 0 or -1. */
static int parse_urls(char *list)
{
	char *save = NULL, *one;

	for (one = strtok_r(list, ",", &save); one;
	     one = strtok_r(NULL, ",", &save)) {
		if (n_urls == URLS_MAX ||
		    config_parse_http_url(one, &urls[n_urls]))
			return -1;
		n_urls++;
	}
	return n_urls ? 0 : -1;
}

int main(int argc, char *argv[])
{
	struct runner *runners;
	struct store_key key;
	char why[512];
	int n, i, ret = 1;

	if (argc < 7 || parse_urls(argv[1]) ||
	    !(count = strtoul(argv[4], NULL, 10))) {
		fprintf(stderr, "usage: ub_load http://HOST:PORT[,...] STORE KEY-FILE COUNT OUT ICCID...\n");
		return 2;
	}
	n = argc - 6;
	if (store_key_from_file(&key, argv[3], why, sizeof(why)) ||
	    store_open(&store, argv[2], &key, why, sizeof(why))) {
		fprintf(stderr, "ub_load: %s\n", why);
		return 1;
	}
	store_key_wipe(&key);
	out = fopen(argv[5], "a");
	base = event_base_new();
	runners = calloc((size_t)n, sizeof(*runners));
	if (!out || !base || !runners)
		goto out;
	for (i = 0; i < n; i++) {
		if (usim_open(&runners[i].usim, store, argv[6 + i])) {
			fprintf(stderr, "ub_load: no USIM %s\n", argv[6 + i]);
			goto out;
		}
	}
	ret = run(runners, n);
	printf("ok=%lu failed=%lu resynced=%lu\n", ok, failed, resynced);
out:
	for (i = 0; runners && i < n; i++) {
		ue_bootstrap_free(runners[i].b);
		usim_close(runners[i].usim);
	}
	free(runners);
	if (out)
		fclose(out);
	if (base)
		event_base_free(base);
	store_close(store);
	for (i = 0; i < (int)n_urls; i++) {
		free(urls[i].text);
		free(urls[i].host);
	}
	return ret;
}
