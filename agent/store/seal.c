// SPDX-License-Identifier: GPL-2.0
/*
 * AES-256-GCM sealing of the secrets a store keeps (the format: seal.h).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "seal.h"

/* Prefix the AAD so a blob of another program or format never opens. */
static const char aad_label_v1[] = "e2m-store/1";
static const char aad_label[] = "e2m-store/2";

/* EVP_CipherUpdate() goes the context's way, sealing or opening. */
static int aad_bytes(EVP_CIPHER_CTX *ctx, const void *bytes, size_t len)
{
	int out_len;

	if (len > INT_MAX)
		return -EIO;
	if (!len)
		return 0;
	return EVP_CipherUpdate(ctx, NULL, &out_len, bytes, (int)len) ?
		0 : -EIO;
}

static int aad_u32(EVP_CIPHER_CTX *ctx, size_t value)
{
	uint8_t be[4];

	if (value > UINT32_MAX)
		return -EINVAL;
	be[0] = (uint8_t)(value >> 24);
	be[1] = (uint8_t)(value >> 16);
	be[2] = (uint8_t)(value >> 8);
	be[3] = (uint8_t)value;
	return aad_bytes(ctx, be, sizeof(be));
}

/* str(x): its length, then x. */
static int aad_str(EVP_CIPHER_CTX *ctx, const void *bytes, size_t len)
{
	int ret = aad_u32(ctx, len);

	return ret ? ret : aad_bytes(ctx, bytes, len);
}

static int aad_field(EVP_CIPHER_CTX *ctx, const struct seal_field *field)
{
	uint8_t type = (uint8_t)field->type, be[8];
	int i, ret;

	ret = aad_str(ctx, field->name, strlen(field->name));
	if (!ret)
		ret = aad_bytes(ctx, &type, 1);
	if (ret)
		return ret;
	switch (field->type) {
	case SEAL_NULL:
		return 0;
	case SEAL_INT:
		for (i = 0; i < 8; i++)
			be[i] = (uint8_t)((uint64_t)field->integer >>
					  (56 - 8 * i));
		return aad_bytes(ctx, be, sizeof(be));
	case SEAL_TEXT:
	case SEAL_BLOB:
		if (field->len && !field->bytes)
			return -EINVAL;
		return aad_str(ctx, field->bytes, field->len);
	}
	return -EINVAL;
}

/* The version 2 AAD (seal.h). */
static int add_aad(EVP_CIPHER_CTX *ctx, const struct seal_place *place)
{
	const char *parts[] = { place->table, place->row, place->column };
	size_t i;
	int ret;

	if (place->n_fields > SEAL_FIELDS_MAX ||
	    (place->n_fields && !place->fields))
		return -EINVAL;
	ret = aad_bytes(ctx, aad_label, strlen(aad_label));
	for (i = 0; !ret && i < sizeof(parts) / sizeof(parts[0]); i++)
		ret = aad_str(ctx, parts[i], strlen(parts[i]));
	if (!ret)
		ret = aad_u32(ctx, place->n_fields);
	for (i = 0; !ret && i < place->n_fields; i++)
		ret = aad_field(ctx, &place->fields[i]);
	return ret;
}

/*
 * The version 1 AAD: label NUL table NUL row NUL column NUL; the NULs
 * keep "ab"+"c" apart from "a"+"bc".
 */
static int add_aad_v1(EVP_CIPHER_CTX *ctx, const struct seal_place *place)
{
	const char *parts[] = {
		aad_label_v1, place->table, place->row, place->column,
	};
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < sizeof(parts) / sizeof(parts[0]); i++)
		ret = aad_bytes(ctx, parts[i], strlen(parts[i]) + 1);
	return ret;
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

/* Opens a blob of the given version, whose AAD add_aad_fn writes. */
static int open_blob(const struct store_key *key, uint8_t version,
		     int (*add_aad_fn)(EVP_CIPHER_CTX *,
				       const struct seal_place *),
		     const struct seal_place *place, const uint8_t *blob,
		     size_t blob_len, uint8_t *secret, size_t len)
{
	const uint8_t *nonce = blob + 1;
	const uint8_t *ciphertext = nonce + SEAL_NONCE_LEN;
	EVP_CIPHER_CTX *ctx;
	uint8_t tag[SEAL_TAG_LEN];
	int out_len, ret = -EIO;

	memset(secret, 0, len);
	if (len > SEAL_SECRET_MAX || blob_len != SEAL_OVERHEAD + len ||
	    blob[0] != version)
		return -EKEYREJECTED;
	/* OpenSSL wants a writable tag. */
	memcpy(tag, ciphertext + len, SEAL_TAG_LEN);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (!EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->bytes,
				nonce))
		goto out;
	ret = add_aad_fn(ctx, place);
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

int unseal_secret(const struct store_key *key, const struct seal_place *place,
		  const uint8_t *blob, size_t blob_len, uint8_t *secret,
		  size_t len)
{
	return open_blob(key, SEAL_VERSION, add_aad, place, blob, blob_len,
			 secret, len);
}

int seal_open_v1(const struct store_key *key, const struct seal_place *place,
		 const uint8_t *blob, size_t blob_len, uint8_t *secret,
		 size_t len)
{
	return open_blob(key, SEAL_VERSION_1, add_aad_v1, place, blob,
			 blob_len, secret, len);
}
