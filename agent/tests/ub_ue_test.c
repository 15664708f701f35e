// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/ub_ue.c, the UE's side of Ub, against a BSF side made here from
 * digest.h and bsf_xml.h: the first request's exact header, challenges
 * taken and refused, the three kinds of answer verified as a BSF would,
 * and the 200 with every way it can be wrong. TS 35.208 test set 1.
 */
#include <errno.h>

#include "tap.h"
#include "proto/gba/ub_ue.h"
#include "util/why.h"

#define T1_RAND	"23553cbe9637a89d218ae64dae47bf35"
#define T1_AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define T1_RES	"a54211d5e3ba50bf"
#define T1_AUTS	"0102030405060708090a0b0c0d0e"
#define T1_BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define IMPI	"user1_private@home1.net"
#define REALM	"bsf.home1.net"

static uint8_t rand_[AKA_RAND_LEN], autn[AKA_AUTN_LEN], res[AKA_RES_LEN];

static void bail_out(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(2);
}

static void challenge_text(char *out, size_t size, const char *algorithm,
			   const char *qop, const char *nonce)
{
	struct digest_challenge ch = { 0 };

	strcpy(ch.realm, REALM);
	strcpy(ch.nonce, nonce);
	strcpy(ch.opaque, "5ccc069c403ebaf9f0171e9517f30e41");
	strcpy(ch.algorithm, algorithm);
	strcpy(ch.qop, qop);
	if (digest_build_challenge(out, size, &ch, NULL, 0) < 0)
		bail_out("digest_build_challenge");
}

static void test_first(struct ub_ue *ue)
{
	char out[DIGEST_HEADER_MAX];

	ok(ub_ue_first(ue, IMPI, REALM, "/", out, sizeof(out)) == 0 &&
	   !strcmp(out, "Digest username=\"" IMPI "\", realm=\"" REALM
		   "\", nonce=\"\", uri=\"/\", response=\"\""),
	   "first request: username, realm, nonce=\"\", uri, response=\"\" (A.3): %s",
	   out);
	ok(ub_ue_first(ue, "no-at-sign", REALM, "/", out, sizeof(out)) ==
	   -EINVAL, "first request: an IMPI without realm is refused");
	ub_ue_first(ue, IMPI, REALM, "/", out, sizeof(out));
}

static void test_challenges(struct ub_ue *ue)
{
	char nonce[DIGEST_AKA_NONCE_LEN + 1], text[DIGEST_HEADER_MAX];
	char why[UB_WHY_MAX] = "";

	digest_aka_nonce_encode(nonce, rand_, autn);
	challenge_text(text, sizeof(text), "MD5", "auth-int", nonce);
	ok(ub_ue_challenge(ue, text, strlen(text), why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "the challenge is not AKAv1-MD5"),
	   "challenge: MD5 refused (%s)", why);
	challenge_text(text, sizeof(text), "AKAv1-MD5", "auth", nonce);
	ok(ub_ue_challenge(ue, text, strlen(text), why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "the challenge does not offer auth-int"),
	   "challenge: qop auth only refused (%s)", why);
	challenge_text(text, sizeof(text), "AKAv1-MD5", "auth-int",
		       "QUFBQUFBQUFBQUFBQUFBQQ==");
	ok(ub_ue_challenge(ue, text, strlen(text), why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "the nonce is not base64(RAND || AUTN)"),
	   "challenge: a nonce of 16 octets refused (%s)", why);
	ok(ub_ue_challenge(ue, "Digest realm", 12, why, sizeof(why)) ==
	   -EINVAL, "challenge: garbage refused (%s)", why);
	ok(ue->challenge.nonce[0] == '\0',
	   "challenge: nothing kept from the refused ones");
	challenge_text(text, sizeof(text), "AKAv1-MD5", "auth,auth-int", nonce);
	ok(ub_ue_challenge(ue, text, strlen(text), why, sizeof(why)) == 0 &&
	   !memcmp(ue->rand, rand_, sizeof(rand_)) &&
	   !memcmp(ue->autn, autn, sizeof(autn)),
	   "challenge: AKAv1-MD5 offering auth-int: RAND and AUTN out of the nonce");
}

/* The BSF's check of an answer: parsed, and verified with password. */
static int bsf_check(const char *header, const uint8_t *password,
		     size_t password_len, struct digest_credentials *cr)
{
	struct digest_input in = {
		.username = IMPI, .realm = REALM, .password = password,
		.password_len = password_len, .method = "GET", .uri = "/",
		.qop = DIGEST_QOP_AUTH_INT,
	};

	if (digest_parse_credentials(header, strlen(header), cr, NULL, 0))
		return -EINVAL;
	in.nonce = cr->nonce;
	in.nc = cr->nc;
	in.cnonce = cr->cnonce;
	return digest_response_check(&in, cr->response);
}

static void test_answers(struct ub_ue *ue)
{
	char out[DIGEST_HEADER_MAX], cnonce[UB_UE_CNONCE_LEN + 1];
	struct digest_credentials cr;
	uint8_t auts[AKA_AUTS_LEN], got[AKA_AUTS_LEN];

	unhex(auts, sizeof(auts), T1_AUTS);
	ok(ub_ue_answer(ue, NULL, auts, out, sizeof(out)) == 0 &&
	   bsf_check(out, NULL, 0, &cr) == 0 && cr.auts[0] &&
	   digest_auts_decode(cr.auts, got) == 0 &&
	   !memcmp(got, auts, sizeof(got)),
	   "answer with auts: the empty password, AUTS in auts");
	strcpy(cnonce, cr.cnonce);
	ok(ub_ue_answer(ue, NULL, NULL, out, sizeof(out)) == 0 &&
	   bsf_check(out, NULL, 0, &cr) == 0 && !cr.auts[0] &&
	   strcmp(cr.cnonce, cnonce),
	   "answer with neither: the empty password, no auts, a new cnonce");
	ok(ub_ue_answer(ue, res, NULL, out, sizeof(out)) == 0 &&
	   bsf_check(out, res, sizeof(res), &cr) == 0,
	   "answer with RES: verifies with XRES");
	ok(!strcmp(cr.algorithm, "AKAv1-MD5") && !strcmp(cr.qop, "auth-int") &&
	   !strcmp(cr.nc, "00000001") && strlen(cr.cnonce) == 32 &&
	   !strcmp(cr.opaque, "5ccc069c403ebaf9f0171e9517f30e41") &&
	   !strcmp(cr.uri, "/") && !strcmp(cr.realm, REALM) && !cr.auts[0],
	   "answer: AKAv1-MD5, auth-int, nc 1, a cnonce, opaque echoed");
	ok(bsf_check(out, NULL, 0, &cr) == -EBADMSG,
	   "answer with RES: does not verify with the empty password");
}

/* The 200 as a BSF makes it: body and Authentication-Info for ue. */
static void bsf_success(const struct ub_ue *ue, const char *btid,
			const uint8_t *xres, char *body, size_t size,
			char *auth_info)
{
	struct bsf_info info = {
		.lifetime = 4102444800,		/* 2100-01-01T00:00:00Z */
		.currenttime = 4102441200,	/* an hour before */
	};
	struct digest_auth_info ai = { .qop = "auth-int" };
	struct digest_input in = {
		.username = IMPI, .realm = REALM, .password = xres,
		.password_len = AKA_RES_LEN, .uri = "/",
		.nonce = ue->challenge.nonce, .qop = DIGEST_QOP_AUTH_INT,
		.nc = ue->nc, .cnonce = ue->cnonce,
	};
	int len;

	strcpy(info.btid, btid);
	len = bsf_xml_build(body, size, &info, NULL, 0);
	in.body = (const uint8_t *)body;
	in.body_len = (size_t)len;
	strcpy(ai.cnonce, ue->cnonce);
	strcpy(ai.nc, ue->nc);
	if (len < 0 || digest_rspauth(ai.rspauth, &in) ||
	    digest_build_auth_info(auth_info, DIGEST_HEADER_MAX, &ai, NULL,
				   0) < 0)
		bail_out("the BSF's 200");
}

static void test_success(struct ub_ue *ue)
{
	char body[BSF_XML_MAX], auth_info[DIGEST_HEADER_MAX], why[UB_WHY_MAX];
	uint8_t wrong[AKA_RES_LEN];
	struct bsf_info info = { .btid = "" };
	const char *type = BSF_XML_CONTENT_TYPE "; charset=utf-8";
	char *p;

	bsf_success(ue, T1_BTID, res, body, sizeof(body), auth_info);
	ok(ub_ue_success(ue, auth_info, type, body, strlen(body), &info, why,
			 sizeof(why)) == 0 && !strcmp(info.btid, T1_BTID) &&
	   info.lifetime == 4102444800 && info.currenttime == 4102441200,
	   "200: rspauth verifies, the BootstrappingInfo read");
	memset(&info, 0, sizeof(info));
	ok(ub_ue_success(ue, NULL, type, body, strlen(body), &info, why,
			 sizeof(why)) == -EINVAL && !info.btid[0],
	   "200 without Authentication-Info: refused (%s)", why);
	ok(ub_ue_success(ue, auth_info, "text/xml", body, strlen(body), &info,
			 why, sizeof(why)) == -EINVAL,
	   "200 of another Content-Type: refused (%s)", why);
	memcpy(wrong, res, sizeof(wrong));
	wrong[7] ^= 1;
	bsf_success(ue, T1_BTID, wrong, body, sizeof(body), auth_info);
	ok(ub_ue_success(ue, auth_info, type, body, strlen(body), &info, why,
			 sizeof(why)) == -EBADMSG,
	   "200 with rspauth from another XRES: -EBADMSG (%s)", why);
	bsf_success(ue, T1_BTID, res, body, sizeof(body), auth_info);
	p = strstr(body, "2100");
	if (p)
		p[3] = '1';
	ok(p && ub_ue_success(ue, auth_info, type, body, strlen(body), &info,
			      why, sizeof(why)) == -EBADMSG,
	   "200 with the lifetime changed after rspauth: -EBADMSG");
	bsf_success(ue, "AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net", res, body,
		    sizeof(body), auth_info);
	ok(ub_ue_success(ue, auth_info, type, body, strlen(body), &info, why,
			 sizeof(why)) == -EINVAL &&
	   !strcmp(why, "the B-TID is not base64(RAND)@BSF"),
	   "200 with the B-TID of another RAND: refused (%s)", why);
	bsf_success(ue, T1_BTID, res, body, sizeof(body), auth_info);
	p = strstr(auth_info, "cnonce=\"");
	if (p)
		p[8] = p[8] == 'a' ? 'b' : 'a';
	ok(p && ub_ue_success(ue, auth_info, type, body, strlen(body), &info,
			      why, sizeof(why)) == -EINVAL,
	   "200 echoing another cnonce: refused (%s)", why);
	ok(ub_ue_btid_of(T1_BTID, rand_) &&
	   !ub_ue_btid_of("I1U8vpY3qJ0hiuZNrke/NQ==@", rand_) &&
	   !ub_ue_btid_of("I1U8vpY3qJ0hiuZNrke/NQ==", rand_),
	   "B-TID: base64(RAND)@ and a domain");
}

int main(void)
{
	struct ub_ue ue;

	unhex(rand_, sizeof(rand_), T1_RAND);
	unhex(autn, sizeof(autn), T1_AUTN);
	unhex(res, sizeof(res), T1_RES);
	memset(&ue, 0, sizeof(ue));
	test_first(&ue);
	test_challenges(&ue);
	test_answers(&ue);
	test_success(&ue);
	ub_ue_wipe(&ue);
	ok(ue.res[0] == 0 && !ue.has_res && !ue.impi[0], "wipe: all gone");
	return done_testing();
}
