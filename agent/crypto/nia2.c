// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NIA2. Octet-aligned messages, the only kind e2m sends, go through
 * OpenSSL's CMAC. Other lengths occur in the 3GPP test data and would be
 * refused by any octet-oriented CMAC, so they take a CMAC written out on
 * the AES block function, which pads after the last valid bit.
 */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "nia2.h"

#define NIA2_HEADER_LEN 8

static void nia2_header(uint8_t header[NIA2_HEADER_LEN], uint32_t count,
			uint8_t bearer, uint8_t direction)
{
	header[0] = count >> 24;
	header[1] = count >> 16;
	header[2] = count >> 8;
	header[3] = count;
	header[4] = bearer << 3 | direction << 2;
	header[5] = header[6] = header[7] = 0;
}

/* SP 800-38B 6.1: doubling in GF(2^128). */
static void cmac_double(uint8_t out[AES_BLOCK_LEN],
			const uint8_t in[AES_BLOCK_LEN])
{
	uint8_t carry = in[0] >> 7;
	int i;

	for (i = 0; i < AES_BLOCK_LEN - 1; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[AES_BLOCK_LEN - 1] = (uint8_t)(in[AES_BLOCK_LEN - 1] << 1);
	/* Constant time: the subkeys are secret. */
	out[AES_BLOCK_LEN - 1] ^= 0x87 & (uint8_t)-carry;
}

static int cmac_subkeys(struct nia2 *nia2)
{
	uint8_t l[AES_BLOCK_LEN] = { 0 };
	int ret;

	ret = aes128_encrypt(&nia2->aes, l, l);
	if (!ret) {
		cmac_double(nia2->k1, l);
		cmac_double(nia2->k2, nia2->k1);
	}
	OPENSSL_cleanse(l, sizeof(l));
	return ret;
}

static int cmac_context(struct nia2 *nia2, const uint8_t key[NIA2_KEY_LEN])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						 "AES-128-CBC", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);

	if (!mac)
		return -EIO;
	nia2->cmac = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (!nia2->cmac)
		return -ENOMEM;
	if (!EVP_MAC_init(nia2->cmac, key, NIA2_KEY_LEN, params))
		return -EIO;
	return 0;
}

int nia2_init(struct nia2 *nia2, const uint8_t key[NIA2_KEY_LEN])
{
	int ret;

	memset(nia2, 0, sizeof(*nia2));
	ret = cmac_context(nia2, key);
	if (!ret)
		ret = aes128_init(&nia2->aes, key);
	if (!ret)
		ret = cmac_subkeys(nia2);
	if (ret)
		nia2_free(nia2);
	return ret;
}

int nia2_mac_octets(struct nia2 *nia2, uint32_t count, uint8_t bearer,
		    uint8_t direction, const uint8_t *message, size_t len,
		    uint8_t mac[NIA2_MAC_LEN])
{
	uint8_t header[NIA2_HEADER_LEN], full[AES_BLOCK_LEN];
	size_t full_len = 0;
	int ret = -EIO;

	if (bearer > NIA2_BEARER_MAX || direction > 1)
		return -EINVAL;
	nia2_header(header, count, bearer, direction);
	/* A null key restarts the MAC under the key given in nia2_init(). */
	if (!EVP_MAC_init(nia2->cmac, NULL, 0, NULL) ||
	    !EVP_MAC_update(nia2->cmac, header, sizeof(header)) ||
	    (len && !EVP_MAC_update(nia2->cmac, message, len)) ||
	    !EVP_MAC_final(nia2->cmac, full, &full_len, sizeof(full)) ||
	    full_len != AES_BLOCK_LEN)
		goto out;
	memcpy(mac, full, NIA2_MAC_LEN);
	ret = 0;
out:
	OPENSSL_cleanse(full, sizeof(full));
	return ret;
}

/* Octet i of header || message, the part beyond length_bits cleared. */
static uint8_t cmac_input_octet(const uint8_t header[NIA2_HEADER_LEN],
				const uint8_t *message, size_t length_bits,
				size_t i)
{
	size_t bit;

	if (i < NIA2_HEADER_LEN)
		return header[i];
	bit = (i - NIA2_HEADER_LEN) * 8;
	if (bit >= length_bits)
		return 0;
	if (length_bits - bit >= 8)
		return message[i - NIA2_HEADER_LEN];
	return message[i - NIA2_HEADER_LEN] &
	       (uint8_t)(0xff << (8 - (length_bits - bit)));
}

int nia2_mac_bits(struct nia2 *nia2, uint32_t count, uint8_t bearer,
		  uint8_t direction, const uint8_t *message,
		  size_t length_bits, uint8_t mac[NIA2_MAC_LEN])
{
	uint8_t header[NIA2_HEADER_LEN], x[AES_BLOCK_LEN] = { 0 };
	size_t total_bits = NIA2_HEADER_LEN * 8 + length_bits;
	size_t blocks = (total_bits + 127) / 128, block, i, pad_bit;
	const uint8_t *subkey;
	int ret = 0;

	if (bearer > NIA2_BEARER_MAX || direction > 1)
		return -EINVAL;
	nia2_header(header, count, bearer, direction);
	for (block = 0; block < blocks && !ret; block++) {
		for (i = 0; i < AES_BLOCK_LEN; i++)
			x[i] ^= cmac_input_octet(header, message, length_bits,
						 block * AES_BLOCK_LEN + i);
		if (block == blocks - 1) {
			/* SP 800-38B 6.2: K1 for a full last block, else K2
			 * after padding with a 1 bit and 0s. */
			pad_bit = total_bits - block * 128;
			if (pad_bit == 128) {
				subkey = nia2->k1;
			} else {
				x[pad_bit / 8] ^= 0x80 >> (pad_bit % 8);
				subkey = nia2->k2;
			}
			for (i = 0; i < AES_BLOCK_LEN; i++)
				x[i] ^= subkey[i];
		}
		ret = aes128_encrypt(&nia2->aes, x, x);
	}
	if (!ret)
		memcpy(mac, x, NIA2_MAC_LEN);
	OPENSSL_cleanse(x, sizeof(x));
	return ret;
}

int nia2_mac(struct nia2 *nia2, uint32_t count, uint8_t bearer,
	     uint8_t direction, const uint8_t *message, size_t length_bits,
	     uint8_t mac[NIA2_MAC_LEN])
{
	if (length_bits % 8)
		return nia2_mac_bits(nia2, count, bearer, direction, message,
				     length_bits, mac);
	return nia2_mac_octets(nia2, count, bearer, direction, message,
			       length_bits / 8, mac);
}

void nia2_free(struct nia2 *nia2)
{
	EVP_MAC_CTX_free(nia2->cmac);
	nia2->cmac = NULL;
	aes128_free(&nia2->aes);
	OPENSSL_cleanse(nia2->k1, sizeof(nia2->k1));
	OPENSSL_cleanse(nia2->k2, sizeof(nia2->k2));
}
