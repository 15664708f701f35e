// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M bootstrap's keys and identifiers (e2m profile), see onem2m.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "fc.h"
#include "kdf.h"
#include "onem2m.h"

int onem2m_key_id(char *id, size_t size, const uint8_t key[ONEM2M_KEY_LEN],
		  const char *label, const char *fqdn)
{
	unsigned char b64[ONEM2M_ID_B64_LEN + 1];
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	if (!dns_name_valid(fqdn) || size < ONEM2M_ID_B64_LEN + 2 +
					    strlen(fqdn))
		return -EINVAL;
	kdf_init(&kdf, FC_ONEM2M_ID);
	kdf_add_string(&kdf, label);
	ret = kdf_derive(&kdf, key, ONEM2M_KEY_LEN, out);
	kdf_free(&kdf);
	/* EVP_EncodeBlock() writes a NUL after the base64 text. */
	if (!ret && EVP_EncodeBlock(b64, out, ONEM2M_ID_HASH_LEN) !=
		    ONEM2M_ID_B64_LEN)
		ret = -EIO;
	if (!ret)
		snprintf(id, size, "%s@%s", (const char *)b64, fqdn);
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

int onem2m_ke_id(char *id, size_t size, const uint8_t ke[ONEM2M_KEY_LEN],
		 const char *mef_fqdn)
{
	return onem2m_key_id(id, size, ke, LABEL_ONEM2M_KE_ID, mef_fqdn);
}

int onem2m_km_id(char *id, size_t size, const uint8_t km[ONEM2M_KEY_LEN],
		 const char *maf_fqdn)
{
	return onem2m_key_id(id, size, km, LABEL_ONEM2M_KM_ID, maf_fqdn);
}

int onem2m_kpsa_id(char *id, size_t size,
		   const uint8_t kpsa[ONEM2M_KEY_LEN],
		   const char *enrolee_b_fqdn)
{
	return onem2m_key_id(id, size, kpsa, LABEL_ONEM2M_KPSA_ID,
			     enrolee_b_fqdn);
}

/* KDF(Ke, FC_ONEM2M_KEY, label, target, Enrolee-ID). */
static int target_key(uint8_t out[ONEM2M_KEY_LEN],
		      const uint8_t ke[ONEM2M_KEY_LEN], const char *label,
		      const char *target_id, const char *enrolee_id)
{
	struct kdf kdf;
	int ret;

	if (!*target_id || !*enrolee_id)
		return -EINVAL;
	kdf_init(&kdf, FC_ONEM2M_KEY);
	kdf_add_string(&kdf, label);
	kdf_add_string(&kdf, target_id);
	kdf_add_string(&kdf, enrolee_id);
	ret = kdf_derive(&kdf, ke, ONEM2M_KEY_LEN, out);
	kdf_free(&kdf);
	return ret;
}

int onem2m_km(uint8_t km[ONEM2M_KEY_LEN], const uint8_t ke[ONEM2M_KEY_LEN],
	      const char *maf_id, const char *enrolee_id)
{
	return target_key(km, ke, LABEL_ONEM2M_KM, maf_id, enrolee_id);
}

int onem2m_kpsa(uint8_t kpsa[ONEM2M_KEY_LEN],
		const uint8_t ke[ONEM2M_KEY_LEN], const char *enrolee_b_id,
		const char *enrolee_id)
{
	return target_key(kpsa, ke, LABEL_ONEM2M_KPSA, enrolee_b_id,
			  enrolee_id);
}

static bool base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool onem2m_key_id_valid(const char *id)
{
	size_t i;

	/* 16 octets: 22 base64 characters and "==". */
	for (i = 0; i < ONEM2M_ID_B64_LEN - 2; i++)
		if (!base64_char(id[i]))
			return false;
	return !strncmp(id + i, "==@", 3) && dns_name_valid(id + i + 3);
}
