// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's decoys for unknown IMSIs, see sgw_decoys.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "proto/best/attach_msg.h"
#include "sgw_decoys.h"
#include "util/secure_alloc.h"

#define SECRET_LEN	32
#define AUTN_AMF_AT	AKA_SQN_LEN	/* SQN ^ AK || AMF || MAC-A */
#define KSI_COUNT	(ATTACH_KSI_MAX + 1)

/* One IMSI's decoy KSI: the tag of the IMSI that holds the slot. */
struct ksi_slot {
	uint64_t tag;
	uint8_t last_ksi;
	bool used;
};

struct sgw_decoys {
	uint8_t *secret;	/* SECRET_LEN, secure_alloc.h */
	uint64_t made;		/* vectors so far: each one's number */
	size_t slots;
	size_t held;
	struct ksi_slot *slot;
};

int sgw_decoys_new(struct sgw_decoys **out, size_t slots)
{
	struct sgw_decoys *d;

	*out = NULL;
	if (!slots || (slots & (slots - 1)))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->slots = slots;
	d->slot = calloc(slots, sizeof(*d->slot));
	d->secret = secure_calloc(SECRET_LEN);
	if (!d->slot || !d->secret) {
		sgw_decoys_free(d);
		return -ENOMEM;
	}
	if (RAND_bytes(d->secret, SECRET_LEN) != 1) {
		sgw_decoys_free(d);
		return -EIO;
	}
	*out = d;
	return 0;
}

void sgw_decoys_free(struct sgw_decoys *d)
{
	if (!d)
		return;
	secure_free(d->secret);		/* wiped */
	free(d->slot);
	free(d);
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* HMAC-SHA-256 under the secret of what || text || NUL || extra. */
static bool mac_of(const struct sgw_decoys *d, char what, const char *text,
		   const uint8_t *extra, size_t extra_len,
		   uint8_t mac[SHA256_DIGEST_LENGTH])
{
	uint8_t in[1 + BEST_IMSI_SIZE + 16];
	size_t len = strlen(text);
	unsigned int mac_len = 0;
	bool ok;

	if (len >= BEST_IMSI_SIZE || extra_len > 16)
		return false;
	in[0] = (uint8_t)what;
	memcpy(in + 1, text, len + 1);
	if (extra_len)
		memcpy(in + 2 + len, extra, extra_len);
	ok = HMAC(EVP_sha256(), d->secret, SECRET_LEN, in,
		  2 + len + extra_len, mac, &mac_len) &&
	     mac_len == SHA256_DIGEST_LENGTH;
	OPENSSL_cleanse(in, sizeof(in));
	return ok;
}

uint8_t sgw_decoy_next_ksi(struct sgw_decoys *d, const char *imsi)
{
	uint8_t mac[SHA256_DIGEST_LENGTH];
	struct ksi_slot *s;
	uint64_t tag;
	uint8_t first;

	/* No MAC (an IMSI over the bound, which the parser refuses): 0. */
	if (!mac_of(d, 'k', imsi, NULL, 0, mac))
		return 0;
	s = &d->slot[get_be64(mac) & (d->slots - 1)];
	tag = get_be64(mac + 8);
	first = (uint8_t)(get_be64(mac + 16) % KSI_COUNT);
	OPENSSL_cleanse(mac, sizeof(mac));
	if (s->used && s->tag == tag) {
		s->last_ksi = (uint8_t)((s->last_ksi + 1) % KSI_COUNT);
		return s->last_ksi;
	}
	if (!s->used)
		d->held++;
	s->used = true;
	s->tag = tag;
	s->last_ksi = first;
	return first;
}

int sgw_decoy_vector(struct sgw_decoys *d, const char *imsi,
		     const uint8_t amf[AKA_AMF_LEN], uint64_t now_ms,
		     uint8_t rand[AKA_RAND_LEN], uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t mac[SHA256_DIGEST_LENGTH], extra[16];

	if (strlen(imsi) >= BEST_IMSI_SIZE)
		return -EINVAL;
	put_be64(extra, now_ms);
	put_be64(extra + 8, d->made++);
	if (!mac_of(d, 'v', imsi, extra, sizeof(extra), mac))
		return -EIO;
	memcpy(rand, mac, AKA_RAND_LEN);
	memcpy(autn, mac + AKA_RAND_LEN, AKA_AUTN_LEN);
	memcpy(autn + AUTN_AMF_AT, amf, AKA_AMF_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

size_t sgw_decoys_held(const struct sgw_decoys *d)
{
	return d->held;
}
