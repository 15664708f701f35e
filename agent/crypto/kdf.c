// SPDX-License-Identifier: GPL-2.0
/*
 * TS 33.220 Annex B.2.0 KDF over OpenSSL's EVP_MAC HMAC.
 */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "kdf.h"

/* Enough for FC and the parameters of every derivation e2m makes. */
#define KDF_INITIAL_SIZE 128

/* Makes room for more octets of S, wiping the old copy as it moves. */
static int kdf_reserve(struct kdf *kdf, size_t more)
{
	size_t size = kdf->size;
	uint8_t *s;

	if (more <= kdf->size - kdf->len)
		return 0;
	while (size - kdf->len < more)
		size *= 2;
	s = OPENSSL_clear_realloc(kdf->s, kdf->size, size);
	if (!s)
		return -ENOMEM;
	kdf->s = s;
	kdf->size = size;
	return 0;
}

static void kdf_append(struct kdf *kdf, const void *data, size_t len)
{
	/* memcpy with a null source is undefined even for len 0. */
	if (len)
		memcpy(kdf->s + kdf->len, data, len);
	kdf->len += len;
}

int kdf_init(struct kdf *kdf, unsigned int fc)
{
	uint8_t fc_octets[2] = { fc >> 8, fc & 0xff };

	memset(kdf, 0, sizeof(*kdf));
	if (fc > 0xffff || (fc >= 0xff && fc < 0xff00)) {
		kdf->error = -EINVAL;
		return kdf->error;
	}
	kdf->s = OPENSSL_malloc(KDF_INITIAL_SIZE);
	if (!kdf->s) {
		kdf->error = -ENOMEM;
		return kdf->error;
	}
	kdf->size = KDF_INITIAL_SIZE;
	if (fc >= 0xff00)
		kdf_append(kdf, fc_octets, 2);
	else
		kdf_append(kdf, &fc_octets[1], 1);
	return 0;
}

int kdf_add(struct kdf *kdf, const void *param, size_t len)
{
	uint8_t length[2] = { len >> 8, len & 0xff };
	int ret;

	if (kdf->error)
		return kdf->error;
	if (len > KDF_PARAM_MAX) {
		kdf->error = -EINVAL;
		return kdf->error;
	}
	ret = kdf_reserve(kdf, len + sizeof(length));
	if (ret) {
		kdf->error = ret;
		return ret;
	}
	kdf_append(kdf, param, len);
	kdf_append(kdf, length, sizeof(length));
	return 0;
}

int kdf_add_string(struct kdf *kdf, const char *string)
{
	return kdf_add(kdf, string, strlen(string));
}

int kdf_add_octet(struct kdf *kdf, uint8_t octet)
{
	return kdf_add(kdf, &octet, 1);
}

int kdf_derive(struct kdf *kdf, const uint8_t *key, size_t key_len,
	       uint8_t out[KDF_OUT_LEN])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 "SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	size_t out_len = 0;
	int ret = -EIO;

	if (kdf->error)
		return kdf->error;
	/* EVP_MAC_init() takes an empty key to mean "keep the old one". */
	if (!key_len)
		return -EINVAL;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		goto out;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	if (!EVP_MAC_init(ctx, key, key_len, params) ||
	    !EVP_MAC_update(ctx, kdf->s, kdf->len) ||
	    !EVP_MAC_final(ctx, out, &out_len, KDF_OUT_LEN) ||
	    out_len != KDF_OUT_LEN) {
		OPENSSL_cleanse(out, KDF_OUT_LEN);
		goto out;
	}
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int kdf_derive_ck_ik(struct kdf *kdf, const uint8_t ck[AKA_CK_LEN],
		     const uint8_t ik[AKA_IK_LEN], uint8_t out[KDF_OUT_LEN])
{
	uint8_t ks[AKA_CK_LEN + AKA_IK_LEN];
	int ret;

	memcpy(ks, ck, AKA_CK_LEN);
	memcpy(ks + AKA_CK_LEN, ik, AKA_IK_LEN);
	ret = kdf_derive(kdf, ks, sizeof(ks), out);
	OPENSSL_cleanse(ks, sizeof(ks));
	return ret;
}

const uint8_t *kdf_input(const struct kdf *kdf, size_t *len)
{
	*len = kdf->len;
	return kdf->s;
}

void kdf_free(struct kdf *kdf)
{
	OPENSSL_clear_free(kdf->s, kdf->size);
	memset(kdf, 0, sizeof(*kdf));
}
