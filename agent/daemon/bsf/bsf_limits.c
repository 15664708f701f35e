// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's limits on unauthenticated Ub requests, see bsf_limits.h: two
 * tables of the same shape, a hash of the keys and a list from the least
 * to the most recently used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bsf_limits.h"
#include "store/store.h"

_Static_assert(BSF_LIMITS_RAND_LEN == AKA_RAND_LEN, "a window keeps a RAND");

#define KEY_MAX		STORE_IMPI_MAX	/* an IMPI; an address is shorter */
#define MILLI		1000u

struct limit_entry {
	char key[KEY_MAX + 1];
	uint64_t at_ms;			/* last refill, or the window's start */
	uint64_t milli_tokens;		/* a source's bucket */
	uint8_t rand[BSF_LIMITS_RAND_LEN];	/* an IMPI's window's challenge */
	bool challenged;			/* rand is set */
	struct limit_entry *chain;	/* in its hash bucket */
	struct limit_entry *older, *newer;
};

struct limit_table {
	struct limit_entry **buckets;
	size_t n_buckets;		/* a power of two */
	size_t count, max;
	struct limit_entry *oldest, *newest;
};

struct bsf_limits {
	struct bsf_limits_conf conf;
	struct limit_table sources, impis;
};

/* ---- a table ------------------------------------------------------------ */

static size_t hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	while (*key) {
		h ^= (unsigned char)*key++;
		h *= 0x100000001b3ull;
	}
	return (size_t)h;
}

static int table_init(struct limit_table *t, size_t max)
{
	size_t n = 64;

	while (n < max / 2 && n < (1u << 20))
		n <<= 1;
	t->buckets = calloc(n, sizeof(*t->buckets));
	t->n_buckets = n;
	t->max = max;
	return t->buckets ? 0 : -ENOMEM;
}

static struct limit_entry **slot_of(struct limit_table *t, const char *key)
{
	struct limit_entry **slot = &t->buckets[hash(key) & (t->n_buckets - 1)];

	while (*slot && strcmp((*slot)->key, key))
		slot = &(*slot)->chain;
	return slot;
}

static void unlink_lru(struct limit_table *t, struct limit_entry *e)
{
	if (e->older)
		e->older->newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		t->newest = e->older;
	e->older = e->newer = NULL;
}

static void link_newest(struct limit_table *t, struct limit_entry *e)
{
	e->older = t->newest;
	e->newer = NULL;
	if (t->newest)
		t->newest->newer = e;
	else
		t->oldest = e;
	t->newest = e;
}

static void table_drop(struct limit_table *t, struct limit_entry *e)
{
	struct limit_entry **slot = slot_of(t, e->key);

	*slot = e->chain;
	unlink_lru(t, e);
	t->count--;
	free(e);
}

static void table_free(struct limit_table *t)
{
	while (t->oldest)
		table_drop(t, t->oldest);
	free(t->buckets);
}

static struct limit_entry *table_find(struct limit_table *t, const char *key)
{
	struct limit_entry *e = *slot_of(t, key);

	if (e) {
		unlink_lru(t, e);
		link_newest(t, e);
	}
	return e;
}

/* A new entry for key (not in t); NULL without memory. */
static struct limit_entry *table_add(struct limit_table *t, const char *key)
{
	struct limit_entry *e;

	if (strlen(key) > KEY_MAX)
		return NULL;
	if (t->count == t->max)
		table_drop(t, t->oldest);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	strcpy(e->key, key);
	*slot_of(t, key) = e;
	link_newest(t, e);
	t->count++;
	return e;
}

/* ---- the limits -------------------------------------------------------- */

static uint64_t refilled(const struct bsf_limits *l,
			 const struct limit_entry *e, uint64_t now_ms)
{
	uint64_t full = (uint64_t)l->conf.burst * MILLI;
	uint64_t elapsed = now_ms > e->at_ms ? now_ms - e->at_ms : 0;
	uint64_t tokens = e->milli_tokens + elapsed * l->conf.rate;

	return tokens < full ? tokens : full;
}

/* What limits nothing any more goes, oldest first. */
static void purge(struct bsf_limits *l, uint64_t now_ms)
{
	struct limit_entry *e;

	while ((e = l->sources.oldest) &&
	       refilled(l, e, now_ms) == (uint64_t)l->conf.burst * MILLI)
		table_drop(&l->sources, e);
	while ((e = l->impis.oldest) && now_ms - e->at_ms >= l->conf.window_ms)
		table_drop(&l->impis, e);
}

int bsf_limits_new(struct bsf_limits **out, const struct bsf_limits_conf *conf)
{
	struct bsf_limits *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->conf = *conf;
	if (!l->conf.rate)
		l->conf.rate = 1;
	if (!l->conf.burst)
		l->conf.burst = 1;
	if (!l->conf.max)
		l->conf.max = 1;
	if (table_init(&l->sources, l->conf.max) ||
	    table_init(&l->impis, l->conf.max)) {
		bsf_limits_free(l);
		return -ENOMEM;
	}
	*out = l;
	return 0;
}

void bsf_limits_configure(struct bsf_limits *l,
			  const struct bsf_limits_conf *conf)
{
	l->conf.rate = conf->rate ? conf->rate : 1;
	l->conf.burst = conf->burst ? conf->burst : 1;
	l->conf.window_ms = conf->window_ms;
}

void bsf_limits_free(struct bsf_limits *l)
{
	if (!l)
		return;
	table_free(&l->sources);
	table_free(&l->impis);
	free(l);
}

bool bsf_limits_source(struct bsf_limits *l, const char *source,
		       uint64_t now_ms)
{
	struct limit_entry *e;
	uint64_t tokens;

	purge(l, now_ms);
	e = table_find(&l->sources, source);
	if (!e) {
		e = table_add(&l->sources, source);
		if (!e)
			return true;	/* no room to remember: let it go */
		e->milli_tokens = (uint64_t)l->conf.burst * MILLI;
		e->at_ms = now_ms;
	}
	tokens = refilled(l, e, now_ms);
	e->at_ms = now_ms;
	if (tokens < MILLI) {
		e->milli_tokens = tokens;
		return false;
	}
	e->milli_tokens = tokens - MILLI;
	return true;
}

uint64_t bsf_limits_impi(struct bsf_limits *l, const char *impi,
			 uint64_t now_ms)
{
	struct limit_entry *e;

	purge(l, now_ms);
	e = table_find(&l->impis, impi);
	if (e && now_ms - e->at_ms < l->conf.window_ms)
		return l->conf.window_ms - (now_ms - e->at_ms);
	if (!e)
		e = table_add(&l->impis, impi);
	if (e) {
		e->at_ms = now_ms;
		e->challenged = false;	/* a new window, no challenge yet */
	}
	return 0;
}

void bsf_limits_impi_challenged(struct bsf_limits *l, const char *impi,
				const uint8_t rand[BSF_LIMITS_RAND_LEN])
{
	struct limit_entry *e = *slot_of(&l->impis, impi);

	if (e) {
		memcpy(e->rand, rand, sizeof(e->rand));
		e->challenged = true;
	}
}

bool bsf_limits_impi_rand(struct bsf_limits *l, const char *impi,
			  uint8_t rand[BSF_LIMITS_RAND_LEN])
{
	struct limit_entry *e = *slot_of(&l->impis, impi);

	if (!e || !e->challenged)
		return false;
	memcpy(rand, e->rand, BSF_LIMITS_RAND_LEN);
	return true;
}

void bsf_limits_impi_done(struct bsf_limits *l, const char *impi)
{
	struct limit_entry *e = *slot_of(&l->impis, impi);

	if (e)
		table_drop(&l->impis, e);
}

size_t bsf_limits_sources(const struct bsf_limits *l)
{
	return l->sources.count;
}

size_t bsf_limits_impis(const struct bsf_limits *l)
{
	return l->impis.count;
}
