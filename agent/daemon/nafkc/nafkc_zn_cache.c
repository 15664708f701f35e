// SPDX-License-Identifier: GPL-2.0
/*
 * The Key Centre's Zn cache, see nafkc_zn_cache.h: a hash of the keys
 * (B-TID, NAF_Id) and a list from the oldest inserted to the newest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "nafkc_zn_cache.h"
#include "util/secure_alloc.h"

struct entry {
	struct entry *older, *newer;	/* insertion order */
	struct entry *chain;		/* the bucket's next */
	uint64_t hash;
	int64_t expires;
	bool gba_u;
	uint8_t key[GBA_KEY_LEN];	/* Ks_(ext)_NAF: secret */
	size_t naf_id_len;
	uint8_t naf_id[ZN_NAF_ID_MAX];
	char btid[STORE_BTID_MAX + 1];
	char *uss;			/* the USS text, "" for none */
};

struct nafkc_zn_cache {
	struct entry **buckets;
	size_t mask;			/* buckets - 1, a power of two less 1 */
	struct entry *oldest, *newest;
	uint64_t seed;			/* so that no one lines up the chains */
	struct nafkc_zn_cache_stats stats;
};

/* FNV-1a from a random start, over the B-TID, a 0 and the NAF_Id. */
static uint64_t hash_of(const struct nafkc_zn_cache *c, const char *btid,
			const uint8_t *naf_id, size_t naf_id_len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ c->seed;
	size_t i, len = strlen(btid) + 1;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)btid[i]) * 0x100000001b3ULL;
	for (i = 0; i < naf_id_len; i++)
		h = (h ^ naf_id[i]) * 0x100000001b3ULL;
	return h;
}

int nafkc_zn_cache_new(struct nafkc_zn_cache **out, size_t max)
{
	struct nafkc_zn_cache *c;
	size_t n = 1;

	*out = NULL;
	if (!max)
		return 0;
	while (n < max)
		n <<= 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->buckets = calloc(n, sizeof(*c->buckets));
	if (!c->buckets ||
	    RAND_bytes((unsigned char *)&c->seed, sizeof(c->seed)) != 1) {
		free(c->buckets);
		free(c);
		return -ENOMEM;
	}
	c->mask = n - 1;
	c->stats.max = max;
	*out = c;
	return 0;
}

static void entry_free(struct entry *e)
{
	secure_free(e->uss);	/* wiped */
	secure_free(e);		/* wiped, the key with it */
}

/* Takes e out of its bucket and the list, and wipes it. */
static void drop(struct nafkc_zn_cache *c, struct entry *e)
{
	struct entry **p = &c->buckets[e->hash & c->mask];

	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->stats.entries--;
	entry_free(e);
}

void nafkc_zn_cache_free(struct nafkc_zn_cache *c)
{
	if (!c)
		return;
	while (c->oldest)
		drop(c, c->oldest);
	free(c->buckets);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

static struct entry *find(const struct nafkc_zn_cache *c, const char *btid,
			  const uint8_t *naf_id, size_t naf_id_len,
			  uint64_t hash)
{
	struct entry *e;

	for (e = c->buckets[hash & c->mask]; e; e = e->chain) {
		if (e->hash == hash && e->naf_id_len == naf_id_len &&
		    !memcmp(e->naf_id, naf_id, naf_id_len) &&
		    !strcmp(e->btid, btid))
			return e;
	}
	return NULL;
}

int nafkc_zn_cache_get(struct nafkc_zn_cache *c, const char *btid,
		       const uint8_t *naf_id, size_t naf_id_len, bool gba_u,
		       int64_t now, struct zn_key_response *zn)
{
	struct entry *e;

	if (!c)
		return -ENOENT;
	e = find(c, btid, naf_id, naf_id_len,
		 hash_of(c, btid, naf_id, naf_id_len));
	if (e && e->expires <= now) {
		c->stats.expired++;
		drop(c, e);
		e = NULL;
	}
	if (!e || (gba_u && !e->gba_u)) {
		c->stats.misses++;
		return -ENOENT;
	}
	c->stats.hits++;
	memset(zn, 0, sizeof(*zn));
	strcpy(zn->btid, e->btid);
	memcpy(zn->ks_ext_naf, e->key, sizeof(zn->ks_ext_naf));
	zn->gba_u = e->gba_u;
	zn->expires = e->expires;
	strcpy(zn->uss, e->uss);
	return 0;
}

/* Room for one more: the oldest goes when the cache is full. */
static void make_room(struct nafkc_zn_cache *c)
{
	if (c->stats.entries < c->stats.max || !c->oldest)
		return;
	c->stats.evictions++;
	drop(c, c->oldest);
}

int nafkc_zn_cache_put(struct nafkc_zn_cache *c, const uint8_t *naf_id,
		       size_t naf_id_len, const struct zn_key_response *zn,
		       int64_t now)
{
	uint64_t hash;
	struct entry *e;

	if (!c)
		return 0;
	if (naf_id_len > sizeof(e->naf_id) || strlen(zn->uss) >= STORE_USS_MAX)
		return -EINVAL;
	if (zn->expires <= now)
		return -ESTALE;
	hash = hash_of(c, zn->btid, naf_id, naf_id_len);
	e = find(c, zn->btid, naf_id, naf_id_len, hash);
	if (e)
		drop(c, e);	/* the newer answer replaces it */
	make_room(c);
	e = secure_calloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->uss = secure_calloc(strlen(zn->uss) + 1);
	if (!e->uss) {
		secure_free(e);
		return -ENOMEM;
	}
	strcpy(e->uss, zn->uss);
	strcpy(e->btid, zn->btid);
	memcpy(e->naf_id, naf_id, naf_id_len);
	e->naf_id_len = naf_id_len;
	memcpy(e->key, zn->ks_ext_naf, sizeof(e->key));
	e->gba_u = zn->gba_u;
	e->expires = zn->expires;
	e->hash = hash;
	e->chain = c->buckets[hash & c->mask];
	c->buckets[hash & c->mask] = e;
	e->older = c->newest;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	c->stats.entries++;
	return 0;
}

size_t nafkc_zn_cache_expire(struct nafkc_zn_cache *c, int64_t now)
{
	struct entry *e, *next;
	size_t n = 0;

	if (!c)
		return 0;
	for (e = c->oldest; e; e = next) {
		next = e->newer;
		if (e->expires <= now) {
			drop(c, e);
			n++;
		}
	}
	c->stats.expired += n;
	return n;
}

void nafkc_zn_cache_stats(const struct nafkc_zn_cache *c,
			  struct nafkc_zn_cache_stats *stats)
{
	if (!c) {
		memset(stats, 0, sizeof(*stats));
		return;
	}
	*stats = c->stats;
}
