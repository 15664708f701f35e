// SPDX-License-Identifier: GPL-2.0
/*
 * best/e2m_aka.c: the e2m keys of an AKA run, UMTS and EPS.
 *
 * Inputs: TS 35.208 test set 1 (CK, IK, RAND, SQN xor AK = 55f328b43577),
 * SN id 00 f1 10. The UMTS values are those of `e2mctl e2m-keyset` and
 * `e2mctl air-keys` in cli_test.sh; every expected value was computed
 * independently with Python's hmac module from Documentation/derivations.md
 * (KASME over CK', IK' for KASME').
 */
#include <errno.h>

#include "best/e2m_aka.h"
#include "tap.h"

#define CK	"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK	"f769bcd751044604127672711c6d3441"
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define SQN_AK	"55f328b43577"
#define SN_ID	"00f110"

static uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand_[AKA_RAND_LEN];
static uint8_t sqn_xor_ak[AKA_SQN_LEN], sn_id[SN_ID_LEN];

static struct e2m_aka_input input(enum e2m_aka_kind kind, enum e2m_alg alg)
{
	return (struct e2m_aka_input){
		.kind = kind, .ck = ck, .ik = ik, .rand = rand_,
		.sqn_xor_ak = sqn_xor_ak,
		.sn_id = kind == E2M_AKA_EPS ? sn_id : NULL, .alg = alg,
	};
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void umts(void)
{
	struct e2m_aka_input in = input(E2M_AKA_UMTS, E2M_ALG_AES);
	struct e2m_aka_keys keys;

	ok(e2m_aka_derive(&in, &keys) == 0, "UMTS, AES: derived");
	is_hex(keys.k_enc, sizeof(keys.k_enc),
	       "d048294200fa791d45690010fbd17917", "UMTS K_enc (e2m-keyset)");
	is_hex(keys.k_int, sizeof(keys.k_int),
	       "e79569942531e8d25ab1c2fc9653b206", "UMTS K_int (e2m-keyset)");
	is_hex(keys.ck_prime, sizeof(keys.ck_prime),
	       "79b2d748ab941cb0f5475e0a725c0590", "UMTS CK' (air-keys)");
	is_hex(keys.ik_prime, sizeof(keys.ik_prime),
	       "4415259915a6bd02a8a073b34f46765b", "UMTS IK' (air-keys)");
	ok(all_zero(keys.kasme_prime, sizeof(keys.kasme_prime)),
	   "UMTS: no KASME'");
	in.sn_id = NULL;
	ok(e2m_aka_derive(&in, &keys) == 0, "UMTS needs no SN id");
	in.alg = E2M_ALG_NULL;
	ok(e2m_aka_derive(&in, &keys) == 0, "UMTS, null algorithm");
	is_hex(keys.k_enc, sizeof(keys.k_enc),
	       "f8d52332a28600146e0eab9b0e451f7e", "UMTS K_enc, algorithm 0");
	e2m_aka_keys_wipe(&keys);
	ok(all_zero(&keys, sizeof(keys)), "wipe zeroes the keys");
}

static void eps(void)
{
	struct e2m_aka_input in = input(E2M_AKA_EPS, E2M_ALG_AES);
	struct e2m_aka_keys keys;

	ok(e2m_aka_derive(&in, &keys) == 0, "EPS, AES: derived");
	is_hex(keys.k_enc, sizeof(keys.k_enc),
	       "f53e25f8997fffcebd955371d9536623", "EPS K_enc (from KASME)");
	is_hex(keys.k_int, sizeof(keys.k_int),
	       "c73d9c2c7a0b02203b55adae8d17509d", "EPS K_int (from KASME)");
	is_hex(keys.kasme_prime, sizeof(keys.kasme_prime),
	       "864838ad52dddd233aa68c416fa165fa3e58c6c5d0ec8899524d1611dca2ceb0",
	       "EPS KASME' (KASME over CK', IK')");
	ok(all_zero(keys.ck_prime, sizeof(keys.ck_prime)) &&
	   all_zero(keys.ik_prime, sizeof(keys.ik_prime)),
	   "EPS: CK', IK' not handed out");
	in.alg = E2M_ALG_NULL;
	ok(e2m_aka_derive(&in, &keys) == 0, "EPS, null algorithm");
	is_hex(keys.k_int, sizeof(keys.k_int),
	       "02d72d904adacacca8950ba316e80444", "EPS K_int, algorithm 0");
	e2m_aka_keys_wipe(&keys);
}

static void refusals(void)
{
	struct e2m_aka_input in = input(E2M_AKA_EPS, E2M_ALG_AES);
	struct e2m_aka_keys keys;

	in.sn_id = NULL;
	memset(&keys, 0x5a, sizeof(keys));
	ok(e2m_aka_derive(&in, &keys) == -EINVAL &&
	   all_zero(&keys, sizeof(keys)), "EPS without SN id refused, keys zero");
	in = input(E2M_AKA_UMTS, 4);
	ok(e2m_aka_derive(&in, &keys) == -EINVAL, "algorithm 4 refused");
	in = input(E2M_AKA_UMTS, E2M_ALG_AES);
	in.rand = NULL;
	ok(e2m_aka_derive(&in, &keys) == -EINVAL, "no RAND refused");
	in = input(E2M_AKA_UMTS, E2M_ALG_AES);
	in.sqn_xor_ak = NULL;
	ok(e2m_aka_derive(&in, &keys) == -EINVAL, "no SQN xor AK refused");
	in = input((enum e2m_aka_kind)7, E2M_ALG_AES);
	ok(e2m_aka_derive(&in, &keys) == -EINVAL, "unknown kind refused");
	ok(e2m_aka_derive(NULL, &keys) == -EINVAL, "no input refused");
}

static void amf_and_names(void)
{
	static const uint8_t plain[2] = { 0x00, 0x00 }, e2m[2] = { 0x40, 0x00 };
	static const uint8_t both[2] = { 0xc0, 0x01 }, sep[2] = { 0x80, 0x00 };
	static const uint8_t low[2] = { 0x00, 0x40 };
	enum e2m_aka_kind kind;

	ok(!e2m_amf_has_e2m(plain) && e2m_amf_has_e2m(e2m) &&
	   e2m_amf_has_e2m(both) && !e2m_amf_has_e2m(sep) &&
	   !e2m_amf_has_e2m(low), "AMF bit 1 is the e2m bit (0x4000)");
	ok(!strcmp(e2m_aka_kind_name(E2M_AKA_UMTS), "umts") &&
	   !strcmp(e2m_aka_kind_name(E2M_AKA_EPS), "eps") &&
	   !e2m_aka_kind_name((enum e2m_aka_kind)2), "kind names");
	ok(!e2m_aka_kind_parse("eps", &kind) && kind == E2M_AKA_EPS &&
	   !e2m_aka_kind_parse("umts", &kind) && kind == E2M_AKA_UMTS &&
	   e2m_aka_kind_parse("EPS", &kind) == -EINVAL &&
	   e2m_aka_kind_parse("", &kind) == -EINVAL, "kind names parsed");
}

int main(void)
{
	plan(26);
	unhex(ck, sizeof(ck), CK);
	unhex(ik, sizeof(ik), IK);
	unhex(rand_, sizeof(rand_), RAND);
	unhex(sqn_xor_ak, sizeof(sqn_xor_ak), SQN_AK);
	unhex(sn_id, sizeof(sn_id), SN_ID);
	umts();
	eps();
	refusals();
	amf_and_names();
	return done_testing();
}
