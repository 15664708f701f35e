// SPDX-License-Identifier: GPL-2.0
/*
 * GBA NAF keys, NAF_Id and B-TID.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "fc.h"
#include "gba.h"
#include "kdf.h"

/* KDF(CK || IK, FC 0x01, label, RAND, IMPI, NAF_Id), TS 33.220 B.3. */
static int gba_naf_key(uint8_t out[GBA_KEY_LEN], const char *label,
		       const uint8_t ck[AKA_CK_LEN],
		       const uint8_t ik[AKA_IK_LEN],
		       const uint8_t rand[AKA_RAND_LEN], const char *impi,
		       const uint8_t *naf_id, size_t naf_id_len)
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_GBA_NAF);
	kdf_add_string(&kdf, label);
	kdf_add(&kdf, rand, AKA_RAND_LEN);
	kdf_add_string(&kdf, impi);
	kdf_add(&kdf, naf_id, naf_id_len);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, out);
	kdf_free(&kdf);
	return ret;
}

int gba_ks_naf(uint8_t ks_naf[GBA_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
	       const uint8_t ik[AKA_IK_LEN], const uint8_t rand[AKA_RAND_LEN],
	       const char *impi, const uint8_t *naf_id, size_t naf_id_len)
{
	return gba_naf_key(ks_naf, LABEL_GBA_ME, ck, ik, rand, impi, naf_id,
			   naf_id_len);
}

int gba_ks_int_naf(uint8_t ks_int_naf[GBA_KEY_LEN],
		   const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		   const uint8_t rand[AKA_RAND_LEN], const char *impi,
		   const uint8_t *naf_id, size_t naf_id_len)
{
	return gba_naf_key(ks_int_naf, LABEL_GBA_U, ck, ik, rand, impi,
			   naf_id, naf_id_len);
}

int gba_naf_id(uint8_t *out, size_t size, const char *naf_fqdn,
	       const uint8_t ua_id[GBA_UA_ID_LEN])
{
	size_t fqdn_len = strlen(naf_fqdn);

	if (fqdn_len > size || size - fqdn_len < GBA_UA_ID_LEN ||
	    fqdn_len + GBA_UA_ID_LEN > INT_MAX)
		return -ENOSPC;
	memcpy(out, naf_fqdn, fqdn_len);
	memcpy(out + fqdn_len, ua_id, GBA_UA_ID_LEN);
	return (int)(fqdn_len + GBA_UA_ID_LEN);
}

int gba_btid(char *btid, size_t size, const uint8_t rand[AKA_RAND_LEN],
	     const char *bsf_fqdn)
{
	/* EVP_EncodeBlock() writes a NUL after the base64 text. */
	unsigned char encoded[GBA_BTID_RAND_LEN + 1];
	size_t fqdn_len = strlen(bsf_fqdn);
	size_t len = GBA_BTID_RAND_LEN + 1 + fqdn_len;

	if (len >= size || len > INT_MAX)
		return -ENOSPC;
	if (EVP_EncodeBlock(encoded, rand, AKA_RAND_LEN) != GBA_BTID_RAND_LEN)
		return -EIO;
	memcpy(btid, encoded, GBA_BTID_RAND_LEN);
	btid[GBA_BTID_RAND_LEN] = '@';
	memcpy(btid + GBA_BTID_RAND_LEN + 1, bsf_fqdn, fqdn_len + 1);
	return (int)len;
}
