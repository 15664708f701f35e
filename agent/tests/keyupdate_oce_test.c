// SPDX-License-Identifier: GPL-2.0
/*
 * The provisioning server's side of a key update session
 * (proto/keyupdate/oce_session.c) against the USIM's (ue/usim_update.c),
 * in process: the SD's certificate checked against the CA the server
 * trusts for USIMs; the OCE's chain with a sub-CA; MUTUAL AUTHENTICATE
 * with the receipt checked; the update under secure messaging; the
 * result's KCVs. Then the keys are pending at the USIM and an AKA under
 * them makes them current. And each refusal as the server sees it, with
 * the status word the USIM answered: an SD certificate of another CA, an
 * OCE chain of another CA (6984), an SD certificate for another key (the
 * receipt), wrong profile (6A88), an update while one is pending (6985),
 * a replayed counter (6982), a response changed on the way (R-MAC).
 * And a session kept in the store after each command and taken up again
 * by a new oce_session (the server restarted): done from every step; a
 * kept state of another update refused; the answer to the command before
 * (the server moved on, its answer lost) refused.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "crypto/scp11a.h"
#include "proto/keyupdate/oce_session.h"
#include "proto/keyupdate/profile_update.h"
#include "keyupdate_fixture.h"
#include "store_fixture.h"
#include "ue/usim_update.h"
#include "usim_challenge.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"

static struct store *ue;
static struct keyupdate_pki pki;
static EVP_PKEY *subca_key, *usim_ca_key;
static X509 *subca, *oce_cert, *usim_ca, *sd_cert, *foreign_oce_cert,
	*foreign_sd_cert, *sd_cert_wrong_key;
static STACK_OF(X509) *subcas;

static struct oce_update the_update(uint32_t counter, const char *imsi)
{
	struct oce_update u = { .counter = counter };

	strcpy(u.iccid, TEST_ICCID);
	strcpy(u.imsi, imsi);
	unhex(u.k, sizeof(u.k), NEW_K);
	unhex(u.opc, sizeof(u.opc), NEW_OPC);
	return u;
}

struct run {
	int ret;		/* oce_session_next()'s last */
	int commands;		/* sent to the USIM */
	uint16_t sw;
};

/*
 * One session between an OCE with cert (and subcas) and the USIM, the
 * SD's certificate sd; tamper, if set, flips a bit of the response to
 * command number tamper.
 */
static struct run session(X509 *cert, STACK_OF(X509) *chain, X509 *sd,
			  const struct oce_update *update, int tamper)
{
	struct oce_credentials creds = {
		.key = pki.sk_oce, .cert = cert, .subcas = chain,
		.usim_ca = usim_ca,
	};
	uint8_t apdu[OCE_APDU_MAX], resp[USIM_UPDATE_RESP_MAX];
	size_t apdu_len, resp_len = 0;
	struct oce_session *oce;
	struct usim_update *usim;
	struct run r = { 0 };
	char why[128];

	r.ret = oce_session_new(&oce, &creds, update, sd, NULL, why,
				sizeof(why));
	if (r.ret)
		return r;
	if (usim_update_new(&usim, ue, TEST_ICCID, pki.sk_sd, pki.ca_kloc))
		bail("usim_update_new");
	while (!(r.ret = oce_session_next(oce, r.commands ? resp : NULL,
					  resp_len, apdu, sizeof(apdu),
					  &apdu_len))) {
		r.commands++;
		/* -EPIPE still answers (6984, 6988): the OCE reads it. */
		resp_len = 0;
		usim_update_handle(usim, apdu, apdu_len, resp, sizeof(resp),
				   &resp_len);
		if (r.commands == tamper && resp_len)
			resp[0] ^= 0x01;
	}
	r.sw = oce_session_sw(oce);
	oce_session_free(oce);
	usim_update_free(usim);
	return r;
}

/*
 * As session() with the OCE of subcas, but after command number at the
 * OCE's state is kept in the store and the OCE freed, as by a server
 * killed, then taken up again from the store for kept_update. With
 * stale, the USIM's answer to the command before is sent instead of the
 * one to command at.
 */
static struct run resumed(const struct oce_update *update, int at,
			  const struct oce_update *kept_update, bool stale)
{
	struct oce_credentials creds = {
		.key = pki.sk_oce, .cert = oce_cert, .subcas = subcas,
		.usim_ca = usim_ca,
	};
	uint8_t apdu[OCE_APDU_MAX], resp[USIM_UPDATE_RESP_MAX],
		last[USIM_UPDATE_RESP_MAX];
	size_t apdu_len, resp_len = 0, last_len = 0;
	struct store_prov_session st = { .id = { 0x5e } }, back;
	struct oce_session *oce;
	struct usim_update *usim;
	struct run r = { 0 };

	strcpy(st.iccid, TEST_ICCID);
	r.ret = oce_session_new(&oce, &creds, update, sd_cert, NULL, NULL, 0);
	if (r.ret)
		return r;
	if (usim_update_new(&usim, ue, TEST_ICCID, pki.sk_sd, pki.ca_kloc))
		bail("usim_update_new");
	while (!(r.ret = oce_session_next(oce, r.commands ? resp : NULL,
					  resp_len, apdu, sizeof(apdu),
					  &apdu_len))) {
		r.commands++;
		if (r.commands == at) {
			if (oce_session_save(oce, &st) ||
			    store_prov_session_put(ue, &st) ||
			    store_prov_session_get(ue, st.id, &back))
				bail("keeping the session");
			oce_session_free(oce);
			r.ret = oce_session_restore(&oce, &creds, kept_update,
						    &back);
			store_prov_session_wipe(&back);
			if (r.ret)
				break;
		}
		memcpy(last, resp, resp_len);
		last_len = resp_len;
		resp_len = 0;
		usim_update_handle(usim, apdu, apdu_len, resp, sizeof(resp),
				   &resp_len);
		if (stale && r.commands == at) {
			memcpy(resp, last, last_len);
			resp_len = last_len;
		}
	}
	r.sw = oce ? oce_session_sw(oce) : 0;	/* none if not taken up */
	oce_session_free(oce);
	usim_update_free(usim);
	store_prov_session_wipe(&st);
	return r;
}

static void test_resume(void)
{
	static const char *const steps[] = {
		NULL, "its sub-CA's certificate", "its own certificate",
		"MUTUAL AUTHENTICATE", "the profile update",
	};
	struct oce_credentials creds = { .key = pki.sk_oce, .cert = oce_cert,
					 .subcas = subcas, .usim_ca = usim_ca };
	struct oce_update u = the_update(1, TEST_IMSI), other = u;
	struct store_prov_session st;
	struct oce_session *oce;
	struct run r;
	int at;

	if (oce_session_new(&oce, &creds, &u, sd_cert, NULL, NULL, 0))
		bail("oce_session_new");
	ok(oce_session_save(oce, &st) == -EINVAL,
	   "resume: nothing to keep before the first command: -EINVAL");
	oce_session_free(oce);

	/* The USIM has this update pending: each session ends in 9000. */
	for (at = 1; at <= 4; at++) {
		r = resumed(&u, at, &u, false);
		ok(r.ret == 1 && r.commands == 4 && r.sw == KU_SW_OK,
		   "resume: kept after %s, taken up again: done, 9000 (%d)",
		   steps[at], r.ret);
	}
	other.counter = 7;
	r = resumed(&u, 4, &other, false);
	ok(r.ret == -EINVAL,
	   "resume: a kept state taken up for another counter: -EINVAL");
	r = resumed(&u, 4, &u, true);
	ok(r.ret == -EBADMSG,
	   "resume: the answer before (the server's own answer lost): its"
	   " R-MAC fails under the kept chain, -EBADMSG (%d)", r.ret);
	r = resumed(&u, 3, &u, true);
	ok(r.ret == -EPROTO,
	   "resume: the same at MUTUAL AUTHENTICATE: a bare 9000 is no"
	   " answer to it, -EPROTO (%d)", r.ret);
	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == 1, "resume: a whole session after them: done");
}

static struct store_usim stored(void)
{
	struct store_usim usim;

	if (store_usim_get(ue, TEST_ICCID, &usim))
		bail("store_usim_get");
	return usim;
}

static void test_update(void)
{
	struct oce_update u = the_update(1, TEST_IMSI);
	struct oce_credentials creds = { .key = pki.sk_oce, .cert = oce_cert,
					 .subcas = subcas, .usim_ca = usim_ca };
	uint8_t kcv_k[3], kcv_opc[3];
	struct oce_session *oce;
	struct store_usim s;
	struct run r;

	ok(!oce_session_new(&oce, &creds, &u, sd_cert, NULL, NULL, 0),
	   "update: session for an SD certificate of the USIM CA");
	oce_session_kcvs(oce, kcv_k, kcv_opc);
	/* As `openssl enc -aes-128-ecb -nopad` makes them. */
	is_hex(kcv_k, 3, "c35280", "update: KCV of the new K");
	is_hex(kcv_opc, 3, "fcb06c", "update: KCV of the new OPc");
	oce_session_free(oce);

	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == 1 && r.commands == 4 && r.sw == KU_SW_OK,
	   "update: done in 4 commands (sub-CA, own certificate, MUTUAL"
	   " AUTHENTICATE, profile update), 9000 (%d, %d, %04x)", r.ret,
	   r.commands, r.sw);
	s = stored();
	ok(s.pub.has_pending && s.pub.update_counter == 1,
	   "update: the USIM has keys pending, counter 1");
	is_hex(s.pending_k, 16, NEW_K, "update: the pending K is the one sent");
	is_hex(s.pending_opc, 16, NEW_OPC,
	       "update: the pending OPc is the one sent");
	is_hex(s.k, 16, SET1_K, "update: the current K is still the old");
	store_usim_wipe(&s);

	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == 1 && r.sw == KU_SW_OK,
	   "again: the same update (its result lost) is done again, 9000");
	u.counter = 2;
	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == -EBUSY && r.sw == KU_SW_PENDING,
	   "pending: a newer update while one waits: -EBUSY, 6985");
}

static void test_refusals(void)
{
	struct oce_update u = the_update(2, TEST_IMSI);
	struct oce_update wrong = the_update(2, "001019999999999");
	struct store_usim s;
	struct run r;

	r = session(oce_cert, subcas, foreign_sd_cert, &u, 0);
	ok(r.ret == -EKEYREJECTED && !r.commands,
	   "an SD certificate of another CA: -EKEYREJECTED, nothing sent");
	r = session(foreign_oce_cert, NULL, sd_cert, &u, 0);
	ok(r.ret == -EKEYREJECTED && r.sw == KU_SW_CERT_REFUSED &&
	   r.commands == 1,
	   "an OCE chain of another CA: the USIM says 6984, -EKEYREJECTED");
	r = session(oce_cert, NULL, sd_cert, &u, 0);
	ok(r.ret == -EKEYREJECTED && r.sw == KU_SW_CERT_REFUSED,
	   "the OCE's certificate without its sub-CA: 6984");
	r = session(oce_cert, subcas, sd_cert_wrong_key, &u, 0);
	ok(r.ret == -EBADMSG && r.commands == 3,
	   "an SD certificate for another key: the receipt fails, -EBADMSG");

	/* The switch: an AKA under the pending keys makes them current. */
	ok(usim_aka_once(ue, TEST_ICCID, NEW_K, NEW_OPC, 1) == 0,
	   "an AKA under the new keys");
	s = stored();
	ok(!s.pub.has_pending, "the new keys are current");
	store_usim_wipe(&s);

	r = session(oce_cert, subcas, sd_cert, &wrong, 0);
	ok(r.ret == -ENOENT && r.sw == KU_SW_NO_PROFILE,
	   "another IMSI: -ENOENT, 6A88");
	u.counter = 1;
	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == -ESTALE && r.sw == KU_SW_REPLAY,
	   "counter 1 again: -ESTALE, 6982");
	u.counter = 2;
	r = session(oce_cert, subcas, sd_cert, &u, 4);
	ok(r.ret == -EBADMSG,
	   "the result changed on the way: the R-MAC fails, -EBADMSG (%d)",
	   r.ret);
	s = stored();
	ok(s.pub.has_pending && s.pub.update_counter == 2,
	   "(the USIM had staged it: the server sends it again)");
	store_usim_wipe(&s);
	r = session(oce_cert, subcas, sd_cert, &u, 0);
	ok(r.ret == 1, "sent again: done");
}

int main(void)
{
	struct store_key key;

	scratch_make("keyupdate-oce");
	test_key(&key, 0x5a);
	ue = open_store(scratch_path("ue.db"), &key);
	add_set1_usim(ue, TEST_ICCID, SET1_K, 0);
	keyupdate_pki_make(&pki);
	subca_key = keyupdate_fixed_key(0x67);
	usim_ca_key = keyupdate_fixed_key(0x68);
	subca = make_cert(subca_key, "CA-KLOC sub", pki.ca_kloc, pki.ca_key,
			  EVP_sha256(), 365, 1);
	oce_cert = make_cert(pki.pk_oce, "prov.example", subca, subca_key,
			     EVP_sha256(), 30, 0);
	usim_ca = make_cert(usim_ca_key, "USIM CA", NULL, NULL, EVP_sha256(),
			    365, 1);
	sd_cert = make_cert(pki.pk_sd, "SD " TEST_ICCID, usim_ca, usim_ca_key,
			    EVP_sha256(), 30, 0);
	foreign_oce_cert = make_cert(pki.pk_oce, "prov.example", pki.other_ca,
				     pki.other_ca_key, EVP_sha256(), 30, 0);
	foreign_sd_cert = make_cert(pki.pk_sd, "SD", pki.other_ca,
				    pki.other_ca_key, EVP_sha256(), 30, 0);
	sd_cert_wrong_key = make_cert(pki.pk_oce, "SD", usim_ca, usim_ca_key,
				      EVP_sha256(), 30, 0);
	subcas = sk_X509_new_null();
	if (!subcas || !sk_X509_push(subcas, subca))
		bail("sub-CAs");

	test_update();
	test_resume();
	test_refusals();

	sk_X509_free(subcas);
	keyupdate_pki_free(&pki);
	EVP_PKEY_free(subca_key);
	EVP_PKEY_free(usim_ca_key);
	X509_free(subca);
	X509_free(oce_cert);
	X509_free(usim_ca);
	X509_free(sd_cert);
	X509_free(foreign_oce_cert);
	X509_free(foreign_sd_cert);
	X509_free(sd_cert_wrong_key);
	store_close(ue);
	scratch_remove();
	return done_testing();
}
