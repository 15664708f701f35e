// SPDX-License-Identifier: GPL-2.0
/*
 * The link keys of a ks_local key, see ks_link.h: the TS 33.220 Annex B
 * KDF, HMAC-SHA-256(Ks_local, S), S = FC || P0 || L0 || P1 || L1, with the
 * 16 last octets of each output (low128), as 3GPP cuts its algorithm keys.
 *
 * Called when a key is bound, never on the packet path. The key and every
 * intermediate live in memory of their own, wiped when freed: the HMAC's
 * keyed state in the transform (crypto_free_shash() wipes it), the running
 * hash in the descriptor and the output in its buffer (kfree_sensitive()).
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ks_link.h"

/* FC (2 octets), P0 and its length (3), P1 and its length (3). */
#define E2M_KS_LINK_S_LEN	8

static int e2m_ks_link_key(struct shash_desc *desc, u8 dist, u8 alg,
			   u8 *digest, u8 *key)
{
	const u8 s[E2M_KS_LINK_S_LEN] = {
		E2M_KS_LINK_FC >> 8, E2M_KS_LINK_FC & 0xff,
		dist, 0x00, 0x01,
		alg, 0x00, 0x01,
	};
	int ret;

	ret = crypto_shash_digest(desc, s, sizeof(s), digest);
	if (!ret)
		memcpy(key, digest + SHA256_DIGEST_SIZE - E2M_ALG_KEY_LEN,
		       E2M_ALG_KEY_LEN);
	return ret;
}

int e2m_ks_link_derive(const u8 *ks_local, u8 alg, u8 *k_enc, u8 *k_int)
{
	struct shash_desc *desc = NULL;
	struct crypto_shash *tfm;
	u8 *digest = NULL;
	int ret;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = -ENOMEM;
	digest = kzalloc(SHA256_DIGEST_SIZE, GFP_KERNEL);
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!digest || !desc)
		goto out;
	desc->tfm = tfm;
	ret = crypto_shash_setkey(tfm, ks_local, E2M_KS_LOCAL_KEY_LEN);
	if (!ret)
		ret = e2m_ks_link_key(desc, E2M_KS_LINK_DIST_ENC, alg, digest,
				      k_enc);
	if (!ret)
		ret = e2m_ks_link_key(desc, E2M_KS_LINK_DIST_INT, alg, digest,
				      k_int);
out:
	if (ret) {
		memzero_explicit(k_enc, E2M_ALG_KEY_LEN);
		memzero_explicit(k_int, E2M_ALG_KEY_LEN);
	}
	kfree_sensitive(desc);
	kfree_sensitive(digest);
	crypto_free_shash(tfm);
	return ret;
}
