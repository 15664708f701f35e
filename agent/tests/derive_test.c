// SPDX-License-Identifier: GPL-2.0
/*
 * The key derivations: GBA NAF keys, NAF_Id and B-TID (gba.c), KASME,
 * K_HSE, K_AUSF, RES* and the serving network name (anchor.c), and the
 * e2m profile rows (ks_local.c, keyset.c, air.c).
 *
 * Inputs: TS 35.208 test set 1 (CK, IK, RAND, SQN ^ AK = 55f328b43577),
 * IMPI "user1_private@home1.net", NAF_Id "naf1.home1.net" || 01 00 00 00 02,
 * Device_ID "imei:490154203237518", B-TID base64(RAND)@bsf.home1.net,
 * SN id 00 f1 10, serving network name "5G:mnc001.mcc001.3gppnetwork.org",
 * RES a54211d5e3ba50bf (test set 1).
 *
 * No published vectors exist for any of these but the GBA example (DIGEST
 * 1.7). Every expected value below was computed independently of lib/ with
 * Python's hmac and hashlib modules from the formulas in
 * Documentation/derivations.md (tests/derive_vectors.py); K_e2m and K_enc
 * for AES were also checked with `openssl mac -digest SHA256 HMAC`.
 */
#include <errno.h>
#include <string.h>

#include "crypto/air.h"
#include "crypto/anchor.h"
#include "crypto/gba.h"
#include "crypto/keyset.h"
#include "crypto/ks_link.h"
#include "crypto/ks_local.h"
#include "tap.h"

static uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand_[AKA_RAND_LEN];
static uint8_t sqn_xor_ak[AKA_SQN_LEN];
static const char impi[] = "user1_private@home1.net";
static const uint8_t ua_http_digest[GBA_UA_ID_LEN] = { 1, 0, 0, 0, 2 };
static uint8_t naf_id[64];
static size_t naf_id_len;
static const char device_id[] = "imei:490154203237518";
static const char btid[] = "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net";

/* Ks_NAF of the GBA example, the key of Ks_local. */
static const char ks_naf_hex[] =
	"7c351b69c4910d2da5a312ad73ce3ac7be6f46165fdb9ffc3494d874aca8a501";
static const char k_e2m_hex[] =
	"07ba01ec40f9a31db0874af154b5f967a296836eeff77632394ea55032e92ecc";

static void test_gba(void)
{
	uint8_t key[GBA_KEY_LEN], small[8];
	char out[64];
	int ret;

	ret = gba_naf_id(naf_id, sizeof(naf_id), "naf1.home1.net",
			 ua_http_digest);
	naf_id_len = ret < 0 ? 0 : (size_t)ret;
	is_hex(naf_id, naf_id_len, "6e6166312e686f6d65312e6e65740100000002",
	       "NAF_Id = FQDN || Ua security protocol id");
	ok(gba_naf_id(small, sizeof(small), "naf1.home1.net",
		      ua_http_digest) == -ENOSPC, "NAF_Id: too small refused");

	ret = gba_ks_naf(key, ck, ik, rand_, impi, naf_id, naf_id_len);
	is_hex(key, sizeof(key), ret ? "error" : ks_naf_hex, "Ks_NAF");
	ret = gba_ks_int_naf(key, ck, ik, rand_, impi, naf_id, naf_id_len);
	is_hex(key, sizeof(key), ret ? "error" :
	       "dc1ceb72700b7c0e17c8eac76838f8bafb134885011e713f782bfca16a2df691",
	       "Ks_int_NAF");

	ret = gba_btid(out, sizeof(out), rand_, "bsf.home1.net");
	ok(ret == (int)strlen(btid) && strcmp(out, btid) == 0,
	   "B-TID = base64(RAND)@BSF");
	ok(gba_btid(out, strlen(btid), rand_, "bsf.home1.net") == -ENOSPC,
	   "B-TID: no room for the NUL refused");
	ok(gba_btid(out, strlen(btid) + 1, rand_, "bsf.home1.net") ==
	   (int)strlen(btid), "B-TID: exactly enough room");
}

static void test_anchor(void)
{
	static const uint8_t sn_id[SN_ID_LEN] = { 0x00, 0xf1, 0x10 };
	uint8_t key[ANCHOR_KEY_LEN];
	int ret;

	ret = kasme_derive(key, ck, ik, sn_id, sqn_xor_ak);
	is_hex(key, sizeof(key), ret ? "error" :
	       "48579af8781c742d5120e6ed8ccac13193f38c53ab7aa69396f49ca6e1b0562d",
	       "KASME");
	ret = k_hse_derive(key, ck, ik, "5G:mnc001.mcc001.3gppnetwork.org",
			   sqn_xor_ak);
	is_hex(key, sizeof(key), ret ? "error" :
	       "a27696ad91c76cf5e608c11809408ad8afeff11e71cf77f6f36dd36b85a4875c",
	       "K_HSE");
}

static void test_5g(void)
{
	static const char snn[] = "5G:mnc001.mcc001.3gppnetwork.org";
	uint8_t key[ANCHOR_KEY_LEN], res_star[AKA_RES_STAR_LEN];
	uint8_t res[AKA_RES_LEN];
	int ret;

	unhex(res, sizeof(res), "a54211d5e3ba50bf");
	ret = kausf_derive(key, ck, ik, snn, sqn_xor_ak);
	is_hex(key, sizeof(key), ret ? "error" :
	       "474698caf02cc715db2ec0726510cfee6caa5bb1a649cb01224f2e23af94de1b",
	       "K_AUSF");
	ret = res_star_derive(res_star, ck, ik, snn, rand_, res);
	is_hex(res_star, sizeof(res_star), ret ? "error" :
	       "f236a7417272bfb2d66d4d670733b527", "RES* (low 128 bits)");
}

/* The serving network name from the PLMN id, TS 24.008 BCD. */
static void test_snn(void)
{
	static const struct {
		const char *plmn, *snn;
	} good[] = {
		{ "00f110", "5G:mnc001.mcc001.3gppnetwork.org" },
		{ "130014", "5G:mnc410.mcc310.3gppnetwork.org" },
		{ "62f210", "5G:mnc001.mcc262.3gppnetwork.org" },
		{ "99f999", "5G:mnc099.mcc999.3gppnetwork.org" },
	};
	static const char *const bad[] = { "0af110", "00f1a0", "00e110",
					   "f0f110", "00f11f" };
	uint8_t plmn[SN_ID_LEN];
	char name[SNN_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unhex(plmn, sizeof(plmn), good[i].plmn);
		ok(snn_from_plmn(name, sizeof(name), plmn) == 0 &&
		   !strcmp(name, good[i].snn), "PLMN %s: %s", good[i].plmn,
		   good[i].snn);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unhex(plmn, sizeof(plmn), bad[i]);
		ok(snn_from_plmn(name, sizeof(name), plmn) == -EINVAL,
		   "PLMN %s: not BCD, refused", bad[i]);
	}
	unhex(plmn, sizeof(plmn), "00f110");
	ok(snn_from_plmn(name, strlen(good[0].snn), plmn) == -EINVAL &&
	   !name[0], "no room for the NUL: refused, empty");
	ok(snn_valid(good[0].snn) && snn_valid("5G:x") &&
	   snn_valid("5G:mnc001.mcc001.3gppnetwork.org:000007ed9d5"),
	   "names taken");
	ok(!snn_valid("5G:") && !snn_valid("5g:mnc001") &&
	   !snn_valid("EPS:mnc001") && !snn_valid("5G:a b") &&
	   !snn_valid("5G:a\tb") && !snn_valid("5G:\xc3\xa9") &&
	   !snn_valid(""), "names refused: prefix, space, control, UTF-8");
	memset(name, 'x', SNN_MAX);
	memcpy(name, "5G:", 3);
	name[SNN_MAX] = '\0';
	ok(snn_valid(name), "a name of SNN_MAX characters taken");
}

static void test_ks_local(void)
{
	uint8_t ks_naf[GBA_KEY_LEN], key[KS_LOCAL_LEN];
	int ret;

	unhex(ks_naf, sizeof(ks_naf), ks_naf_hex);
	ret = ks_local_derive(key, ks_naf, LABEL_KS_LOCAL_DEVICE, btid,
			      naf_id, naf_id_len, device_id);
	is_hex(key, sizeof(key), ret ? "error" :
	       "553fb73acce8b21950d53622f1784d1c503d66b4159e748cc64716bd9db8b440",
	       "Ks_local_device");
	ret = ks_local_derive(key, ks_naf, LABEL_KS_LOCAL_MT, btid, naf_id,
			      naf_id_len, device_id);
	is_hex(key, sizeof(key), ret ? "error" :
	       "9ff3ae89279bcf112e176f55e16816be6fa0ab0c7cd89d42425b456e3dad388d",
	       "Ks_local_MT");
}

/* The keys of a local link from the Ks_local_device above (FC 0xFF 0xE5). */
static void test_ks_link(void)
{
	static const struct {
		const char *k_enc, *k_int;
	} by_alg[] = {
		{ "25a4e6676774ed9d0090c5af5bc4a551",
		  "010c91395a0026217602640c94fabc06" },
		{ "dec59790036f7cf76b72d846d4d80534",
		  "6aafd2b48c39c5565c0af9a22f637b11" },
		{ "f51cda2b9f696f23779f999e03b4d323",
		  "b9f5a8d228d74b7b4613b9031a4c4c00" },
		{ "57093042ed2dc70f70181e4aae17c03a",
		  "53ae0df59edad646df176fe9dce66e42" },
	};
	uint8_t ks_local[KS_LOCAL_LEN], k_enc[KEYSET_KEY_LEN];
	uint8_t k_int[KEYSET_KEY_LEN];
	int ret, alg;

	unhex(ks_local, sizeof(ks_local),
	      "553fb73acce8b21950d53622f1784d1c503d66b4159e748cc64716bd9db8b440");
	for (alg = E2M_ALG_NULL; alg <= E2M_ALG_MAX; alg++) {
		ret = ks_link_derive(k_enc, k_int, ks_local, alg);
		is_hex(k_enc, sizeof(k_enc), ret ? "error" : by_alg[alg].k_enc,
		       "link K_enc, algorithm %d", alg);
		is_hex(k_int, sizeof(k_int), ret ? "error" : by_alg[alg].k_int,
		       "link K_int, algorithm %d", alg);
	}
	ok(ks_link_derive(k_enc, k_int, ks_local, 4) == -EINVAL,
	   "link keys: algorithm 4 refused");
}

static void test_keyset(void)
{
	static const struct {
		const char *k_enc, *k_int;
	} by_alg[] = {
		{ "f8d52332a28600146e0eab9b0e451f7e",
		  "79e37d88356b711750a155a33645ed5e" },
		{ "b82d3b3565ccef9c95baaa7385cc43a6",
		  "5f0fe7a5baf65fde6d994af4e0e11ce3" },
		{ "d048294200fa791d45690010fbd17917",
		  "e79569942531e8d25ab1c2fc9653b206" },
		{ "cf27510aa1a3b255e21baf91c9af6cea",
		  "d324d2da25ab863f977088e19ce825d6" },
	};
	uint8_t k_e2m[K_E2M_LEN], k_enc[KEYSET_KEY_LEN], k_int[KEYSET_KEY_LEN];
	int ret, alg;

	ret = k_e2m_derive(k_e2m, ck, ik, rand_);
	is_hex(k_e2m, sizeof(k_e2m), ret ? "error" : k_e2m_hex, "K_e2m");
	for (alg = E2M_ALG_NULL; alg <= E2M_ALG_MAX; alg++) {
		ret = keyset_derive(k_enc, k_int, k_e2m, alg);
		is_hex(k_enc, sizeof(k_enc), ret ? "error" : by_alg[alg].k_enc,
		       "K_enc, algorithm %d", alg);
		is_hex(k_int, sizeof(k_int), ret ? "error" : by_alg[alg].k_int,
		       "K_int, algorithm %d", alg);
	}
	ret = keyset_key(k_enc, k_e2m, KEYSET_DIST_INT, E2M_ALG_AES);
	is_hex(k_enc, sizeof(k_enc), ret ? "error" : by_alg[2].k_int,
	       "keyset_key() with the integrity distinguisher is K_int");
	ok(keyset_derive(k_enc, k_int, k_e2m, 4) == -EINVAL,
	   "algorithm 4 refused");
	ok(keyset_key(k_enc, k_e2m, 3, E2M_ALG_AES) == -EINVAL,
	   "distinguisher 3 refused");
}

static void test_air(void)
{
	uint8_t ck_prime[AKA_CK_LEN], ik_prime[AKA_IK_LEN];
	int ret;

	ret = air_keys_derive(ck_prime, ik_prime, ck, ik, rand_);
	is_hex(ck_prime, sizeof(ck_prime), ret ? "error" :
	       "79b2d748ab941cb0f5475e0a725c0590", "CK'");
	is_hex(ik_prime, sizeof(ik_prime), ret ? "error" :
	       "4415259915a6bd02a8a073b34f46765b", "IK'");
}

int main(void)
{
	unhex(ck, sizeof(ck), "b40ba9a3c58b2a05bbf0d987b21bf8cb");
	unhex(ik, sizeof(ik), "f769bcd751044604127672711c6d3441");
	unhex(rand_, sizeof(rand_), "23553cbe9637a89d218ae64dae47bf35");
	unhex(sqn_xor_ak, sizeof(sqn_xor_ak), "55f328b43577");

	plan(7 + 2 + 2 + 13 + 2 + 9 + 12 + 2);
	test_gba();
	test_anchor();
	test_5g();
	test_snn();
	test_ks_local();
	test_ks_link();
	test_keyset();
	test_air();
	return done_testing();
}
