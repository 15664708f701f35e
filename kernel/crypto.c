// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NEA2 and 128-NIA2 (TS 33.401 Annex B) over a linear buffer, with the
 * kernel crypto API. Both are synchronous; requests and descriptors live on
 * the stack and are wiped after use.
 */
#include <crypto/aes.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "compat.h"
#include "crypto.h"

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int)
{
	int ret;

	c->nea2 = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(c->nea2)) {
		ret = PTR_ERR(c->nea2);
		c->nea2 = NULL;
		return ret;
	}
	c->nia2 = crypto_alloc_shash("cmac(aes)", 0, 0);
	if (IS_ERR(c->nia2)) {
		ret = PTR_ERR(c->nia2);
		c->nia2 = NULL;
		goto err;
	}
	ret = crypto_sync_skcipher_setkey(c->nea2, k_enc, AES_KEYSIZE_128);
	if (ret)
		goto err;
	ret = crypto_shash_setkey(c->nia2, k_int, AES_KEYSIZE_128);
	if (ret)
		goto err;
	return 0;
err:
	e2m_crypto_free(c);
	return ret;
}

/* Freeing a transform wipes its key schedule (kfree_sensitive). */
void e2m_crypto_free(struct e2m_crypto *c)
{
	crypto_free_shash(c->nia2);
	crypto_free_sync_skcipher(c->nea2);
	c->nia2 = NULL;
	c->nea2 = NULL;
}

/* COUNT || BEARER (5 bits) || DIRECTION || 0^26, as both algorithms use. */
static void e2m_fresh(u8 *out8, u32 count, u8 bearer, u8 direction)
{
	put_unaligned_be32(count, out8);
	out8[4] = (bearer << 3) | (direction << 2);
	out8[5] = 0;
	out8[6] = 0;
	out8[7] = 0;
}

/* Encrypts or decrypts @len octets at @data in place. */
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, c->nea2);
	u8 iv[AES_BLOCK_SIZE] = { 0 };
	struct scatterlist sg;
	int ret;

	e2m_fresh(iv, count, bearer, direction);
	sg_init_one(&sg, data, len);
	skcipher_request_set_sync_tfm(req, c->nea2);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, iv);
	ret = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	return ret;
}

/* MAC-I (4 octets at @mac) over @len octets at @data. */
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac)
{
	SHASH_DESC_ON_STACK(desc, c->nia2);
	u8 fresh[8], out[AES_BLOCK_SIZE];
	int ret;

	e2m_fresh(fresh, count, bearer, direction);
	desc->tfm = c->nia2;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, fresh, sizeof(fresh));
	if (!ret)
		ret = crypto_shash_update(desc, data, len);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	memcpy(mac, out, 4);
	memzero_explicit(out, sizeof(out));
	return ret;
}
