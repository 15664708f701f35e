// SPDX-License-Identifier: GPL-2.0
/*
 * AKA between the AuC (aka/auc.c) and the software USIM (aka/usim.c), each
 * on a store of its own, with the TS 35.208 set 1 K and OPc: success with
 * RES == XRES and the same CK, IK; replay refused as a sync failure; the
 * resynchronisation path; wrong K as a MAC failure; GBA_ME and GBA_U, the
 * latter never handing out Ks.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "aka/usim.h"
#include "crypto/gba.h"
#include "crypto/milenage.h"
#include "store_fixture.h"

#define WRONG_K		"000102030405060708090a0b0c0d0e0f"
#define GBA_ME_ICCID	TEST_ICCID
#define GBA_U_ICCID	"8988211000000000002"
#define WRONG_K_ICCID	"8988211000000000003"
#define BSF		"bsf.home1.net"

static struct store_key hss_key, ue_key;
static char hss_path[SCRATCH_PATH_MAX], ue_path[SCRATCH_PATH_MAX];
static struct store *hss, *ue;

static struct usim *open_usim(const char *iccid)
{
	struct usim *usim;

	if (usim_open(&usim, ue, iccid))
		bail("usim_open");
	return usim;
}

static struct auc_vector new_vector(void)
{
	struct auc_vector v;

	if (auc_vector(hss, TEST_IMSI, 0, &v))
		bail("auc_vector");
	return v;
}

static int is_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	while (len--)
		acc |= *p++;
	return acc == 0;
}

static void test_aka(void)
{
	struct usim *usim = open_usim(GBA_ME_ICCID);
	uint8_t res[AKA_RES_LEN], ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t auts[AKA_AUTS_LEN];
	struct auc_vector v = new_vector();
	int ret;

	ok(!strcmp(usim_imsi(usim), TEST_IMSI) && !usim_is_gba_u(usim),
	   "aka: the USIM opened, GBA_ME");
	ret = usim_authenticate(usim, v.rand, v.autn, res, ck, ik, auts);
	ok(ret == USIM_OK, "aka: the USIM accepts the AuC's challenge");
	ok(!CRYPTO_memcmp(res, v.xres, sizeof(res)), "aka: RES == XRES");
	ok(!CRYPTO_memcmp(ck, v.ck, sizeof(ck)) &&
	   !CRYPTO_memcmp(ik, v.ik, sizeof(ik)), "aka: CK and IK equal");
	ok(is_zero(auts, sizeof(auts)), "aka: no AUTS on success");

	/* The same AUTN again, as an attacker replaying it would send it. */
	ret = usim_authenticate(usim, v.rand, v.autn, res, ck, ik, auts);
	ok(ret == USIM_SYNC_FAILURE, "replay: the same AUTN is a sync failure");
	ok(is_zero(res, sizeof(res)) && is_zero(ck, sizeof(ck)) &&
	   is_zero(ik, sizeof(ik)), "replay: no RES, CK or IK");
	{
		uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN], sqn_ms[AKA_SQN_LEN];
		struct milenage m;

		unhex(k, sizeof(k), SET1_K);
		unhex(opc, sizeof(opc), SET1_OPC);
		ret = milenage_init(&m, k, opc) ||
		      milenage_check_auts(&m, v.rand, auts, sqn_ms);
		milenage_free(&m);
		ok(!ret && !memcmp(sqn_ms, v.sqn, sizeof(sqn_ms)),
		   "replay: AUTS carries SQN_MS = the SQN accepted");
	}
	auc_vector_wipe(&v);
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	usim_close(usim);
}

/* IND lets vectors arrive out of order, each at most once. */
static void test_out_of_order(void)
{
	struct usim *usim = open_usim(GBA_ME_ICCID);
	uint8_t res[AKA_RES_LEN], auts[AKA_AUTS_LEN];
	struct auc_vector v[33];
	int i, ret, all_ok = 1;

	for (i = 0; i < 33; i++)
		v[i] = new_vector();
	for (i = 2; i >= 0; i--)
		all_ok &= usim_authenticate(usim, v[i].rand, v[i].autn, res,
					    NULL, NULL, auts) == USIM_OK;
	ok(all_ok, "out of order: vectors 3, 2, 1 (three INDs) all accepted");
	ret = usim_authenticate(usim, v[1].rand, v[1].autn, res, NULL, NULL,
				auts);
	ok(ret == USIM_SYNC_FAILURE, "out of order: vector 2 twice is refused");
	/* v[32] has v[0]'s IND and a higher SEQ. */
	ret = usim_authenticate(usim, v[32].rand, v[32].autn, res, NULL, NULL,
				auts);
	ok(ret == USIM_OK, "out of order: vector 33 (IND of vector 1) accepted");
	ret = usim_authenticate(usim, v[20].rand, v[20].autn, res, NULL, NULL,
				auts);
	ok(ret == USIM_OK, "out of order: vector 21 (an unused IND) accepted");
	for (i = 0; i < 33; i++)
		auc_vector_wipe(&v[i]);
	usim_close(usim);
}

/* The accepted SQNs are on disk: a restarted USIM still refuses them. */
static void test_persisted(void)
{
	struct auc_vector v = new_vector();
	uint8_t res[AKA_RES_LEN], auts[AKA_AUTS_LEN];
	struct usim *usim = open_usim(GBA_ME_ICCID);
	int ret;

	ret = usim_authenticate(usim, v.rand, v.autn, res, NULL, NULL, auts);
	usim_close(usim);
	store_close(ue);
	ue = open_store(ue_path, &ue_key);
	usim = open_usim(GBA_ME_ICCID);
	ok(ret == USIM_OK &&
	   usim_authenticate(usim, v.rand, v.autn, res, NULL, NULL, auts) ==
	   USIM_SYNC_FAILURE,
	   "persisted: after a restart the same AUTN is still refused");
	auc_vector_wipe(&v);
	usim_close(usim);
}

/* USIM ahead of the HSS (HSS restored from an old backup, say). */
static void test_resync(void)
{
	struct usim *usim = open_usim(GBA_ME_ICCID);
	uint8_t res[AKA_RES_LEN], auts[AKA_AUTS_LEN];
	struct auc_vector v;
	int ret;

	store_subscriber_remove(hss, TEST_IMSI);
	add_set1_subscriber(hss, TEST_IMSI, TEST_IMPI);	/* SEQ_HE back to 0 */

	v = new_vector();
	ret = usim_authenticate(usim, v.rand, v.autn, res, NULL, NULL, auts);
	ok(ret == USIM_SYNC_FAILURE,
	   "resync: an HSS behind the USIM gets a sync failure");
	ok(auc_resync(hss, TEST_IMPI, v.rand, auts) == 0,
	   "resync: the AuC verifies AUTS and adopts SQN_MS");
	auc_vector_wipe(&v);
	v = new_vector();
	ret = usim_authenticate(usim, v.rand, v.autn, res, NULL, NULL, auts);
	ok(ret == USIM_OK && !CRYPTO_memcmp(res, v.xres, sizeof(res)),
	   "resync: the next vector is accepted");
	auc_vector_wipe(&v);
	usim_close(usim);
}

static void test_wrong_k(void)
{
	struct usim *usim = open_usim(WRONG_K_ICCID);
	uint8_t res[AKA_RES_LEN], ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t auts[AKA_AUTS_LEN];
	struct auc_vector v = new_vector();
	struct store_usim before, after;
	int ret;

	store_usim_get(ue, WRONG_K_ICCID, &before);
	memset(res, 0xee, sizeof(res));
	ret = usim_authenticate(usim, v.rand, v.autn, res, ck, ik, auts);
	ok(ret == USIM_MAC_FAILURE, "wrong K: MAC failure");
	ok(is_zero(res, sizeof(res)) && is_zero(ck, sizeof(ck)) &&
	   is_zero(auts, sizeof(auts)), "wrong K: nothing handed out");
	store_usim_get(ue, WRONG_K_ICCID, &after);
	ok(!memcmp(&before.pub.sqn, &after.pub.sqn, sizeof(before.pub.sqn)),
	   "wrong K: the USIM's SQN state unchanged");
	store_usim_wipe(&before);
	store_usim_wipe(&after);
	usim_close(usim);

	usim = open_usim(GBA_ME_ICCID);
	v.autn[AKA_AUTN_LEN - 1] ^= 0x01;
	ret = usim_authenticate(usim, v.rand, v.autn, res, ck, ik, auts);
	ok(ret == USIM_MAC_FAILURE, "tampered MAC-A: MAC failure");
	auc_vector_wipe(&v);
	usim_close(usim);
}

static int naf_id(uint8_t *out, size_t size, const char *fqdn)
{
	static const uint8_t http_digest[GBA_UA_ID_LEN] = { 1, 0, 0, 0, 2 };
	int len = gba_naf_id(out, size, fqdn, http_digest);

	if (len < 0)
		bail("gba_naf_id");
	return len;
}

/* GBA_ME: the ME makes Ks_NAF from CK, IK; the BSF does the same. */
static void test_gba_me(void)
{
	struct usim *usim = open_usim(GBA_ME_ICCID);
	uint8_t res[AKA_RES_LEN], ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t auts[AKA_AUTS_LEN], id[300];
	uint8_t me_key[GBA_KEY_LEN], bsf_key[GBA_KEY_LEN];
	struct auc_vector v = new_vector();
	int len = naf_id(id, sizeof(id), "naf1.home1.net");
	int ret;

	ret = usim_authenticate(usim, v.rand, v.autn, res, ck, ik, auts);
	ret = ret || gba_ks_naf(me_key, ck, ik, v.rand, usim_impi(usim), id,
				(size_t)len);
	ret = ret || gba_ks_naf(bsf_key, v.ck, v.ik, v.rand, TEST_IMPI, id,
				(size_t)len);
	ok(!ret && !CRYPTO_memcmp(me_key, bsf_key, sizeof(me_key)),
	   "GBA_ME: the ME's Ks_NAF equals the BSF's");
	ok(usim_gba_u_bootstrap(usim, v.rand, v.autn, res, auts) ==
	   -EOPNOTSUPP, "GBA_ME: a GBA_U bootstrap is -EOPNOTSUPP");
	ok(usim_gba_u_uicc_key(usim, id, (size_t)len, 0, me_key) ==
	   -EOPNOTSUPP && is_zero(me_key, sizeof(me_key)),
	   "GBA_ME: no Ks_int_NAF for a UICC client: -EOPNOTSUPP");
	auc_vector_wipe(&v);
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	OPENSSL_cleanse(me_key, sizeof(me_key));
	OPENSSL_cleanse(bsf_key, sizeof(bsf_key));
	usim_close(usim);
}

/* Whether any 8 consecutive octets of secret occur in out. */
static int shares_octets(const uint8_t *out, size_t out_len,
			 const uint8_t *secret, size_t secret_len)
{
	size_t i, j;

	for (i = 0; i + 8 <= secret_len; i++)
		for (j = 0; j + 8 <= out_len; j++)
			if (!memcmp(out + j, secret + i, 8))
				return 1;
	return 0;
}

static void test_gba_u(void)
{
	struct usim *usim = open_usim(GBA_U_ICCID);
	uint8_t res[AKA_RES_LEN], auts[AKA_AUTS_LEN], id[300];
	uint8_t ks[STORE_KS_LEN], ks_ext_naf[GBA_KEY_LEN];
	uint8_t bsf_ext[GBA_KEY_LEN], bsf_int[GBA_KEY_LEN], ks_int[GBA_KEY_LEN];
	char btid[STORE_BTID_MAX + 1];
	struct auc_vector v = new_vector();
	int len = naf_id(id, sizeof(id), "naf1.home1.net");
	int ret;

	memcpy(ks, v.ck, AKA_CK_LEN);
	memcpy(ks + AKA_CK_LEN, v.ik, AKA_IK_LEN);
	ok(usim_is_gba_u(usim), "GBA_U: the USIM is GBA_U aware");
	ret = usim_gba_u_bootstrap(usim, v.rand, v.autn, res, auts);
	ok(ret == USIM_OK && !CRYPTO_memcmp(res, v.xres, sizeof(res)),
	   "GBA_U: bootstrap gives RES == XRES");
	ok(!shares_octets(res, sizeof(res), ks, sizeof(ks)),
	   "GBA_U: and nothing of Ks");

	ret = usim_gba_u_naf_key(usim, id, (size_t)len, 0, ks_ext_naf);
	ok(ret == -ENOENT && is_zero(ks_ext_naf, sizeof(ks_ext_naf)),
	   "GBA_U: no NAF key before the ME hands over the B-TID");
	ok(usim_gba_u_set_btid(usim, "AAAAAAAAAAAAAAAAAAAAAA==@" BSF, 2000) ==
	   -EINVAL, "GBA_U: a B-TID of another RAND is refused");
	gba_btid(btid, sizeof(btid), v.rand, BSF);
	ok(usim_gba_u_set_btid(usim, btid, 2000) == 0,
	   "GBA_U: the ME hands over B-TID and lifetime");

	ret = usim_gba_u_naf_key(usim, id, (size_t)len, 1000, ks_ext_naf);
	ret = ret || gba_ks_naf(bsf_ext, v.ck, v.ik, v.rand, TEST_IMPI, id,
				(size_t)len);
	ret = ret || gba_ks_int_naf(bsf_int, v.ck, v.ik, v.rand, TEST_IMPI,
				    id, (size_t)len);
	ok(!ret && !CRYPTO_memcmp(ks_ext_naf, bsf_ext, sizeof(bsf_ext)),
	   "GBA_U: Ks_ext_NAF equals the BSF's");
	ok(!shares_octets(ks_ext_naf, sizeof(ks_ext_naf), ks, sizeof(ks)) &&
	   !shares_octets(ks_ext_naf, sizeof(ks_ext_naf), bsf_int,
			  sizeof(bsf_int)),
	   "GBA_U: nothing of Ks or Ks_int_NAF handed out with it");
	ret = usim_gba_u_naf_key(usim, id, (size_t)len, 2000, ks_ext_naf);
	ok(ret == -EKEYEXPIRED && is_zero(ks_ext_naf, sizeof(ks_ext_naf)),
	   "GBA_U: no NAF key once the lifetime is over");
	ok(usim_gba_u_naf_key(usim, id, 3, 1000, ks_ext_naf) == -EINVAL,
	   "GBA_U: a NAF_Id without its Ua id is -EINVAL");
	ret = usim_gba_u_uicc_key(usim, id, (size_t)len, 1000, ks_int);
	ok(ret == 0 && !CRYPTO_memcmp(ks_int, bsf_int, sizeof(bsf_int)),
	   "GBA_U: the UICC's own client gets Ks_int_NAF, the BSF's");
	ret = usim_gba_u_uicc_key(usim, id, (size_t)len, 2000, ks_int);
	ok(ret == -EKEYEXPIRED && is_zero(ks_int, sizeof(ks_int)),
	   "GBA_U: and none once the lifetime is over");

	/* A restart keeps the bootstrap, still sealed on disk. */
	usim_close(usim);
	store_close(ue);
	ok(!store_files_contain(ue_path, ks, sizeof(ks)) &&
	   !store_files_contain(ue_path, v.ck, sizeof(v.ck)) &&
	   !store_files_contain(ue_path, v.ik, sizeof(v.ik)),
	   "GBA_U: Ks, CK, IK are not in the USIM's store in the clear");
	ue = open_store(ue_path, &ue_key);
	usim = open_usim(GBA_U_ICCID);
	ret = usim_gba_u_naf_key(usim, id, (size_t)len, 1000, ks_ext_naf);
	ok(ret == 0 && !CRYPTO_memcmp(ks_ext_naf, bsf_ext, sizeof(bsf_ext)),
	   "GBA_U: after a restart the same Ks_ext_NAF");

	auc_vector_wipe(&v);
	OPENSSL_cleanse(ks, sizeof(ks));
	OPENSSL_cleanse(ks_ext_naf, sizeof(ks_ext_naf));
	OPENSSL_cleanse(bsf_ext, sizeof(bsf_ext));
	OPENSSL_cleanse(bsf_int, sizeof(bsf_int));
	OPENSSL_cleanse(ks_int, sizeof(ks_int));
	usim_close(usim);
}

int main(void)
{
	struct usim *usim;

	scratch_make("usim_test");
	snprintf(hss_path, sizeof(hss_path), "%s", scratch_path("hss.db"));
	snprintf(ue_path, sizeof(ue_path), "%s", scratch_path("ue.db"));
	test_key(&hss_key, 0x42);
	test_key(&ue_key, 0x24);
	hss = open_store(hss_path, &hss_key);
	ue = open_store(ue_path, &ue_key);
	add_set1_subscriber(hss, TEST_IMSI, TEST_IMPI);
	add_set1_usim(ue, GBA_ME_ICCID, SET1_K, 0);
	add_set1_usim(ue, GBA_U_ICCID, SET1_K, STORE_USIM_GBA_U);
	add_set1_usim(ue, WRONG_K_ICCID, WRONG_K, 0);

	ok(usim_open(&usim, ue, "8988211000000000099") == -ENOENT && !usim,
	   "open: an unknown ICCID is -ENOENT");
	test_aka();
	test_out_of_order();
	test_persisted();
	test_resync();
	test_wrong_k();
	test_gba_me();
	test_gba_u();

	store_close(hss);
	store_close(ue);
	store_key_wipe(&hss_key);
	store_key_wipe(&ue_key);
	scratch_remove();
	return done_testing();
}
