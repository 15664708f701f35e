/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS/AuC: UMTS authentication vectors from Milenage (TS 33.102 6.3.2)
 * with the SQN scheme of aka/sqn.h, and resynchronisation from AUTS
 * (6.3.5).
 *
 * The next SQN is committed to the store, durably, before a vector is
 * built and returned: a crash at any moment can lose an SQN (never used)
 * but can never hand the same one out twice.
 */
#ifndef E2M_AUC_H
#define E2M_AUC_H

#include <stdint.h>

#include "aka.h"
#include "store/store.h"

/*
 * AMF bits the caller may set on top of the subscriber's AMF; bit 0 is the
 * most significant bit of the 16 (TS 33.102 Annex H).
 */
#define AUC_AMF_SEPARATION	0x8000	/* bit 0: E-UTRAN (TS 33.401 6.1.1) */
#define AUC_AMF_E2M		0x4000	/* bit 1: an e2m vector (e2m profile) */

struct auc_vector {
	uint8_t rand[AKA_RAND_LEN];
	uint8_t xres[AKA_RES_LEN];
	uint8_t ck[AKA_CK_LEN];		/* secret */
	uint8_t ik[AKA_IK_LEN];		/* secret */
	uint8_t autn[AKA_AUTN_LEN];
	uint8_t sqn[AKA_SQN_LEN];	/* the SQN in AUTN, in the clear */
	uint8_t amf[AKA_AMF_LEN];	/* the AMF in AUTN */
};

/*
 * A fresh vector for the subscriber whose IMSI or IMPI is id: RAND from
 * RAND_bytes(), the next SQN, AMF = the subscriber's AMF | amf_bits.
 * 0 or -errno: -ENOENT unknown subscriber, -EOVERFLOW SQN exhausted,
 * -EKEYREJECTED the stored K or OPc do not open, store errors. On error
 * the vector is zeroed. Wipe it with auc_vector_wipe() when done.
 */
int auc_vector(struct store *store, const char *id, uint16_t amf_bits,
	       struct auc_vector *vector);

/*
 * Resynchronisation: rand is the RAND of the challenge the USIM refused,
 * auts its AUTS. Verifies MAC-S and moves SEQ_HE up to SEQ_MS if it is
 * behind (never down), durably. 0 or -errno: -EBADMSG MAC-S does not
 * verify (nothing changed), -ENOENT unknown subscriber, store errors.
 */
int auc_resync(struct store *store, const char *id,
	       const uint8_t rand[AKA_RAND_LEN],
	       const uint8_t auts[AKA_AUTS_LEN]);

void auc_vector_wipe(struct auc_vector *vector);

#endif /* E2M_AUC_H */
