// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's challenge table, see bsf_challenges.h: a list from the oldest
 * to the newest (their lifetimes are equal, so that is also the order in
 * which they expire) and a hash of the nonces for the lookups.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bsf_challenges.h"
#include "hex.h"

#define BUCKETS		4096		/* a power of two */
#define OPAQUE_OCTETS	(BSF_OPAQUE_LEN / 2)

struct bsf_challenges {
	size_t max;
	uint64_t lifetime_ms;
	size_t count;
	size_t pending;
	struct bsf_challenge *oldest, *newest;
	struct bsf_challenge *buckets[BUCKETS];
};

/* FNV-1a: the nonces are random, an even spread needs nothing stronger. */
static size_t bucket_of(const char *nonce)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *nonce; nonce++) {
		h ^= (uint8_t)*nonce;
		h *= 0x100000001b3ull;
	}
	return (size_t)(h & (BUCKETS - 1));
}

int bsf_challenges_new(struct bsf_challenges **out, size_t max,
		       uint64_t lifetime_ms)
{
	struct bsf_challenges *table = calloc(1, sizeof(*table));

	*out = table;
	if (!table)
		return -ENOMEM;
	table->max = max;
	table->lifetime_ms = lifetime_ms;
	return 0;
}

static void wipe_secrets(struct bsf_challenge *c)
{
	OPENSSL_cleanse(c->xres, sizeof(c->xres));
	OPENSSL_cleanse(c->ck, sizeof(c->ck));
	OPENSSL_cleanse(c->ik, sizeof(c->ik));
	if (c->uss) {
		OPENSSL_cleanse(c->uss, strlen(c->uss));
		free(c->uss);
		c->uss = NULL;
	}
}

static void unchain(struct bsf_challenges *table, struct bsf_challenge *c)
{
	struct bsf_challenge **link = &table->buckets[bucket_of(c->nonce)];

	while (*link && *link != c)
		link = &(*link)->chain;
	if (*link)
		*link = c->chain;
}

static void drop(struct bsf_challenges *table, struct bsf_challenge *c)
{
	unchain(table, c);
	if (c->older)
		c->older->newer = c->newer;
	else
		table->oldest = c->newer;
	if (c->newer)
		c->newer->older = c->older;
	else
		table->newest = c->older;
	table->count--;
	if (!c->spent)
		table->pending--;
	wipe_secrets(c);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

void bsf_challenges_free(struct bsf_challenges *table)
{
	if (!table)
		return;
	while (table->oldest)
		drop(table, table->oldest);
	free(table);
}

size_t bsf_challenges_expire(struct bsf_challenges *table, uint64_t now_ms)
{
	size_t n = 0;

	while (table->oldest && table->oldest->expires_ms <= now_ms) {
		drop(table, table->oldest);
		n++;
	}
	return n;
}

/* Room for one more: expired ones out, then the oldest spent one. */
static int make_room(struct bsf_challenges *table, uint64_t now_ms)
{
	struct bsf_challenge *c;

	bsf_challenges_expire(table, now_ms);
	if (table->count < table->max)
		return 0;
	for (c = table->oldest; c && !c->spent; c = c->newer)
		;
	if (!c)
		return -ENOSPC;
	drop(table, c);
	return 0;
}

static struct bsf_challenge *lookup(const struct bsf_challenges *table,
				    const char *nonce)
{
	struct bsf_challenge *c = table->buckets[bucket_of(nonce)];

	while (c && strcmp(c->nonce, nonce))
		c = c->chain;
	return c;
}

static int fill(struct bsf_challenge *c, const struct zh_av_response *av,
		const char *uss)
{
	uint8_t opaque[OPAQUE_OCTETS];

	if (digest_aka_nonce_encode(c->nonce, av->rand, av->autn) ||
	    RAND_bytes(opaque, sizeof(opaque)) != 1)
		return -EIO;
	hex_encode(c->opaque, opaque, sizeof(opaque));
	strcpy(c->impi, av->impi);	/* fits: the same bound */
	memcpy(c->rand, av->rand, sizeof(c->rand));
	memcpy(c->xres, av->xres, sizeof(c->xres));
	memcpy(c->ck, av->ck, sizeof(c->ck));
	memcpy(c->ik, av->ik, sizeof(c->ik));
	c->gba_u = av->gba_u;
	c->uss = strdup(uss);
	return c->uss ? 0 : -ENOMEM;
}

static void link_newest(struct bsf_challenges *table, struct bsf_challenge *c)
{
	size_t b = bucket_of(c->nonce);

	c->chain = table->buckets[b];
	table->buckets[b] = c;
	c->older = table->newest;
	if (table->newest)
		table->newest->newer = c;
	else
		table->oldest = c;
	table->newest = c;
	table->count++;
	table->pending++;
}

int bsf_challenge_add(struct bsf_challenges *table,
		      const struct zh_av_response *av, const char *uss,
		      uint64_t now_ms, struct bsf_challenge **out)
{
	struct bsf_challenge *c;
	int ret;

	*out = NULL;
	ret = make_room(table, now_ms);
	if (ret)
		return ret;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = fill(c, av, uss);
	if (!ret && lookup(table, c->nonce))
		ret = -EEXIST;
	if (ret) {
		wipe_secrets(c);
		OPENSSL_cleanse(c, sizeof(*c));
		free(c);
		return ret;
	}
	c->expires_ms = now_ms + table->lifetime_ms;
	link_newest(table, c);
	*out = c;
	return 0;
}

struct bsf_challenge *bsf_challenge_find(struct bsf_challenges *table,
					 const char *nonce, uint64_t now_ms)
{
	struct bsf_challenge *c = lookup(table, nonce);

	if (c && c->expires_ms <= now_ms) {
		drop(table, c);
		return NULL;
	}
	return c;
}

void bsf_challenge_spend(struct bsf_challenges *table,
			 struct bsf_challenge *c)
{
	if (c->spent)
		return;
	wipe_secrets(c);
	c->spent = true;
	table->pending--;
}

size_t bsf_challenges_count(const struct bsf_challenges *table)
{
	return table->count;
}

size_t bsf_challenges_pending(const struct bsf_challenges *table)
{
	return table->pending;
}
