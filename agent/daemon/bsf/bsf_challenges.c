// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's challenge table, see bsf_challenges.h: a challenge_table of
 * struct bsf_challenge, keyed by the nonce.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aka/decoy.h"
#include "bsf_challenges.h"
#include "util/hex.h"
#include "util/secure_alloc.h"

#define OPAQUE_OCTETS	(BSF_OPAQUE_LEN / 2)
#define IMPI_BUCKETS	4096
#define DECOY_SECRET_LEN 32


struct bsf_challenges {
	struct challenge_table *table;
	struct challenge_table *decoys_table;	/* apart: see the .h */
	uint8_t *decoy_secret;	/* DECOY_SECRET_LEN, secure_alloc.h */
	uint64_t decoys;		/* made so far: each one's number */
	struct bsf_challenge *by_impi[IMPI_BUCKETS];
};

/* ---- the IMPI index ------------------------------------------------------ */

static struct bsf_challenge **impi_slot(struct bsf_challenges *t,
					const char *impi)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	const char *p;
	struct bsf_challenge **slot;

	for (p = impi; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	slot = &t->by_impi[h % IMPI_BUCKETS];
	while (*slot && strcmp((*slot)->impi, impi))
		slot = &(*slot)->impi_next;
	return slot;
}

static void impi_unindex(struct bsf_challenge *c)
{
	struct bsf_challenge **slot;

	if (!c->indexed)
		return;
	slot = impi_slot(c->owner, c->impi);
	if (*slot == c)
		*slot = c->impi_next;
	c->impi_next = NULL;
	c->indexed = false;
}

/* c, just added, is its IMPI's newest pending challenge. */
static void impi_index(struct bsf_challenges *t, struct bsf_challenge *c)
{
	struct bsf_challenge **slot = impi_slot(t, c->impi);

	if (*slot) {
		struct bsf_challenge *older = *slot;

		c->impi_next = older->impi_next;
		older->impi_next = NULL;
		older->indexed = false;
	}
	*slot = c;
	c->indexed = true;
}

static struct bsf_challenge *of(struct challenge_entry *e)
{
	return (struct bsf_challenge *)((char *)e -
					offsetof(struct bsf_challenge, entry));
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

/* Spent or dropped: no longer one to hand out again. */
static void entry_wipe(struct challenge_entry *e)
{
	impi_unindex(of(e));
	wipe_secrets(of(e));
}

static void entry_release(struct challenge_entry *e)
{
	struct bsf_challenge *c = of(e);

	secure_free(c);		/* wiped */
}

static const struct challenge_table_ops ops = {
	.wipe = entry_wipe,
	.release = entry_release,
};

int bsf_challenges_new(struct bsf_challenges **out, size_t max,
		       size_t decoys_max, uint64_t lifetime_ms)
{
	struct bsf_challenges *t = calloc(1, sizeof(*t));

	*out = t;
	if (!t)
		return -ENOMEM;
	t->decoy_secret = secure_calloc(DECOY_SECRET_LEN);
	if (!t->decoy_secret ||
	    RAND_bytes(t->decoy_secret, DECOY_SECRET_LEN) != 1 ||
	    challenge_table_new(&t->table, max, lifetime_ms, &ops) ||
	    challenge_table_new(&t->decoys_table, decoys_max, lifetime_ms,
				&ops)) {
		challenge_table_free(t->table);
		secure_free(t->decoy_secret);
		free(t);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

void bsf_challenges_free(struct bsf_challenges *t)
{
	if (!t)
		return;
	challenge_table_free(t->table);
	challenge_table_free(t->decoys_table);
	secure_free(t->decoy_secret);	/* wiped */
	free(t);
}

size_t bsf_challenges_expire(struct bsf_challenges *t, uint64_t now_ms)
{
	return challenge_table_expire(t->table, now_ms) +
	       challenge_table_expire(t->decoys_table, now_ms);
}

static int fill(struct bsf_challenge *c, const struct zh_av_response *av,
		const char *uss)
{
	uint8_t opaque[OPAQUE_OCTETS];

	if (digest_aka_nonce_encode(c->nonce, av->rand, av->autn) ||
	    RAND_bytes(opaque, sizeof(opaque)) != 1)
		return -EIO;
	strcpy(c->entry.key, c->nonce);		/* fits: 44 < 64 */
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

/*
 * A decoy goes into the decoys' table; full of pending ones, that table
 * forgets its oldest decoy (nothing a UE needs: no answer to it verifies)
 * rather than refusing, so that a decoy is never answered 503 where a
 * real challenge would not be.
 */
static int table_add(struct bsf_challenges *t, struct bsf_challenge *c,
		     uint64_t now_ms)
{
	if (c->decoy)
		return challenge_table_add_forgetting(t->decoys_table,
						      &c->entry, now_ms);
	return challenge_table_add(t->table, &c->entry, now_ms);
}

static int add(struct bsf_challenges *t, const struct zh_av_response *av,
	       const char *uss, bool decoy, uint64_t now_ms,
	       struct bsf_challenge **out)
{
	struct bsf_challenge *c;
	int ret;

	*out = NULL;
	/* XRES, CK and IK wait here: in memory no core dump shows. */
	c = secure_calloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->owner = t;
	c->decoy = decoy;
	ret = fill(c, av, uss);
	if (!ret)
		ret = table_add(t, c, now_ms);
	if (ret) {
		entry_wipe(&c->entry);
		entry_release(&c->entry);
		return ret;
	}
	impi_index(t, c);
	*out = c;
	return 0;
}

int bsf_challenge_add(struct bsf_challenges *t,
		      const struct zh_av_response *av, const char *uss,
		      uint64_t now_ms, struct bsf_challenge **out)
{
	return add(t, av, uss, false, now_ms, out);
}

/* RAND || AUTN of a decoy (aka/decoy.h), this table's number the next. */
static int decoy_vector(struct bsf_challenges *t, const char *impi,
			const uint8_t amf[AKA_AMF_LEN], uint64_t now_ms,
			struct zh_av_response *av)
{
	if (strlen(impi) > STORE_IMPI_MAX)
		return -EINVAL;
	memset(av, 0, sizeof(*av));
	strcpy(av->impi, impi);
	return aka_decoy_vector(t->decoy_secret, DECOY_SECRET_LEN, impi,
				now_ms, t->decoys++, amf, av->rand, av->autn);
}

int bsf_challenge_add_decoy(struct bsf_challenges *t, const char *impi,
			    const uint8_t amf[AKA_AMF_LEN], uint64_t now_ms,
			    struct bsf_challenge **out)
{
	struct zh_av_response av;
	int ret;

	*out = NULL;
	ret = decoy_vector(t, impi, amf, now_ms, &av);
	if (!ret)
		ret = add(t, &av, "", true, now_ms, out);
	OPENSSL_cleanse(&av, sizeof(av));
	return ret;
}

struct bsf_challenge *bsf_challenge_pending_for(struct bsf_challenges *t,
						const char *impi,
						uint64_t now_ms,
						uint64_t min_left_ms)
{
	struct bsf_challenge *c;

	if (strlen(impi) > STORE_IMPI_MAX)
		return NULL;
	c = *impi_slot(t, impi);
	if (!c || c->entry.spent || c->entry.expires_ms < now_ms + min_left_ms)
		return NULL;
	/* Still in the table (an expired one is dropped, and unindexed). */
	return bsf_challenge_find(t, c->nonce, now_ms) == c ? c : NULL;
}

struct bsf_challenge *bsf_challenge_find(struct bsf_challenges *t,
					 const char *nonce, uint64_t now_ms)
{
	struct challenge_entry *e, *d;

	if (strlen(nonce) > CHALLENGE_KEY_MAX)
		return NULL;
	/* Both looked in, whichever holds it: the same work for each. */
	e = challenge_table_find(t->table, nonce, now_ms);
	d = challenge_table_find(t->decoys_table, nonce, now_ms);
	return e ? of(e) : d ? of(d) : NULL;
}

void bsf_challenge_spend(struct bsf_challenges *t, struct bsf_challenge *c)
{
	challenge_table_spend(c->decoy ? t->decoys_table : t->table,
			      &c->entry);
}

size_t bsf_challenges_count(const struct bsf_challenges *t)
{
	return challenge_table_count(t->table);
}

size_t bsf_challenges_pending(const struct bsf_challenges *t)
{
	return challenge_table_pending(t->table);
}

size_t bsf_challenges_decoys(const struct bsf_challenges *t)
{
	return challenge_table_count(t->decoys_table);
}
