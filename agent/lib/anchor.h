/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The anchor keys of the EPS and 5G key agreements, which e2m takes as
 * K_e2m for those versions: KASME (EPS AKA, TS 33.401 A.2) and K_HSE (5G
 * AKA, TS 33.163 5.1.0a). Both return 0 or a negative errno.
 */
#ifndef E2M_ANCHOR_H
#define E2M_ANCHOR_H

#include <stdint.h>

#include "aka.h"

#define ANCHOR_KEY_LEN	32
#define SN_ID_LEN	3	/* MCC and MNC, as in the PLMN identity */

/* KDF(CK || IK, FC 0x10, SN id, SQN xor AK). */
int kasme_derive(uint8_t kasme[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN], const uint8_t sn_id[SN_ID_LEN],
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN]);

/*
 * KDF(CK || IK, FC 0x63, serving network name, SQN xor AK), the name as in
 * TS 33.501 6.1.1.4, e.g. "5G:mnc001.mcc001.3gppnetwork.org".
 */
int k_hse_derive(uint8_t k_hse[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const char *serving_network_name,
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN]);

#endif /* E2M_ANCHOR_H */
