// SPDX-License-Identifier: GPL-2.0
/*
 * The profile update (proto/keyupdate/profile_update.c) and the USIM's
 * side of a key update session (ue/usim_update.c), end to end in process:
 * the OCE (the provisioning server's part, written out here from scp11a.h
 * and scp11a_sm.h) authenticates with the USIM, sends new K and OPc under
 * S-DEK with an update counter, checks the result's KCVs; the keys are
 * pending in the USIM's store, the next AKA under them makes them current
 * and the old ones then fail. The request's bytes are those of the yubikit
 * transcript's PUT KEY (tests/keyupdate_sm_test.c), the KCVs GP's. Then
 * the refusals of item 5 of issue 15 that concern the USIM: wrong profile,
 * replayed counter, an update while one is pending, bad C-MAC, an OCE
 * certificate of another CA, an OCE without the key of its certificate
 * (bad receipt), commands out of order, a malformed MUTUAL AUTHENTICATE;
 * and the parser's own. The OCE first sends its certificate, made here
 * under a CA-KLOC the USIM trusts.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "aka/usim.h"
#include "crypto/scp11a_sm.h"
#include "proto/keyupdate/profile_update.h"
#include "keyupdate_fixture.h"
#include "store_fixture.h"
#include "ue/usim_update.h"
#include "usim_challenge.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"

static struct store *ue;
static struct keyupdate_pki pki;
static X509 *oce_cert, *foreign_cert, *wrong_key_cert;

/* The OCE's side of one session. */
struct oce {
	struct usim_update *usim;
	struct scp11a_keys keys;
	struct scp_sm sm;
};

/* PERFORM SECURITY OPERATION with cert (extended Lc): the SW. */
static uint16_t send_cert(struct oce *o, X509 *cert, uint8_t p2)
{
	uint8_t apdu[7 + 2048], resp[USIM_UPDATE_RESP_MAX], *p = apdu + 7;
	int der_len = i2d_X509(cert, NULL);
	size_t len;

	if (der_len <= 0 || der_len > 2048 || i2d_X509(cert, &p) != der_len)
		bail("i2d_X509");
	memcpy(apdu, "\x80\x2a\x01\x10\x00", 5);
	apdu[3] |= p2;
	apdu[5] = (uint8_t)(der_len >> 8);
	apdu[6] = (uint8_t)der_len;
	usim_update_handle(o->usim, apdu, 7 + (size_t)der_len, resp,
			   sizeof(resp), &len);
	return len == 2 ? (uint16_t)(resp[0] << 8 | resp[1]) : 0;
}

/*
 * The OCE's certificate, then MUTUAL AUTHENTICATE; 0, -EKEYREJECTED (the
 * USIM refused the certificate) or the OCE's error (the receipt).
 */
static int oce_open(struct oce *o, X509 *cert)
{
	uint8_t apdu[5 + SCP11A_AUTH_DATA_LEN], resp[USIM_UPDATE_RESP_MAX];
	EVP_PKEY *eph;
	size_t len;
	int ret;

	memset(o, 0, sizeof(*o));
	if (usim_update_new(&o->usim, ue, TEST_ICCID, pki.sk_sd, pki.ca_kloc))
		bail("session");
	if (send_cert(o, cert, 0) != KU_SW_OK)
		return -EKEYREJECTED;
	if (scp11a_key_generate(&eph))
		bail("session");
	apdu[0] = KU_CLA;
	apdu[1] = KU_INS_MUTUAL_AUTH;
	apdu[2] = 0x01;
	apdu[3] = SCP11A_SCP_ID;
	apdu[4] = SCP11A_AUTH_DATA_LEN;
	scp11a_oce_auth_data(apdu + 5, eph);
	ret = usim_update_handle(o->usim, apdu, sizeof(apdu), resp,
				 sizeof(resp), &len);
	if (!ret && (len != SCP11A_AUTH_RESP_LEN + 2 ||
		     resp[len - 2] != 0x90 || resp[len - 1] != 0x00))
		ret = -EPROTO;
	if (!ret)
		ret = scp11a_oce_complete(&o->keys, apdu + 5, resp, len - 2,
					  eph, pki.sk_oce, pki.pk_sd);
	if (!ret)
		scp_sm_init(&o->sm, &o->keys, scp11a_resp_receipt(resp));
	EVP_PKEY_free(eph);
	return ret;
}

static void oce_close(struct oce *o)
{
	usim_update_free(o->usim);
	scp11a_keys_wipe(&o->keys);
	scp_sm_wipe(&o->sm);
}

/* One profile update; the SW, with the result parsed into res on 9000. */
static uint16_t oce_update(struct oce *o, const char *imsi, uint32_t counter,
			   const char *k_hex, const char *opc_hex,
			   struct ku_update_result *res)
{
	struct ku_update_request req = { .counter = counter };
	uint8_t k[16], opc[16], data[KU_REQUEST_MAX];
	uint8_t apdu[SCP_SM_APDU_MAX], resp[USIM_UPDATE_RESP_MAX];
	uint8_t plain[SCP_SM_PADDED_MAX];
	struct scp_apdu cmd = {
		.cla = KU_CLA, .ins = KU_INS_PROFILE_UPDATE,
		.p1 = KU_P1_PROFILE_UPDATE, .p2 = KU_P2_PROFILE_UPDATE,
		.data = data,
	};
	size_t len, plain_len;
	uint16_t sw = 0;

	strcpy(req.iccid, TEST_ICCID);
	strcpy(req.imsi, imsi);
	unhex(k, 16, k_hex);
	unhex(opc, 16, opc_hex);
	if (scp_dek_wrap(o->keys.s_dek, k, 16, req.wrapped_k) ||
	    scp_dek_wrap(o->keys.s_dek, opc, 16, req.wrapped_opc) ||
	    ku_update_request_build(&req, data, sizeof(data), &cmd.len) ||
	    scp_sm_wrap_command(&o->sm, &cmd, apdu, sizeof(apdu), &len))
		bail("building the update");
	if (usim_update_handle(o->usim, apdu, len, resp, sizeof(resp), &len) ||
	    scp_sm_unwrap_response(&o->sm, resp, len, plain, &plain_len, &sw))
		return 0;
	if (sw == KU_SW_OK && ku_update_result_parse(res, plain, plain_len))
		return 1;
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return sw;
}

static struct store_usim stored(void)
{
	struct store_usim usim;

	if (store_usim_get(ue, TEST_ICCID, &usim))
		bail("store_usim_get");
	return usim;
}

static void test_codec(void)
{
	struct ku_update_request req = { .counter = 1 }, back;
	struct ku_update_result res = { .counter = 7 }, rback;
	uint8_t out[KU_REQUEST_MAX + 1], kcv[KU_KCV_LEN], key[16];
	size_t len;

	strcpy(req.iccid, "89000123456789012341");
	strcpy(req.imsi, "001010000000001");
	unhex(req.wrapped_k, 16, "fc8ae3451b5471bee31300f5f25b277c");
	unhex(req.wrapped_opc, 16, "902cf5a44b8a6771fe47916eaeb322a2");
	ok(ku_update_request_build(&req, out, sizeof(out), &len) == 0,
	   "codec: request built");
	is_hex(out, len,
	       "c00a98001032547698103214c10f303031303130303030303030303031"
	       "c210fc8ae3451b5471bee31300f5f25b277c"
	       "c310902cf5a44b8a6771fe47916eaeb322a2c40400000001",
	       "codec: request as the yubikit transcript's PUT KEY data");
	ok(ku_update_request_parse(&back, out, len) == 0 &&
	   !memcmp(&back, &req, sizeof(req)), "codec: request parses back");
	ok(ku_update_request_build(&req, out, len - 1, &len) == -EMSGSIZE,
	   "codec: a buffer too small");

	strcpy(res.iccid, "8988211000000000001");
	memcpy(res.kcv_k, "\xc3\x52\x80", 3);
	memcpy(res.kcv_opc, "\x01\x38\x08", 3);
	ok(ku_update_result_build(&res, out, sizeof(out), &len) == 0,
	   "codec: result built");
	is_hex(out, len, "c00a988812010000000000f1c40400000007"
			 "c803c35280c903013808",
	       "codec: result, odd ICCID F-padded");
	ok(ku_update_result_parse(&rback, out, len) == 0 &&
	   !memcmp(&rback, &res, sizeof(res)), "codec: result parses back");

	unhex(key, 16, "000102030405060708090a0b0c0d0e0f");
	ok(ku_kcv(key, kcv) == 0, "kcv: computed");
	is_hex(kcv, 3, "c35280", "kcv: of 00..0f, as GlobalPlatform's");
	unhex(key, 16, "101112131415161718191a1b1c1d1e1f");
	ku_kcv(key, kcv);
	is_hex(kcv, 3, "013808", "kcv: of 10..1f");

	/* Refusals. */
	ku_update_request_build(&req, out, sizeof(out), &len);
	ok(ku_update_request_parse(&back, out, len - 1) == -EPROTO,
	   "parse: truncated");
	out[len] = 0;		/* out has room for one more */
	ok(ku_update_request_parse(&back, out, len + 1) == -EPROTO,
	   "parse: an octet after the last TLV");
	out[2] = 0xf8;
	ok(ku_update_request_parse(&back, out, len) == -EPROTO,
	   "parse: an F nibble inside the ICCID");
	out[2] = 0x98;
	out[12 + 2] = 'x';
	ok(ku_update_request_parse(&back, out, len) == -EPROTO,
	   "parse: an IMSI that is not digits");
	out[12 + 2 + 9] = '\0';
	ok(ku_update_request_parse(&back, out, len) == -EPROTO,
	   "parse: a NUL inside the IMSI");
	out[12 + 2 + 9] = '0';
	out[12 + 2] = '0';
	out[12] = KU_TAG_K;
	ok(ku_update_request_parse(&back, out, len) == -EPROTO,
	   "parse: TLVs out of order");
	out[12] = KU_TAG_IMSI;
	out[13] = 0x81;
	ok(ku_update_request_parse(&back, out, len) == -EPROTO,
	   "parse: a long-form length");
	out[13] = 0x0f;
	out[len - 5] = 3;
	ok(ku_update_request_parse(&back, out, len - 1) == -EPROTO &&
	   back.counter == 0 && back.iccid[0] == '\0',
	   "parse: a 3-octet counter, and nothing left in the output");
}

/* One AKA of the network under k/opc for SEQ seq, against the UE's USIM. */
static int aka(const char *k_hex, const char *opc_hex, uint64_t seq)
{
	int ret = usim_aka_once(ue, TEST_ICCID, k_hex, opc_hex, seq);

	if (ret < 0)
		bail("the network's AKA");
	return ret;
}

static void test_update(void)
{
	struct ku_update_result res;
	uint8_t key[16], kcv[3];
	struct store_usim u;
	struct oce o;

	ok(oce_open(&o, oce_cert) == 0,
	   "session: MUTUAL AUTHENTICATE, the OCE checks the receipt");
	ok(oce_update(&o, TEST_IMSI, 1, NEW_K, NEW_OPC, &res) == KU_SW_OK,
	   "update: SW 9000 under R-MAC");
	unhex(key, 16, NEW_K);
	ku_kcv(key, kcv);
	ok(!strcmp(res.iccid, TEST_ICCID) && res.counter == 1 &&
	   !memcmp(res.kcv_k, kcv, 3),
	   "update: the result names the profile, the counter, K's KCV");
	unhex(key, 16, NEW_OPC);
	ku_kcv(key, kcv);
	ok(!memcmp(res.kcv_opc, kcv, 3), "update: and OPc's KCV");
	u = stored();
	ok(u.pub.has_pending && u.pub.update_counter == 1,
	   "update: the keys are pending in the store");
	is_hex(u.pending_k, 16, NEW_K, "update: the pending K as sent");
	is_hex(u.k, 16, SET1_K, "update: the current K unchanged");
	ok(oce_update(&o, TEST_IMSI, 1, NEW_K, NEW_OPC, &res) == KU_SW_OK,
	   "update: sent again (its answer lost), answered again");
	ok(oce_update(&o, TEST_IMSI, 2, NEW_OPC, NEW_K, &res) ==
	   KU_SW_PENDING, "refused: a newer update while one is pending");
	oce_close(&o);

	ok(oce_open(&o, oce_cert) == 0, "session 2: open");
	ok(oce_update(&o, "001010000000002", 2, NEW_OPC, NEW_K, &res) ==
	   KU_SW_NO_PROFILE, "refused: another IMSI (wrong profile)");
	oce_close(&o);

	ok(aka(SET1_K, SET1_OPC, 1) == USIM_OK,
	   "re-attach before the HSS switched: the old keys");
	ok(aka(NEW_K, NEW_OPC, 2) == USIM_OK,
	   "re-attach after the HSS switched: the new keys");
	ok(aka(SET1_K, SET1_OPC, 3) == USIM_MAC_FAILURE,
	   "then the old keys fail at MAC verification");
	u = stored();
	ok(!u.pub.has_pending, "and nothing is pending");
	is_hex(u.k, 16, NEW_K, "the new K is current");
	store_usim_wipe(&u);

	ok(oce_open(&o, oce_cert) == 0, "session 3: open");
	ok(oce_update(&o, TEST_IMSI, 1, NEW_OPC, NEW_K, &res) == KU_SW_REPLAY,
	   "refused: update counter 1 again (replay)");
	oce_close(&o);
}

static void test_session_refusals(void)
{
	uint8_t apdu[SCP_SM_APDU_MAX], resp[USIM_UPDATE_RESP_MAX];
	uint8_t data[4] = { 1, 2, 3, 4 };
	struct scp_apdu cmd = {
		.cla = KU_CLA, .ins = KU_INS_PROFILE_UPDATE,
		.p1 = KU_P1_PROFILE_UPDATE, .p2 = KU_P2_PROFILE_UPDATE,
		.data = data, .len = sizeof(data),
	};
	struct oce o;
	size_t len;

	ok(oce_open(&o, foreign_cert) == -EKEYREJECTED,
	   "refused: an OCE certificate of another CA, 6984");
	oce_close(&o);
	ok(oce_open(&o, wrong_key_cert) == -EBADMSG,
	   "refused: an OCE whose certificate is not for the key it holds"
	   " (the receipt fails)");
	oce_close(&o);
	if (usim_update_new(&o.usim, ue, TEST_ICCID, pki.sk_sd, pki.ca_kloc))
		bail("usim_update_new");
	memset(apdu, 0, 5 + SCP11A_AUTH_DATA_LEN);
	memcpy(apdu, "\x80\x82\x01\x11\x53", 5);
	ok(usim_update_handle(o.usim, apdu, 5 + SCP11A_AUTH_DATA_LEN, resp,
			      sizeof(resp), &len) == -EPIPE &&
	   len == 2 && resp[0] == 0x69 && resp[1] == 0x86,
	   "refused: MUTUAL AUTHENTICATE before the certificate, 6986");
	usim_update_free(o.usim);

	ok(oce_open(&o, oce_cert) == 0, "bad C-MAC: session open");
	scp_sm_wrap_command(&o.sm, &cmd, apdu, sizeof(apdu), &len);
	apdu[len - 1] ^= 1;
	ok(usim_update_handle(o.usim, apdu, len, resp, sizeof(resp), &len) ==
	   -EPIPE && len == 2 && resp[0] == 0x69 && resp[1] == 0x88,
	   "refused: a bad C-MAC gets a bare 6988, the session ends");
	ok(usim_update_handle(o.usim, apdu, len, resp, sizeof(resp), &len) ==
	   -EPIPE && len == 0, "refused: and nothing after it");
	oce_close(&o);

	if (usim_update_new(&o.usim, ue, TEST_ICCID, pki.sk_sd, pki.ca_kloc))
		bail("usim_update_new");
	if (send_cert(&o, oce_cert, 0) != KU_SW_OK)
		bail("send_cert");
	memset(apdu, 0, 5 + SCP11A_AUTH_DATA_LEN);
	memcpy(apdu, "\x80\x82\x01\x11\x53\xa6\x0d\x90\x02\x11\x03", 11);
	ok(usim_update_handle(o.usim, apdu, 5 + SCP11A_AUTH_DATA_LEN, resp,
			      sizeof(resp), &len) == -EPIPE &&
	   len == 2 && resp[0] == 0x6a && resp[1] == 0x80,
	   "refused: MUTUAL AUTHENTICATE for SCP11c, 6A80");
	usim_update_free(o.usim);
}

int main(void)
{
	struct store_key key;

	scratch_make("keyupdate-update");
	test_key(&key, 0x5a);
	ue = open_store(scratch_path("ue.db"), &key);
	add_set1_usim(ue, TEST_ICCID, SET1_K, 0);
	keyupdate_pki_make(&pki);
	oce_cert = make_cert(pki.pk_oce, "prov.example", pki.ca_kloc, pki.ca_key,
			     EVP_sha256(), 30, 0);
	foreign_cert = make_cert(pki.pk_oce, "prov.example", pki.other_ca,
				 pki.other_ca_key, EVP_sha256(), 30, 0);
	wrong_key_cert = make_cert(pki.pk_sd, "prov.example", pki.ca_kloc, pki.ca_key,
				   EVP_sha256(), 30, 0);

	test_codec();
	test_update();
	test_session_refusals();

	keyupdate_pki_free(&pki);
	X509_free(oce_cert);
	X509_free(foreign_cert);
	X509_free(wrong_key_cert);
	store_close(ue);
	scratch_remove();
	return done_testing();
}
