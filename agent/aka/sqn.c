// SPDX-License-Identifier: GPL-2.0
/*
 * TS 33.102 Annex C sequence number arithmetic; see sqn.h.
 */
#include <errno.h>

#include "sqn.h"

#define SQN_BITS	48

uint64_t sqn_seq_max(unsigned int ind_bits)
{
	return (UINT64_C(1) << (SQN_BITS - ind_bits)) - 1;
}

static uint32_t ind_slots(unsigned int ind_bits)
{
	return UINT32_C(1) << ind_bits;
}

uint64_t sqn_value(const uint8_t sqn[AKA_SQN_LEN])
{
	uint64_t value = 0;
	unsigned int i;

	for (i = 0; i < AKA_SQN_LEN; i++)
		value = value << 8 | sqn[i];
	return value;
}

void sqn_encode(uint8_t sqn[AKA_SQN_LEN], uint64_t seq, uint32_t ind,
		unsigned int ind_bits)
{
	uint64_t value = seq << ind_bits | (ind & (ind_slots(ind_bits) - 1));
	unsigned int i;

	for (i = 0; i < AKA_SQN_LEN; i++)
		sqn[i] = (uint8_t)(value >> (8 * (AKA_SQN_LEN - 1 - i)));
}

void sqn_decode(const uint8_t sqn[AKA_SQN_LEN], unsigned int ind_bits,
		uint64_t *seq, uint32_t *ind)
{
	uint64_t value = sqn_value(sqn);

	*seq = value >> ind_bits;
	*ind = (uint32_t)(value & (ind_slots(ind_bits) - 1));
}

int sqn_he_next(struct store_sqn_he *he, uint8_t sqn[AKA_SQN_LEN])
{
	if (he->seq >= sqn_seq_max(he->ind_bits))
		return -EOVERFLOW;
	he->seq++;
	sqn_encode(sqn, he->seq, he->ind, he->ind_bits);
	he->ind = (he->ind + 1) & (ind_slots(he->ind_bits) - 1);
	return 0;
}

int sqn_he_set_last(struct store_sqn_he *he, const uint8_t sqn[AKA_SQN_LEN])
{
	uint64_t seq;
	uint32_t ind;

	if (he->ind_bits > STORE_IND_BITS_MAX)
		return -EINVAL;
	sqn_decode(sqn, he->ind_bits, &seq, &ind);
	he->seq = seq;
	he->ind = (ind + 1) & (ind_slots(he->ind_bits) - 1);
	return 0;
}

bool sqn_he_adopt(struct store_sqn_he *he, const uint8_t sqn_ms[AKA_SQN_LEN])
{
	uint64_t seq_ms;
	uint32_t ind_ms;

	sqn_decode(sqn_ms, he->ind_bits, &seq_ms, &ind_ms);
	if (seq_ms <= he->seq)
		return false;
	he->seq = seq_ms;
	return true;
}

bool sqn_ms_fresh(const struct store_sqn_ms *ms,
		  const uint8_t sqn[AKA_SQN_LEN])
{
	uint64_t seq;
	uint32_t ind;

	sqn_decode(sqn, ms->ind_bits, &seq, &ind);
	return seq > ms->seq[ind];
}

void sqn_ms_accept(struct store_sqn_ms *ms, const uint8_t sqn[AKA_SQN_LEN])
{
	uint64_t seq;
	uint32_t ind;

	sqn_decode(sqn, ms->ind_bits, &seq, &ind);
	if (seq > ms->seq[ind])
		ms->seq[ind] = seq;
}

void sqn_ms_highest(const struct store_sqn_ms *ms,
		    uint8_t sqn_ms[AKA_SQN_LEN])
{
	uint32_t i, highest = 0;

	for (i = 1; i < ind_slots(ms->ind_bits); i++) {
		if (ms->seq[i] > ms->seq[highest])
			highest = i;
	}
	sqn_encode(sqn_ms, ms->seq[highest], highest, ms->ind_bits);
}
