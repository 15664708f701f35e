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

#include "aka/decoy.h"
#include "proto/best/attach_msg.h"
#include "sgw_decoys.h"
#include "util/secure_alloc.h"

#define SECRET_LEN	32
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

/* The KSI slot's MAC of an IMSI: HMAC-SHA-256(secret, 'k' || IMSI || 0). */
static bool ksi_mac(const struct sgw_decoys *d, const char *imsi,
		    uint8_t mac[SHA256_DIGEST_LENGTH])
{
	uint8_t in[1 + BEST_IMSI_SIZE];
	size_t len = strlen(imsi);
	unsigned int mac_len = 0;
	bool ok;

	if (len >= BEST_IMSI_SIZE)
		return false;
	in[0] = 'k';
	memcpy(in + 1, imsi, len + 1);
	ok = HMAC(EVP_sha256(), d->secret, SECRET_LEN, in, 2 + len, mac,
		  &mac_len) && mac_len == SHA256_DIGEST_LENGTH;
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
	if (!ksi_mac(d, imsi, mac))
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
	if (strlen(imsi) >= BEST_IMSI_SIZE)
		return -EINVAL;
	/* Its input starts with a digit: never the KSI MAC's 'k' above. */
	return aka_decoy_vector(d->secret, SECRET_LEN, imsi, now_ms,
				d->made++, amf, rand, autn);
}

size_t sgw_decoys_held(const struct sgw_decoys *d)
{
	return d->held;
}
