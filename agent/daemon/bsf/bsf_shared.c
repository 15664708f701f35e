// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's challenges in a shared store, see bsf_shared.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "bsf_shared.h"
#include "util/secure_alloc.h"

#define XRES_AT	0
#define CK_AT	AKA_RES_LEN
#define IK_AT	(AKA_RES_LEN + AKA_CK_LEN)

bool bsf_shared(const struct bsf *bsf)
{
	return store_shared(bsf->daemon->store) ||
	       bsf->daemon->config->workers.count > 1;
}

/* The wall clock in ms: every instance reads the expiry. */
static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int bsf_shared_put(struct bsf *bsf, const struct bsf_challenge *c)
{
	struct store_challenge *s = secure_calloc(sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	strcpy(s->pub.nonce, c->nonce);		/* 44 < 64 */
	strcpy(s->pub.opaque, c->opaque);	/* 32 < 64 */
	strcpy(s->pub.impi, c->impi);
	memcpy(s->pub.rand, c->rand, sizeof(s->pub.rand));
	s->pub.flags = (c->gba_u ? STORE_CHALLENGE_GBA_U : 0) |
		       (c->decoy ? STORE_CHALLENGE_DECOY : 0);
	s->pub.expires_ms = wall_ms() + BSF_CHALLENGE_LIFETIME_MS;
	snprintf(s->pub.uss, sizeof(s->pub.uss), "%s", c->uss ? c->uss : "");
	memcpy(s->secret + XRES_AT, c->xres, AKA_RES_LEN);
	memcpy(s->secret + CK_AT, c->ck, AKA_CK_LEN);
	memcpy(s->secret + IK_AT, c->ik, AKA_IK_LEN);
	ret = store_challenge_add(bsf->daemon->store, s);
	secure_free(s);		/* wiped */
	return ret;
}

/* A detached challenge from what the store holds (secret may be NULL). */
static struct bsf_challenge *detached(const struct store_challenge_info *info,
				      const uint8_t *secret)
{
	struct bsf_challenge *c;

	/* Only a BSF writes the table, and its nonces and opaques fit. */
	if (strlen(info->nonce) >= sizeof(c->nonce) ||
	    strlen(info->opaque) >= sizeof(c->opaque))
		return NULL;
	c = secure_calloc(sizeof(*c));
	if (!c)
		return NULL;
	c->uss = strdup(info->uss);
	if (!c->uss) {
		secure_free(c);
		return NULL;
	}
	strcpy(c->nonce, info->nonce);
	strcpy(c->opaque, info->opaque);
	snprintf(c->impi, sizeof(c->impi), "%s", info->impi);
	memcpy(c->rand, info->rand, sizeof(c->rand));
	c->gba_u = info->flags & STORE_CHALLENGE_GBA_U;
	c->decoy = info->flags & STORE_CHALLENGE_DECOY;
	if (secret) {
		memcpy(c->xres, secret + XRES_AT, AKA_RES_LEN);
		memcpy(c->ck, secret + CK_AT, AKA_CK_LEN);
		memcpy(c->ik, secret + IK_AT, AKA_IK_LEN);
	}
	return c;
}

int bsf_shared_take(struct bsf *bsf, const char *nonce,
		    struct bsf_challenge **out)
{
	struct store_challenge *s = secure_calloc(sizeof(*s));
	int ret;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	ret = store_challenge_take(bsf->daemon->store, nonce, wall_ms(), s);
	if (!ret) {
		*out = detached(&s->pub, s->secret);
		if (!*out)
			ret = -ENOMEM;
	}
	secure_free(s);		/* wiped */
	return ret;
}

struct bsf_challenge *bsf_shared_pending(struct bsf *bsf, const char *impi,
					 uint64_t min_left_ms)
{
	struct store_challenge_info *info = malloc(sizeof(*info));
	struct bsf_challenge *c = NULL;

	if (info && !store_challenge_pending(bsf->daemon->store, impi,
					     wall_ms() + (int64_t)min_left_ms,
					     info))
		c = detached(info, NULL);
	free(info);
	return c;
}

void bsf_shared_free(struct bsf_challenge *c)
{
	if (!c)
		return;
	if (c->uss) {
		OPENSSL_cleanse(c->uss, strlen(c->uss));
		free(c->uss);
	}
	secure_free(c);		/* wiped */
}

int bsf_shared_purge(struct bsf *bsf)
{
	return store_challenge_purge(bsf->daemon->store, wall_ms());
}
