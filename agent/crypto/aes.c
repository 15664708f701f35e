// SPDX-License-Identifier: GPL-2.0
/*
 * AES-128 block encryption: ECB without padding, one block per call.
 */
#include <errno.h>

#include "aes.h"

int aes128_init(struct aes128 *aes, const uint8_t key[AES128_KEY_LEN])
{
	aes->ctx = EVP_CIPHER_CTX_new();
	if (!aes->ctx)
		return -ENOMEM;
	if (!EVP_EncryptInit_ex(aes->ctx, EVP_aes_128_ecb(), NULL, key, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(aes->ctx, 0)) {
		aes128_free(aes);
		return -EIO;
	}
	return 0;
}

int aes128_encrypt(struct aes128 *aes, const uint8_t in[AES_BLOCK_LEN],
		   uint8_t out[AES_BLOCK_LEN])
{
	int out_len = 0;

	/* ECB keeps no state between blocks: Update alone can be repeated. */
	if (!EVP_EncryptUpdate(aes->ctx, out, &out_len, in, AES_BLOCK_LEN) ||
	    out_len != AES_BLOCK_LEN)
		return -EIO;
	return 0;
}

void aes128_free(struct aes128 *aes)
{
	EVP_CIPHER_CTX_free(aes->ctx);
	aes->ctx = NULL;
}
