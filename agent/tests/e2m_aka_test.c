// SPDX-License-Identifier: GPL-2.0
/*
 * best/e2m_aka.c: the e2m keys of an AKA run, UMTS, EPS and 5G.
 *
 * Inputs: TS 35.208 test set 1 (CK, IK, RAND, RES, SQN xor AK =
 * 55f328b43577), SN id 00 f1 10, serving network name
 * "5G:mnc001.mcc001.3gppnetwork.org". The UMTS values are those of `e2mctl e2m-keyset` and
 * `e2mctl air-keys` in cli_test.sh; every expected value was computed
 * independently with Python's hmac module from Documentation/derivations.md
 * (KASME over CK', IK' for KASME'; K_HSE, K_AUSF and RES* as in
 * TS 33.163 5.1.0a and TS 33.501 A.2, A.4).
 *
 * One published 5G vector besides (the TS 35.208 style Milenage output of
 * K 00112233445566778899aabbccddeeff, OPc 62e75b8d6fa5bf46ec87a9276f9df54d,
 * RAND 00112233445566778899aabbccddeeff, SQN 1, AMF 8000, as several
 * independent 5G core test suites print it, MCC 001, MNC 01): its RES*.
 */
#include <errno.h>

#include "aka/e2m_aka.h"
#include "tap.h"

#define CK	"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK	"f769bcd751044604127672711c6d3441"
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define SQN_AK	"55f328b43577"
#define SN_ID	"00f110"
#define RES	"a54211d5e3ba50bf"
#define SNN	"5G:mnc001.mcc001.3gppnetwork.org"

static uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand_[AKA_RAND_LEN];
static uint8_t sqn_xor_ak[AKA_SQN_LEN], sn_id[SN_ID_LEN];
static uint8_t res[AKA_RES_LEN];

static struct e2m_aka_input input(enum e2m_aka_kind kind, enum e2m_alg alg)
{
	return (struct e2m_aka_input){
		.kind = kind, .ck = ck, .ik = ik, .rand = rand_,
		.sqn_xor_ak = sqn_xor_ak,
		.sn_id = kind == E2M_AKA_EPS ? sn_id : NULL,
		.snn = kind == E2M_AKA_5G ? SNN : NULL,
		.res = kind == E2M_AKA_5G ? res : NULL, .alg = alg,
	};
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

static void five_g(void)
{
	struct e2m_aka_input in = input(E2M_AKA_5G, E2M_ALG_AES);
	struct e2m_aka_keys keys;

	ok(e2m_aka_derive(&in, &keys) == 0, "5G, AES: derived");
	is_hex(keys.k_enc, sizeof(keys.k_enc),
	       "46313f3e5398df0ed86f43d64bb092c6", "5G K_enc (from K_HSE)");
	is_hex(keys.k_int, sizeof(keys.k_int),
	       "9dd76e8d99388da428b1782f300c3edc", "5G K_int (from K_HSE)");
	is_hex(keys.res_star, sizeof(keys.res_star),
	       "f236a7417272bfb2d66d4d670733b527", "5G RES* (A.4)");
	is_hex(keys.kausf, sizeof(keys.kausf),
	       "474698caf02cc715db2ec0726510cfee6caa5bb1a649cb01224f2e23af94de1b",
	       "5G K_AUSF (A.2)");
	ok(all_zero(keys.ck_prime, sizeof(keys.ck_prime)) &&
	   all_zero(keys.ik_prime, sizeof(keys.ik_prime)) &&
	   all_zero(keys.kasme_prime, sizeof(keys.kasme_prime)),
	   "5G: no CK', IK', KASME'");
	in.alg = E2M_ALG_NULL;
	ok(e2m_aka_derive(&in, &keys) == 0, "5G, null algorithm");
	is_hex(keys.k_enc, sizeof(keys.k_enc),
	       "9f107799286545401f18ee62cb69a328", "5G K_enc, algorithm 0");
	in = input(E2M_AKA_5G, E2M_ALG_AES);
	in.snn = NULL;
	memset(&keys, 0x5a, sizeof(keys));
	ok(e2m_aka_derive(&in, &keys) == -EINVAL &&
	   all_zero(&keys, sizeof(keys)), "5G without SNN refused, keys zero");
	in = input(E2M_AKA_5G, E2M_ALG_AES);
	in.res = NULL;
	ok(e2m_aka_derive(&in, &keys) == -EINVAL, "5G without RES refused");
	e2m_aka_keys_wipe(&keys);
}

/* RES* of a vector published by others (see the top of this file). */
static void five_g_published(void)
{
	uint8_t ck1[AKA_CK_LEN], ik1[AKA_IK_LEN], rand1[AKA_RAND_LEN];
	uint8_t res1[AKA_RES_LEN], sqn_ak1[AKA_SQN_LEN];
	uint8_t res_star[AKA_RES_STAR_LEN], kausf[ANCHOR_KEY_LEN];
	struct e2m_aka_input in = {
		.kind = E2M_AKA_5G, .ck = ck1, .ik = ik1, .rand = rand1,
		.sqn_xor_ak = sqn_ak1, .snn = SNN, .res = res1,
	};

	unhex(ck1, sizeof(ck1), "b379874b3d183d2a21291d439e7761e1");
	unhex(ik1, sizeof(ik1), "f4706f66629cf7ddf881d80025bf1255");
	unhex(rand1, sizeof(rand1), "00112233445566778899aabbccddeeff");
	unhex(res1, sizeof(res1), "700eb2300b2c4799");
	unhex(sqn_ak1, sizeof(sqn_ak1), "de656c8b0bcf");
	ok(e2m_aka_5g_serving_keys(&in, res_star, kausf) == 0,
	   "published vector: serving keys derived");
	is_hex(res_star, sizeof(res_star), "31b6d938a5290ccc65bc829f9820a8d9",
	       "published vector: XRES*");
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
	   !strcmp(e2m_aka_kind_name(E2M_AKA_5G), "5g") &&
	   !e2m_aka_kind_name((enum e2m_aka_kind)3), "kind names");
	ok(!e2m_aka_kind_parse("eps", &kind) && kind == E2M_AKA_EPS &&
	   !e2m_aka_kind_parse("umts", &kind) && kind == E2M_AKA_UMTS &&
	   !e2m_aka_kind_parse("5g", &kind) && kind == E2M_AKA_5G &&
	   e2m_aka_kind_parse("EPS", &kind) == -EINVAL &&
	   e2m_aka_kind_parse("5G", &kind) == -EINVAL &&
	   e2m_aka_kind_parse("", &kind) == -EINVAL, "kind names parsed");
}

int main(void)
{
	plan(38);
	unhex(ck, sizeof(ck), CK);
	unhex(ik, sizeof(ik), IK);
	unhex(rand_, sizeof(rand_), RAND);
	unhex(sqn_xor_ak, sizeof(sqn_xor_ak), SQN_AK);
	unhex(sn_id, sizeof(sn_id), SN_ID);
	unhex(res, sizeof(res), RES);
	umts();
	eps();
	five_g();
	five_g_published();
	refusals();
	amf_and_names();
	return done_testing();
}
