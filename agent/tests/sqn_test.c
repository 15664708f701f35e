// SPDX-License-Identifier: GPL-2.0
/*
 * TS 33.102 Annex C arithmetic (aka/sqn.c): SEQ || IND packing, the AuC's
 * counter with a cycling IND, the USIM's per-IND freshness, SQN_MS, and
 * resynchronisation never going back.
 */
#include <errno.h>

#include "aka/sqn.h"
#include "tap.h"

static void test_encoding(void)
{
	uint8_t sqn[AKA_SQN_LEN];
	uint64_t seq;
	uint32_t ind;

	sqn_encode(sqn, 1, 0, 5);
	is_hex(sqn, sizeof(sqn), "000000000020", "encode: SEQ 1, IND 0, a = 5");
	sqn_encode(sqn, 0x7fffffffffffULL >> 4, 31, 5);
	is_hex(sqn, sizeof(sqn), "ffffffffffff",
	       "encode: the largest SEQ and IND");
	unhex(sqn, sizeof(sqn), "ff9bb4d0b607");
	sqn_decode(sqn, 5, &seq, &ind);
	ok(seq == 0xff9bb4d0b607ULL >> 5 && ind == 7,
	   "decode: TS 35.208 set 1 SQN is SEQ 0x%llx, IND %u",
	   (unsigned long long)seq, ind);
	sqn_decode(sqn, 0, &seq, &ind);
	ok(seq == 0xff9bb4d0b607ULL && ind == 0, "decode: a = 0, all SEQ");
	ok(sqn_value(sqn) == 0xff9bb4d0b607ULL, "value: 48 bits big-endian");
	ok(sqn_seq_max(5) == (1ULL << 43) - 1 && sqn_seq_max(0) ==
	   (1ULL << 48) - 1, "seq max: 2^(48 - a) - 1");
}

static void test_he(void)
{
	struct store_sqn_he he = { .seq = 0, .ind = 0, .ind_bits = 5 };
	uint8_t sqn[AKA_SQN_LEN], seen[40][AKA_SQN_LEN];
	int i, ret = 0, distinct = 1;

	for (i = 0; i < 40 && !ret; i++)
		ret = sqn_he_next(&he, seen[i]);
	ok(ret == 0 && he.seq == 40 && he.ind == 40 % 32,
	   "he: 40 vectors, SEQ 40, IND cycled to %u", he.ind);
	is_hex(seen[0], AKA_SQN_LEN, "000000000020", "he: first is SEQ 1 IND 0");
	is_hex(seen[31], AKA_SQN_LEN, "00000000041f",
	       "he: 32nd is SEQ 32 IND 31");
	is_hex(seen[32], AKA_SQN_LEN, "000000000420",
	       "he: 33rd is SEQ 33 IND 0 again");
	for (i = 1; i < 40; i++)
		distinct &= sqn_value(seen[i]) > sqn_value(seen[i - 1]);
	ok(distinct, "he: every SQN greater than the one before");

	he.seq = sqn_seq_max(5);
	ret = sqn_he_next(&he, sqn);
	ok(ret == -EOVERFLOW && he.seq == sqn_seq_max(5),
	   "he: SEQ exhausted is -EOVERFLOW, state unchanged");

	unhex(sqn, sizeof(sqn), "ff9bb4d0b607");
	he.ind_bits = 5;
	ok(sqn_he_set_last(&he, sqn) == 0 && sqn_he_next(&he, sqn) == 0 &&
	   sqn_value(sqn) == 0xff9bb4d0b607ULL + 32 + 1,
	   "he: set last SQN, next is SEQ + 1 with the next IND");

	he.seq = 100;
	sqn_encode(sqn, 500, 3, 5);
	ok(sqn_he_adopt(&he, sqn) && he.seq == 500,
	   "he: resync adopts a higher SEQ_MS");
	sqn_encode(sqn, 20, 3, 5);
	ok(!sqn_he_adopt(&he, sqn) && he.seq == 500,
	   "he: resync never goes back to a lower SEQ_MS");
}

static void test_ms(void)
{
	struct store_sqn_ms ms = { .ind_bits = 5 };
	uint8_t sqn[AKA_SQN_LEN];

	sqn_encode(sqn, 1, 0, 5);
	ok(sqn_ms_fresh(&ms, sqn), "ms: SEQ 1 IND 0 fresh at first");
	sqn_ms_accept(&ms, sqn);
	ok(!sqn_ms_fresh(&ms, sqn), "ms: the same SQN again is stale");
	sqn_encode(sqn, 10, 2, 5);
	sqn_ms_accept(&ms, sqn);
	sqn_encode(sqn, 5, 1, 5);
	ok(sqn_ms_fresh(&ms, sqn),
	   "ms: a lower SEQ on another IND is fresh (out of order)");
	sqn_encode(sqn, 9, 2, 5);
	ok(!sqn_ms_fresh(&ms, sqn), "ms: a lower SEQ on the same IND is stale");
	sqn_ms_highest(&ms, sqn);
	is_hex(sqn, sizeof(sqn), "000000000142",
	       "ms: SQN_MS is the highest SEQ accepted (10) with its IND (2)");
	ms.ind_bits = 0;
	ms.seq[0] = 7;
	sqn_encode(sqn, 7, 0, 0);
	ok(!sqn_ms_fresh(&ms, sqn), "ms: a = 0, one plain counter");
}

int main(void)
{
	test_encoding();
	test_he();
	test_ms();
	return done_testing();
}
