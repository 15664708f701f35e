/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MILENAGE, the 3GPP authentication and key generation functions f1, f1*,
 * f2, f3, f4, f5 and f5* (TS 35.206), with the AUTN and AUTS of TS 33.102
 * 6.3 built on them.
 *
 * A struct milenage holds E_K and OPc for one subscriber; the AES key
 * schedule is made once. All functions return 0 or a negative errno:
 * -ENOMEM or -EIO when OpenSSL fails, -EBADMSG when a MAC does not verify.
 */
#ifndef E2M_MILENAGE_H
#define E2M_MILENAGE_H

#include <stdint.h>

#include "aes.h"
#include "aka/aka.h"

struct milenage {
	struct aes128 aes;		/* E_K */
	uint8_t opc[AKA_OP_LEN];
};

/* With the operator variant as OPc (what a USIM or an HSS stores). */
int milenage_init(struct milenage *m, const uint8_t k[AKA_K_LEN],
		  const uint8_t opc[AKA_OP_LEN]);

/* With the operator variant as OP: OPc = OP ^ E_K(OP), left in m->opc. */
int milenage_init_op(struct milenage *m, const uint8_t k[AKA_K_LEN],
		     const uint8_t op[AKA_OP_LEN]);

/* Wipes K's schedule and OPc. Safe after a failed init and twice. */
void milenage_free(struct milenage *m);

/* f1 (MAC-A) and f1* (MAC-S); either output may be NULL. */
int milenage_f1(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		const uint8_t sqn[AKA_SQN_LEN],
		const uint8_t amf[AKA_AMF_LEN],
		uint8_t mac_a[AKA_MAC_LEN],
		uint8_t mac_s[AKA_MAC_LEN]);

/* f2 (RES), f3 (CK), f4 (IK), f5 (AK), f5* (AK*); any output may be NULL. */
int milenage_f2345(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		   uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN],
		   uint8_t ik[AKA_IK_LEN], uint8_t ak[AKA_AK_LEN],
		   uint8_t ak_star[AKA_AK_LEN]);

/* The network side: AUTN = (SQN ^ AK) || AMF || MAC-A. */
int milenage_autn(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		  const uint8_t sqn[AKA_SQN_LEN],
		  const uint8_t amf[AKA_AMF_LEN],
		  uint8_t autn[AKA_AUTN_LEN]);

/*
 * The USIM side: recovers SQN from AUTN and checks MAC-A. 0 with *sqn set,
 * or -EBADMSG with sqn zeroed. Whether SQN is fresh is the caller's
 * business; AMF is AUTN octets 6 and 7, in the clear.
 */
int milenage_check_autn(struct milenage *m,
			const uint8_t rand[AKA_RAND_LEN],
			const uint8_t autn[AKA_AUTN_LEN],
			uint8_t sqn[AKA_SQN_LEN]);

/* The USIM side of resynchronisation: AUTS = (SQN_MS ^ AK*) || MAC-S. */
int milenage_auts(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		  const uint8_t sqn_ms[AKA_SQN_LEN],
		  uint8_t auts[AKA_AUTS_LEN]);

/*
 * The HSS side: recovers SQN_MS from AUTS and checks MAC-S. 0 with *sqn_ms
 * set, or -EBADMSG with sqn_ms zeroed.
 */
int milenage_check_auts(struct milenage *m,
			const uint8_t rand[AKA_RAND_LEN],
			const uint8_t auts[AKA_AUTS_LEN],
			uint8_t sqn_ms[AKA_SQN_LEN]);

#endif /* E2M_MILENAGE_H */
