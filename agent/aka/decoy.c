// SPDX-License-Identifier: GPL-2.0
/*
 * The challenge of a decoy, see decoy.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "decoy.h"

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

int aka_decoy_vector(const uint8_t *secret, size_t secret_len,
		     const char *id, uint64_t now_ms, uint64_t number,
		     const uint8_t amf[AKA_AMF_LEN],
		     uint8_t rand[AKA_RAND_LEN], uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t in[AKA_DECOY_ID_MAX + 1 + 16], mac[EVP_MAX_MD_SIZE];
	size_t id_len = strlen(id);
	unsigned int mac_len = 0;
	bool ok;

	if (id_len > AKA_DECOY_ID_MAX)
		return -EINVAL;
	memcpy(in, id, id_len + 1);
	put_be64(in + id_len + 1, now_ms);
	put_be64(in + id_len + 9, number);
	ok = HMAC(EVP_sha256(), secret, (int)secret_len, in, id_len + 17,
		  mac, &mac_len) &&
	     mac_len == AKA_RAND_LEN + AKA_AUTN_LEN;
	if (ok) {
		memcpy(rand, mac, AKA_RAND_LEN);
		memcpy(autn, mac + AKA_RAND_LEN, AKA_AUTN_LEN);
		/* SQN ^ AK || AMF || MAC-A */
		memcpy(autn + AKA_SQN_LEN, amf, AKA_AMF_LEN);
	}
	OPENSSL_cleanse(in, sizeof(in));
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok ? 0 : -EIO;
}
