// SPDX-License-Identifier: GPL-2.0
/*
 * KASME and K_HSE.
 */
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

int k_hse_derive(uint8_t k_hse[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const char *serving_network_name,
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN])
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_K_HSE);
	kdf_add_string(&kdf, serving_network_name);
	kdf_add(&kdf, sqn_xor_ak, AKA_SQN_LEN);
	ret = kdf_derive_ck_ik(&kdf, ck, ik, k_hse);
	kdf_free(&kdf);
	return ret;
}
