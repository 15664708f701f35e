// SPDX-License-Identifier: GPL-2.0
/* One-shot AES-128-CMAC over OpenSSL's EVP_MAC "CMAC". */
#include <errno.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "cmac.h"

static int cmac_parts(EVP_MAC_CTX *ctx, const uint8_t *key,
		      const struct cmac_part *parts, size_t n, uint8_t *out)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						 "AES-128-CBC", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t i, len = 0;

	if (!EVP_MAC_init(ctx, key, AES128_KEY_LEN, params))
		return -EIO;
	for (i = 0; i < n; i++)
		if (parts[i].len &&
		    !EVP_MAC_update(ctx, parts[i].data, parts[i].len))
			return -EIO;
	if (!EVP_MAC_final(ctx, out, &len, AES_BLOCK_LEN) ||
	    len != AES_BLOCK_LEN)
		return -EIO;
	return 0;
}

int aes128_cmac(const uint8_t key[AES128_KEY_LEN],
		const struct cmac_part *parts, size_t n,
		uint8_t out[AES_BLOCK_LEN])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *ctx;
	int ret;

	if (!mac)
		return -EIO;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (!ctx)
		return -ENOMEM;
	/* Freeing the context wipes the key schedule OpenSSL made. */
	ret = cmac_parts(ctx, key, parts, n, out);
	EVP_MAC_CTX_free(ctx);
	return ret;
}
