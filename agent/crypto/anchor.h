/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The anchor keys of the EPS and 5G key agreements, which e2m takes as
 * K_e2m for those versions: KASME (EPS AKA, TS 33.401 A.2) and K_HSE (5G
 * AKA, TS 33.163 5.1.0a); and what a 5G serving network gets of a run,
 * K_AUSF (TS 33.501 A.2) and XRES* (A.4), with the serving network name
 * they are bound to (TS 33.501 6.1.1.4). All return 0 or a negative errno.
 */
#ifndef E2M_ANCHOR_H
#define E2M_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

#define ANCHOR_KEY_LEN	32
#define SN_ID_LEN	3	/* MCC and MNC, as in the PLMN identity */
/*
 * The longest serving network name e2m takes, without the NUL. The PLMN
 * form is 32 characters; the bound leaves room for a network identifier
 * (SNPN, TS 24.501 9.12.1) and keeps a peer from handing the KDF a book.
 */
#define SNN_MAX		128
#define SNN_PREFIX	"5G:"

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

/* KDF(CK || IK, FC 0x6A, serving network name, SQN xor AK). */
int kausf_derive(uint8_t kausf[ANCHOR_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const char *serving_network_name,
		 const uint8_t sqn_xor_ak[AKA_SQN_LEN]);

/*
 * RES* (the UE, from RES) or XRES* (the home network, from XRES): the last
 * 128 bits of KDF(CK || IK, FC 0x6B, serving network name, RAND, RES).
 */
int res_star_derive(uint8_t res_star[AKA_RES_STAR_LEN],
		    const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		    const char *serving_network_name,
		    const uint8_t rand[AKA_RAND_LEN],
		    const uint8_t res[AKA_RES_LEN]);

/*
 * The serving network name of a PLMN, "5G:mnc<MNC>.mcc<MCC>.3gppnetwork.org"
 * with the MNC always in three digits (a two-digit MNC gets a leading 0),
 * from the PLMN id in the BCD octets of TS 24.008 10.5.1.13 (MCC 001, MNC
 * 01: 00 f1 10). 0, or -EINVAL when a digit is not 0-9 (the filler F is
 * taken in the third MNC digit only) or name_size is too small.
 */
int snn_from_plmn(char *name, size_t name_size,
		  const uint8_t plmn[SN_ID_LEN]);

/*
 * Whether name may be a serving network name: "5G:" and more, at most
 * SNN_MAX printable ASCII characters, no space. What the HSS takes from a
 * serving network it does not otherwise check.
 */
bool snn_valid(const char *name);

#endif /* E2M_ANCHOR_H */
