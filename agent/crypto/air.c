// SPDX-License-Identifier: GPL-2.0
/*
 * CK', IK' (e2m profile).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "air.h"
#include "fc.h"
#include "kdf.h"

int air_keys_derive(uint8_t ck_prime[AKA_CK_LEN], uint8_t ik_prime[AKA_IK_LEN],
		    const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		    const uint8_t rand[AKA_RAND_LEN])
{
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_AIR);
	kdf_add_string(&kdf, LABEL_AIR);
	kdf_add(&kdf, rand, AKA_RAND_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, out);
	kdf_free(&kdf);
	if (!ret) {
		memcpy(ck_prime, out, AKA_CK_LEN);
		memcpy(ik_prime, out + AKA_CK_LEN, AKA_IK_LEN);
	}
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}
