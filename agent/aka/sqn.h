/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence numbers per TS 33.102 Annex C, shared by the AuC and the USIM.
 *
 *	SQN = SEQ || IND	48 bits; IND the low a bits (a = ind_bits,
 *				5 by default, C.1.1), SEQ the high 48 - a
 *
 * HE/AuC (C.1.2, C.3.2): one counter SEQ_HE per subscriber. Each new vector
 * gets SEQ = SEQ_HE + 1 and the next value of a cyclic IND counter (0, 1,
 * ..., 2^a - 1, 0, ...), so no two vectors ever share an SQN.
 *
 * USIM (C.2.2): SEQ_MS(i), the highest SEQ accepted with IND i. An SQN is
 * fresh when SEQ > SEQ_MS(IND); accepting it sets SEQ_MS(IND) = SEQ. Vectors
 * may so arrive out of order across IND values but never twice. The
 * optional limits of C.2.1 (delta) and C.2.2 (age L) are not applied.
 *
 * Resynchronisation (6.3.5, C.3.4): the USIM answers a stale SQN with
 * SQN_MS = the highest SEQ it accepted, with the IND it came with. The AuC
 * makes SEQ_HE at least SEQ_MS so its next vector is fresh; it never goes
 * back, so an SQN it handed out once is never handed out again.
 */
#ifndef E2M_SQN_H
#define E2M_SQN_H

#include <stdbool.h>
#include <stdint.h>

#include "aka.h"
#include "store/store.h"

/* The largest SEQ with a bits of IND: 2^(48 - a) - 1. */
uint64_t sqn_seq_max(unsigned int ind_bits);

/* SQN = SEQ || IND, 6 octets big-endian. */
void sqn_encode(uint8_t sqn[AKA_SQN_LEN], uint64_t seq, uint32_t ind,
		unsigned int ind_bits);
void sqn_decode(const uint8_t sqn[AKA_SQN_LEN], unsigned int ind_bits,
		uint64_t *seq, uint32_t *ind);

/* The 48-bit SQN as a number, for logs and tests. */
uint64_t sqn_value(const uint8_t sqn[AKA_SQN_LEN]);

/*
 * HE: advances the state to the next vector and writes its SQN.
 * -EOVERFLOW when SEQ is exhausted (the state is then unchanged).
 */
int sqn_he_next(struct store_sqn_he *he, uint8_t sqn[AKA_SQN_LEN]);

/*
 * HE: sets the state so that sqn is the last SQN handed out (provisioning
 * a subscriber moved from another HSS). 0 or -EINVAL.
 */
int sqn_he_set_last(struct store_sqn_he *he, const uint8_t sqn[AKA_SQN_LEN]);

/*
 * HE, resynchronisation: SEQ_HE = max(SEQ_HE, SEQ of sqn_ms). True when
 * that changed SEQ_HE.
 */
bool sqn_he_adopt(struct store_sqn_he *he, const uint8_t sqn_ms[AKA_SQN_LEN]);

/* USIM: whether SQN is fresh (C.2.2): SEQ > SEQ_MS(IND). */
bool sqn_ms_fresh(const struct store_sqn_ms *ms,
		  const uint8_t sqn[AKA_SQN_LEN]);

/* USIM: records SQN as accepted: SEQ_MS(IND) = SEQ. */
void sqn_ms_accept(struct store_sqn_ms *ms, const uint8_t sqn[AKA_SQN_LEN]);

/*
 * USIM: SQN_MS for AUTS, the highest SEQ accepted anywhere in the array
 * with its IND (all zero before the first authentication).
 */
void sqn_ms_highest(const struct store_sqn_ms *ms,
		    uint8_t sqn_ms[AKA_SQN_LEN]);

#endif /* E2M_SQN_H */
