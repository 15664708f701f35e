// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NEA2 over OpenSSL's AES-128-CTR.
 *
 * TS 33.401 increments only the low 64 bits of the counter block, OpenSSL
 * all 128. They differ only after 2^64 blocks, far beyond any LENGTH.
 */
#include <errno.h>

#include "nea2.h"

#define NEA2_CHUNK (1 << 30)

int nea2_init(struct nea2 *nea2, const uint8_t key[NEA2_KEY_LEN])
{
	nea2->ctx = EVP_CIPHER_CTX_new();
	if (!nea2->ctx)
		return -ENOMEM;
	if (!EVP_EncryptInit_ex(nea2->ctx, EVP_aes_128_ctr(), NULL, key,
				NULL)) {
		nea2_free(nea2);
		return -EIO;
	}
	return 0;
}

int nea2_crypt(struct nea2 *nea2, uint32_t count, uint8_t bearer,
	       uint8_t direction, const uint8_t *in, size_t length_bits,
	       uint8_t *out)
{
	uint8_t iv[16] = {
		count >> 24, count >> 16, count >> 8, count,
		bearer << 3 | direction << 2,
	};
	size_t len = length_bits / 8 + (length_bits % 8 != 0);
	size_t done = 0;
	int chunk, out_len;

	if (bearer > NEA2_BEARER_MAX || direction > 1)
		return -EINVAL;
	/* A null cipher and key keep the key schedule and set a new IV. */
	if (!EVP_EncryptInit_ex(nea2->ctx, NULL, NULL, NULL, iv))
		return -EIO;
	/* EVP_EncryptUpdate() counts in int; CTR carries on across calls. */
	while (done < len) {
		chunk = len - done > NEA2_CHUNK ? NEA2_CHUNK :
						  (int)(len - done);
		if (!EVP_EncryptUpdate(nea2->ctx, out + done, &out_len,
				       in + done, chunk) ||
		    out_len != chunk)
			return -EIO;
		done += chunk;
	}
	if (length_bits % 8)
		out[len - 1] &= (uint8_t)(0xff << (8 - length_bits % 8));
	return 0;
}

void nea2_free(struct nea2 *nea2)
{
	EVP_CIPHER_CTX_free(nea2->ctx);
	nea2->ctx = NULL;
}
