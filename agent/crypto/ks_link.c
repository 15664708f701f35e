// SPDX-License-Identifier: GPL-2.0
/*
 * The link keys from Ks_local (e2m profile), as kernel/ks_link.c derives
 * them.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kdf.h"
#include "ks_link.h"

static int ks_link_key(uint8_t key[KEYSET_KEY_LEN],
		       const uint8_t ks_local[KS_LOCAL_LEN], uint8_t dist,
		       enum e2m_alg alg)
{
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_KS_LINK);
	kdf_add_octet(&kdf, dist);
	kdf_add_octet(&kdf, (uint8_t)alg);
	ret = kdf_derive(&kdf, ks_local, KS_LOCAL_LEN, out);
	kdf_free(&kdf);
	/* low128, as for the e2mKEYSET. */
	if (!ret)
		memcpy(key, out + KDF_OUT_LEN - KEYSET_KEY_LEN, KEYSET_KEY_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

int ks_link_derive(uint8_t k_enc[KEYSET_KEY_LEN], uint8_t k_int[KEYSET_KEY_LEN],
		   const uint8_t ks_local[KS_LOCAL_LEN], enum e2m_alg alg)
{
	int ret;

	if ((unsigned int)alg > E2M_ALG_MAX)
		return -EINVAL;
	ret = ks_link_key(k_enc, ks_local, KS_LINK_DIST_ENC, alg);
	if (!ret)
		ret = ks_link_key(k_int, ks_local, KS_LINK_DIST_INT, alg);
	if (ret) {
		OPENSSL_cleanse(k_enc, KEYSET_KEY_LEN);
		OPENSSL_cleanse(k_int, KEYSET_KEY_LEN);
	}
	return ret;
}
