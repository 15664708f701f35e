// SPDX-License-Identifier: GPL-2.0
/*
 * K_e2m and the e2mKEYSET (e2m profile).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kdf.h"
#include "keyset.h"

int k_e2m_derive(uint8_t k_e2m[K_E2M_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const uint8_t rand[AKA_RAND_LEN])
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_K_E2M);
	kdf_add_string(&kdf, LABEL_E2M_KEYSET);
	kdf_add(&kdf, rand, AKA_RAND_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, k_e2m);
	kdf_free(&kdf);
	return ret;
}

int keyset_key(uint8_t key[KEYSET_KEY_LEN], const uint8_t k_e2m[K_E2M_LEN],
	       uint8_t distinguisher, enum e2m_alg alg)
{
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	if ((unsigned int)alg > E2M_ALG_MAX ||
	    (distinguisher != KEYSET_DIST_ENC &&
	     distinguisher != KEYSET_DIST_INT))
		return -EINVAL;
	kdf_init(&kdf, FC_KEYSET);
	kdf_add_octet(&kdf, distinguisher);
	kdf_add_octet(&kdf, (uint8_t)alg);
	ret = kdf_derive(&kdf, k_e2m, K_E2M_LEN, out);
	kdf_free(&kdf);
	/* low128: how 3GPP cuts its 128-bit algorithm keys from the KDF. */
	if (!ret)
		memcpy(key, out + KDF_OUT_LEN - KEYSET_KEY_LEN, KEYSET_KEY_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

int keyset_derive(uint8_t k_enc[KEYSET_KEY_LEN],
		  uint8_t k_int[KEYSET_KEY_LEN],
		  const uint8_t k_e2m[K_E2M_LEN], enum e2m_alg alg)
{
	int ret;

	ret = keyset_key(k_enc, k_e2m, KEYSET_DIST_ENC, alg);
	if (!ret)
		ret = keyset_key(k_int, k_e2m, KEYSET_DIST_INT, alg);
	if (ret)
		OPENSSL_cleanse(k_enc, KEYSET_KEY_LEN);
	return ret;
}
