// SPDX-License-Identifier: GPL-2.0
/*
 * AES-256-GCM sealing of the secrets a store keeps.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "seal.h"

/* Prefixes the AAD so a blob of another program or format never opens. */
static const char aad_label[] = "e2m-store/1";

/*
 * AAD = label NUL table NUL row NUL column: the NULs keep "ab"+"c" apart
 * from "a"+"bc". EVP_CipherUpdate() goes the context's way, sealing or
 * opening.
 */
static int add_aad(EVP_CIPHER_CTX *ctx, const struct seal_place *place)
{
	const char *parts[] = {
		aad_label, place->table, place->row, place->column,
	};
	size_t i;
	int len;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t part_len = strlen(parts[i]) + 1;	/* with its NUL */

		if (part_len > INT_MAX ||
		    !EVP_CipherUpdate(ctx, NULL, &len,
				      (const unsigned char *)parts[i],
				      (int)part_len))
			return -EIO;
	}
	return 0;
}

int seal_secret(const struct store_key *key, const struct seal_place *place,
		const uint8_t *secret, size_t len, uint8_t *blob)
{
	uint8_t *nonce = blob + 1;
	uint8_t *ciphertext = nonce + SEAL_NONCE_LEN;
	uint8_t *tag = ciphertext + len;
	EVP_CIPHER_CTX *ctx;
	int out_len, ret = -EIO;

	if (len > SEAL_SECRET_MAX)
		return -EINVAL;
	if (RAND_bytes(nonce, SEAL_NONCE_LEN) != 1)
		return -EIO;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	blob[0] = SEAL_VERSION;
	if (!EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->bytes,
				nonce))
		goto out;
	ret = add_aad(ctx, place);
	if (ret)
		goto out;
	ret = -EIO;
	if (!EVP_EncryptUpdate(ctx, ciphertext, &out_len, secret, (int)len) ||
	    (size_t)out_len != len ||
	    !EVP_EncryptFinal_ex(ctx, ciphertext + out_len, &out_len) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN, tag))
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);	/* wipes the key schedule */
	if (ret)
		OPENSSL_cleanse(blob, SEAL_OVERHEAD + len);
	return ret;
}

int unseal_secret(const struct store_key *key, const struct seal_place *place,
		  const uint8_t *blob, size_t blob_len, uint8_t *secret,
		  size_t len)
{
	const uint8_t *nonce = blob + 1;
	const uint8_t *ciphertext = nonce + SEAL_NONCE_LEN;
	EVP_CIPHER_CTX *ctx;
	uint8_t tag[SEAL_TAG_LEN];
	int out_len, ret = -EIO;

	memset(secret, 0, len);
	if (len > SEAL_SECRET_MAX || blob_len != SEAL_OVERHEAD + len ||
	    blob[0] != SEAL_VERSION)
		return -EKEYREJECTED;
	/* OpenSSL wants a writable tag. */
	memcpy(tag, ciphertext + len, SEAL_TAG_LEN);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (!EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->bytes,
				nonce))
		goto out;
	ret = add_aad(ctx, place);
	if (ret)
		goto out;
	ret = -EIO;
	if (!EVP_DecryptUpdate(ctx, secret, &out_len, ciphertext, (int)len) ||
	    (size_t)out_len != len ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN, tag))
		goto out;
	/* The tag check, in constant time inside OpenSSL. */
	ret = EVP_DecryptFinal_ex(ctx, secret + out_len, &out_len) == 1 ?
		0 : -EKEYREJECTED;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (ret)
		OPENSSL_cleanse(secret, len);
	return ret;
}
