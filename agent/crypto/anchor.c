// SPDX-License-Identifier: GPL-2.0
/*
 * KASME, K_HSE, K_AUSF, RES* and the serving network name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "anchor.h"
#include "fc.h"
#include "kdf.h"

int kasme_derive(uint8_t kasme[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN], const uint8_t sn_id[SN_ID_LEN],
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN])
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_KASME);
	kdf_add(&kdf, sn_id, SN_ID_LEN);
	kdf_add(&kdf, sqn_xor_ak, AKA_SQN_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, kasme);
	kdf_free(&kdf);
	return ret;
}

/* K_HSE and K_AUSF: KDF(CK || IK, fc, serving network name, SQN xor AK). */
static int name_sqn_derive(unsigned int fc, uint8_t key[ANCHOR_KEY_LEN],
			   const uint8_t ck[AKA_CK_LEN],
			   const uint8_t ik[AKA_IK_LEN],
			   const char *serving_network_name,
			   const uint8_t sqn_xor_ak[AKA_SQN_LEN])
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, fc);
	kdf_add_string(&kdf, serving_network_name);
	kdf_add(&kdf, sqn_xor_ak, AKA_SQN_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, key);
	kdf_free(&kdf);
	return ret;
}

int k_hse_derive(uint8_t k_hse[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const char *serving_network_name,
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN])
{
	return name_sqn_derive(FC_K_HSE, k_hse, ck, ik, serving_network_name,
			       sqn_xor_ak);
}

int kausf_derive(uint8_t kausf[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const char *serving_network_name,
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN])
{
	return name_sqn_derive(FC_KAUSF, kausf, ck, ik, serving_network_name,
			       sqn_xor_ak);
}

int res_star_derive(uint8_t res_star[AKA_RES_STAR_LEN],
		    const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		    const char *serving_network_name,
		    const uint8_t rand[AKA_RAND_LEN],
		    const uint8_t res[AKA_RES_LEN])
{
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_RES_STAR);
	kdf_add_string(&kdf, serving_network_name);
	kdf_add(&kdf, rand, AKA_RAND_LEN);
	kdf_add(&kdf, res, AKA_RES_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, out);
	kdf_free(&kdf);
	if (!ret)
		memcpy(res_star, out + KDF_OUT_LEN - AKA_RES_STAR_LEN,
		       AKA_RES_STAR_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

/* The BCD digit in the low (first) or high (second) half of an octet. */
static int bcd_digit(uint8_t octet, bool high)
{
	unsigned int digit = high ? octet >> 4 : octet & 0x0f;

	return digit <= 9 ? (int)digit : -1;
}

int snn_from_plmn(char *name, size_t name_size,
		  const uint8_t plmn[SN_ID_LEN])
{
	int mcc1 = bcd_digit(plmn[0], false), mcc2 = bcd_digit(plmn[0], true);
	int mcc3 = bcd_digit(plmn[1], false), mnc3 = bcd_digit(plmn[1], true);
	int mnc1 = bcd_digit(plmn[2], false), mnc2 = bcd_digit(plmn[2], true);
	bool two_digit_mnc = (plmn[1] >> 4) == 0x0f;
	int len;

	if (mcc1 < 0 || mcc2 < 0 || mcc3 < 0 || mnc1 < 0 || mnc2 < 0 ||
	    (mnc3 < 0 && !two_digit_mnc))
		return -EINVAL;
	/* A two-digit MNC is written with a leading 0: "01" is "001". */
	if (two_digit_mnc) {
		mnc3 = mnc2;
		mnc2 = mnc1;
		mnc1 = 0;
	}
	len = snprintf(name, name_size,
		       SNN_PREFIX "mnc%d%d%d.mcc%d%d%d.3gppnetwork.org",
		       mnc1, mnc2, mnc3, mcc1, mcc2, mcc3);
	if (len < 0 || (size_t)len >= name_size) {
		if (name_size)
			name[0] = '\0';
		return -EINVAL;
	}
	return 0;
}

bool snn_valid(const char *name)
{
	size_t len = strnlen(name, SNN_MAX + 1), i;

	if (len > SNN_MAX || len <= strlen(SNN_PREFIX) ||
	    strncmp(name, SNN_PREFIX, strlen(SNN_PREFIX)))
		return false;
	for (i = 0; i < len; i++) {
		/* Printable ASCII but space: no control octets, no UTF-8. */
		if (name[i] < 0x21 || name[i] > 0x7e)
			return false;
	}
	return true;
}
