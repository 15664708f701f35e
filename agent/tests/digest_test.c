// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/digest.c: the RFC 2617 "Mufasa" example, AKAv1-MD5 responses and
 * rspauth against values computed once with Python's hashlib (see each
 * test), the AKA nonce and auts, and what the three parsers accept and
 * refuse.
 */
#include <errno.h>

#include "tap.h"
#include "proto/gba/digest.h"
#include "util/why.h"

/* TS 35.208 test set 1: RAND, AUTN (SQN ff9bb4d0b607 xor AK, AMF b9b9). */
#define T1_RAND	"23553cbe9637a89d218ae64dae47bf35"
#define T1_AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define T1_RES	"a54211d5e3ba50bf"
#define T1_NONCE "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M="
#define IMPI	"user1_private@home1.net"
#define REALM	"bsf.home1.net"

/* RFC 2617 3.5. */
static void test_mufasa(void)
{
	static const char password[] = "Circle Of Life";
	static const char header[] =
		"Digest username=\"Mufasa\",\n"
		"                 realm=\"testrealm@host.com\",\n"
		"                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\n"
		"                 uri=\"/dir/index.html\",\n"
		"                 qop=auth,\n"
		"                 nc=00000001,\n"
		"                 cnonce=\"0a4f113b\",\n"
		"                 response=\"6629fae49393a05397450978507c4ef1\",\n"
		"                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	struct digest_input in = {
		.username = "Mufasa",
		.realm = "testrealm@host.com",
		.password = (const uint8_t *)password,
		.password_len = sizeof(password) - 1,
		.method = "GET",
		.uri = "/dir/index.html",
		.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
		.qop = DIGEST_QOP_AUTH,
		.nc = "00000001",
		.cnonce = "0a4f113b",
	};
	struct digest_credentials cr;
	char out[DIGEST_HEX_LEN + 1];
	char one_line[sizeof(header)];
	size_t i, n = 0;
	enum digest_qop qop;

	ok(digest_response(out, &in) == 0 &&
	   !strcmp(out, "6629fae49393a05397450978507c4ef1"),
	   "RFC 2617 3.5 response");
	ok(digest_response_check(&in, "6629fae49393a05397450978507c4ef1") == 0,
	   "RFC 2617 3.5 response checks");
	ok(digest_response_check(&in, "6629fae49393a05397450978507c4ef0") ==
	   -EBADMSG, "a response one bit off does not");
	ok(digest_response_check(&in, "6629FAE49393A05397450978507C4EF1") ==
	   -EBADMSG, "nor one in upper case");
	ok(digest_response_check(&in, "6629fae49393a05397450978507c4ef") ==
	   -EBADMSG && digest_response_check(&in, NULL) == -EBADMSG,
	   "nor a short or missing one");

	/* The RFC prints the header folded; HTTP/1.1 now sends one line. */
	for (i = 0; header[i]; i++) {
		if (header[i] == '\n') {
			while (header[i + 1] == ' ')
				i++;
			one_line[n++] = ' ';
			continue;
		}
		one_line[n++] = header[i];
	}
	one_line[n] = '\0';
	ok(digest_parse_credentials(one_line, n, &cr, NULL, 0) == 0 &&
	   !strcmp(cr.username, "Mufasa") &&
	   !strcmp(cr.realm, "testrealm@host.com") &&
	   !strcmp(cr.uri, "/dir/index.html") && !strcmp(cr.qop, "auth") &&
	   !strcmp(cr.nc, "00000001") && !strcmp(cr.cnonce, "0a4f113b") &&
	   !strcmp(cr.opaque, "5ccc069c403ebaf9f0171e9517f40e41"),
	   "RFC 2617 3.5 Authorization parses");
	in.username = cr.username;
	in.realm = cr.realm;
	in.nonce = cr.nonce;
	in.uri = cr.uri;
	in.nc = cr.nc;
	in.cnonce = cr.cnonce;
	ok(digest_qop_of(cr.qop, &qop) == 0 && qop == DIGEST_QOP_AUTH &&
	   (in.qop = qop, digest_response_check(&in, cr.response) == 0),
	   "its response checks from the parsed fields");
}

static void test_aka_nonce(void)
{
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN];
	uint8_t rand2[AKA_RAND_LEN], autn2[AKA_AUTN_LEN];
	char nonce[DIGEST_AKA_NONCE_LEN + 1];
	static const char *const bad[] = {
		"",
		/* 31 and 33 octets */
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfrw==",
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7MA",
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7MAAA==",
		/* no padding, a bad character, non-zero spare bits */
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M",
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7*=",
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7N=",
		/* URL-safe alphabet, space, padding inside */
		"I1U8vpY3qJ0hiuZNrke_NVXzKLQ1d7m5Sp_6w1Tfr7M=",
		"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M= ",
		"I1U8vpY3qJ0hiuZNrke=NVXzKLQ1d7m5Sp/6w1Tfr7M=",
	};
	size_t i, refused = 0;

	unhex(rand, sizeof(rand), T1_RAND);
	unhex(autn, sizeof(autn), T1_AUTN);
	ok(digest_aka_nonce_encode(nonce, rand, autn) == 0 &&
	   !strcmp(nonce, T1_NONCE), "nonce = base64(RAND || AUTN)");
	ok(digest_aka_nonce_decode(T1_NONCE, rand2, autn2) == 0 &&
	   !memcmp(rand, rand2, sizeof(rand)) &&
	   !memcmp(autn, autn2, sizeof(autn)), "nonce decodes to RAND, AUTN");
	memset(rand2, 0xa5, sizeof(rand2));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (digest_aka_nonce_decode(bad[i], rand2, autn2) == -EINVAL)
			refused++;
		else
			printf("# accepted: %s\n", bad[i]);
	}
	ok(refused == sizeof(bad) / sizeof(bad[0]) && rand2[0] == 0xa5 &&
	   rand2[15] == 0xa5,
	   "wrong length, alphabet, padding or spare bits refused, output untouched");
}

static void test_auts(void)
{
	uint8_t auts[AKA_AUTS_LEN], back[AKA_AUTS_LEN];
	char text[DIGEST_AUTS_LEN + 1];

	unhex(auts, sizeof(auts), "0123456789abcdef0123456789ab");
	ok(digest_auts_encode(text, auts) == 0 &&
	   !strcmp(text, "ASNFZ4mrze8BI0Vnias="), "auts = base64(AUTS)");
	ok(digest_auts_decode(text, back) == 0 &&
	   !memcmp(auts, back, sizeof(auts)), "auts decodes back");
	ok(digest_auts_decode("ASNFZ4mrze8BI0VniasA", back) == -EINVAL &&
	   digest_auts_decode("ASNFZ4mrze8BI0Vnia==", back) == -EINVAL &&
	   digest_auts_decode("ASNFZ4mrze8BI0Vniat=", back) == -EINVAL,
	   "auts of 15 or 13 octets or with spare bits refused");
}

/*
 * Expected values from Python, once:
 *	md5 = lambda b: hashlib.md5(b).hexdigest()
 *	ha1 = md5(IMPI + b":" + REALM + b":" + RES)	(RES raw octets)
 *	ha2 = md5(b"GET:/:" + md5(b"").encode())
 *	md5(f"{ha1}:{nonce}:00000001:0a4f113b:auth-int:{ha2}".encode())
 * and likewise for the others (rspauth: ha2 over b":/:" + md5(body)).
 */
static const char bootstrapping_info[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">"
	"<btid>I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net</btid>"
	"<lifetime>2024-05-01T12:00:00Z</lifetime></BootstrappingInfo>\n";

static void test_aka_response(void)
{
	uint8_t res[AKA_RES_LEN];
	struct digest_input in = {
		.username = IMPI,
		.realm = REALM,
		.password = res,
		.password_len = sizeof(res),
		.method = "GET",
		.uri = "/",
		.nonce = T1_NONCE,
		.qop = DIGEST_QOP_AUTH_INT,
		.nc = "00000001",
		.cnonce = "0a4f113b",
	};
	char out[DIGEST_HEX_LEN + 1];

	unhex(res, sizeof(res), T1_RES);
	ok(digest_response(out, &in) == 0 &&
	   !strcmp(out, "d47e4afd3245638428c815924bc5bc69"),
	   "AKAv1-MD5 auth-int response, RES as password, empty body");
	in.body = (const uint8_t *)bootstrapping_info;
	in.body_len = sizeof(bootstrapping_info) - 1;
	ok(digest_rspauth(out, &in) == 0 &&
	   !strcmp(out, "3ff92ccfae31ccd5069580d6410135bb"),
	   "rspauth over the BootstrappingInfo body, XRES as password");
	ok(digest_rspauth_check(&in, "3ff92ccfae31ccd5069580d6410135bb") == 0,
	   "rspauth checks");
	in.body_len--;
	ok(digest_rspauth_check(&in, "3ff92ccfae31ccd5069580d6410135bb") ==
	   -EBADMSG, "not over a body one octet short");
	in.body = (const uint8_t *)"hello body";
	in.body_len = 10;
	in.method = "POST";
	in.uri = "/bsf";
	in.nc = "00000002";
	in.cnonce = "abcdef";
	ok(digest_response(out, &in) == 0 &&
	   !strcmp(out, "604f2c843e834cbe2e247f1bc2d65283"),
	   "auth-int response over a request body");
	in.body = NULL;
	in.body_len = 0;
	in.method = "GET";
	in.uri = "/";
	in.nc = "00000001";
	in.cnonce = "0a4f113b";
	in.password = NULL;
	in.password_len = 0;
	ok(digest_response(out, &in) == 0 &&
	   !strcmp(out, "1d73ea14d997bda5a5f27a0d4e0a1cb3"),
	   "synchronisation failure: empty password");
	in.password = res;
	in.password_len = sizeof(res);
	in.qop = DIGEST_QOP_NONE;
	in.nc = NULL;
	in.cnonce = NULL;
	ok(digest_response(out, &in) == 0 &&
	   !strcmp(out, "47d26f3179dff63b36b49fb9306432bf"),
	   "no qop: MD5(HA1:nonce:HA2)");
	in.qop = DIGEST_QOP_AUTH;
	ok(digest_response(out, &in) == -EINVAL,
	   "a qop without nc and cnonce refused");
	in.qop = (enum digest_qop)7;
	in.nc = "00000001";
	in.cnonce = "x";
	ok(digest_response(out, &in) == -EINVAL, "an unknown qop refused");
	in.qop = DIGEST_QOP_AUTH;
	in.body_len = 3;
	ok(digest_response(out, &in) == -EINVAL,
	   "a body length without a body refused");
	in.body_len = 0;
	in.method = NULL;
	ok(digest_response(out, &in) == -EINVAL &&
	   digest_rspauth(out, &in) == 0,
	   "the response needs a method, rspauth none");
}

#define CHALLENGE_OK(value) \
	digest_parse_challenge(value, strlen(value), &ch, why, sizeof(why))

static void test_challenge(void)
{
	struct digest_challenge ch;
	char why[UB_WHY_MAX];
	char big[DIGEST_HEADER_MAX + 64];
	int ret;

	ret = CHALLENGE_OK("Digest realm=\"" REALM "\", nonce=\"" T1_NONCE
			   "\", algorithm=AKAv1-MD5, qop=\"auth-int\"");
	ok(ret == 0 && !strcmp(ch.realm, REALM) &&
	   !strcmp(ch.nonce, T1_NONCE) &&
	   !strcmp(ch.algorithm, "AKAv1-MD5") &&
	   !strcmp(ch.qop, "auth-int") && !ch.stale && !ch.opaque[0] &&
	   !ch.domain[0], "TS 24.109 challenge");
	ok(digest_algorithm_of(ch.algorithm) == DIGEST_ALG_AKAV1_MD5 &&
	   digest_qop_offered(ch.qop, DIGEST_QOP_AUTH_INT) &&
	   !digest_qop_offered(ch.qop, DIGEST_QOP_AUTH),
	   "it asks for AKAv1-MD5 and auth-int");
	ret = CHALLENGE_OK("dIgEsT  REALM = r ,Nonce=\"n\"\t, STALE=TRUE , "
			   "domain=\"/ /x\", opaque=\"o\" ");
	ok(ret == 0 && !strcmp(ch.realm, "r") && !strcmp(ch.nonce, "n") &&
	   ch.stale && !strcmp(ch.domain, "/ /x") && !strcmp(ch.opaque, "o"),
	   "scheme and names in any case, whitespace, tokens, stale");
	ret = CHALLENGE_OK("Digest realm=\"a\\\"b\\\\c\\d\", nonce=\"n\"");
	ok(ret == 0 && !strcmp(ch.realm, "a\"b\\cd"),
	   "quoted-pairs undone");
	ret = CHALLENGE_OK("Digest foo=bar, realm=\"r\", x-y=\"a\\\"b,c\", "
			   "nonce=\"n\", stale=false, qop=\"auth, auth-int\"");
	ok(ret == 0 && !strcmp(ch.realm, "r") && !ch.stale &&
	   digest_qop_offered(ch.qop, DIGEST_QOP_AUTH) &&
	   digest_qop_offered(ch.qop, DIGEST_QOP_AUTH_INT),
	   "unknown parameters ignored, a qop list");
	ret = CHALLENGE_OK("Digest realm=\"\xc3\xa9t\xc3\xa9\", nonce=n");
	ok(ret == 0 && !strcmp(ch.realm, "\xc3\xa9t\xc3\xa9"),
	   "octets above 0x7f kept (obs-text)");

	memset(big, 'a', sizeof(big));
	memcpy(big, "Digest nonce=n, realm=\"", 23);
	memcpy(big + 23 + DIGEST_VALUE_MAX, "\"", 2);
	ok(CHALLENGE_OK(big) == 0 && strlen(ch.realm) == DIGEST_VALUE_MAX,
	   "a value of %d octets fits", DIGEST_VALUE_MAX);
}

struct reject {
	const char *value;
	const char *why;	/* what the reason starts with */
};

static void test_challenge_rejects(void)
{
	static const struct reject rejects[] = {
		{ "", "empty header value" },
		{ "   ", "scheme is not Digest" },
		{ "Basic realm=\"r\"", "scheme is not Digest" },
		{ "Digestrealm=\"r\", nonce=n", "scheme is not Digest" },
		{ "Digest", "no parameters after Digest" },
		{ "Digest ", "expected a parameter name" },
		{ "Digest realm=\"r\", nonce=\"n\", realm=\"s\"",
		  "parameter realm given twice" },
		{ "Digest realm=\"r\", nonce=\"n\", REALM=\"r\"",
		  "parameter REALM given twice" },
		{ "Digest x=1, realm=\"r\", nonce=\"n\", X=2",
		  "parameter X given twice" },
		{ "Digest realm \"r\", nonce=\"n\"", "no '=' after parameter" },
		{ "Digest realm, nonce=\"n\"", "no '=' after parameter" },
		{ "Digest realm=\"r\", nonce=\"n", "bad value of parameter nonce" },
		{ "Digest realm=\"r\", nonce=\"n\\", "bad value of parameter nonce" },
		{ "Digest realm=\"r\", nonce=\"n\"x", "expected ','" },
		{ "Digest realm=, nonce=\"n\"", "bad value of parameter realm" },
		{ "Digest realm=\"a\x01z\", nonce=\"n\"",
		  "bad value of parameter realm" },
		{ "Digest realm=\"a\x7fz\", nonce=\"n\"",
		  "bad value of parameter realm" },
		{ "Digest realm=\"r\",, nonce=\"n\"", "empty list element" },
		{ "Digest , realm=\"r\", nonce=\"n\"", "empty list element" },
		{ "Digest realm=\"r\", nonce=\"n\",", "trailing ','" },
		{ "Digest realm=\"r\", nonce=\"n\", ", "trailing ','" },
		{ "Digest realm=\"r\"", "realm or nonce missing" },
		{ "Digest nonce=\"n\"", "realm or nonce missing" },
		{ "Digest realm=\"r\", nonce=\"\"", "empty nonce" },
		{ "Digest realm=\"r\", nonce=n, stale=maybe",
		  "stale is neither" },
		{ "Digest realm=\"r\", nonce=n, qop=\"auth,,auth-int\"",
		  "qop is not a list" },
		{ "Digest realm=\"r\", nonce=n, algorithm=\"AKAv1 MD5\"",
		  "algorithm is not a token" },
		{ "Digest realm=\"r\", nonce=\"n\", Basic realm=\"x\"",
		  "no '=' after parameter Basic" },
		{ "Digest realm=r nonce=n", "expected ','" },
		{ "Digest =r, nonce=n", "expected a parameter name" },
	};
	struct digest_challenge ch;
	char why[UB_WHY_MAX];
	char big[DIGEST_HEADER_MAX + 64];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);
	int ret;

	memset(&ch, 0x5a, sizeof(ch));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ret = CHALLENGE_OK(rejects[i].value);
		ok(ret == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "challenge refused: %s", rejects[i].why);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	ok(((unsigned char *)&ch)[0] == 0x5a &&
	   ((unsigned char *)&ch)[sizeof(ch) - 1] == 0x5a,
	   "a refused challenge leaves the struct untouched");
	ok(digest_parse_challenge("Digest realm=\"r\0\", nonce=n", 26, &ch,
				  why, sizeof(why)) == -EINVAL,
	   "challenge refused: a NUL inside");
	ok(digest_parse_challenge(NULL, 0, &ch, NULL, 0) == -EINVAL,
	   "challenge refused: NULL");

	memset(big, 'a', sizeof(big));
	memcpy(big, "Digest nonce=n, realm=\"", 23);
	memcpy(big + 23 + DIGEST_VALUE_MAX + 1, "\"", 2);
	ok(CHALLENGE_OK(big) == -EINVAL && strstr(why, "too long"),
	   "challenge refused: realm of %d octets", DIGEST_VALUE_MAX + 1);
	memset(big, 'a', sizeof(big));
	memcpy(big, "Digest nonce=n, realm=r, x=\"", 28);
	big[DIGEST_HEADER_MAX] = '"';
	big[DIGEST_HEADER_MAX + 1] = '\0';
	ok(CHALLENGE_OK(big) == -EINVAL && strstr(why, "longer than"),
	   "challenge refused: header value over %d octets",
	   DIGEST_HEADER_MAX);
	big[DIGEST_HEADER_MAX - 1] = '"';
	big[DIGEST_HEADER_MAX] = '\0';
	ok(CHALLENGE_OK(big) == 0,
	   "an unknown value filling %d octets is fine", DIGEST_HEADER_MAX);
	big[0] = '\0';
	for (i = 0; i < DIGEST_PARAMS_MAX - 1; i++)
		sprintf(big + strlen(big), "%sp%zu=1", i ? ", " : "Digest ", i);
	strcat(big, ", realm=r");
	ok(CHALLENGE_OK(big) == -EINVAL && strstr(why, "nonce missing"),
	   "%d parameters are allowed", DIGEST_PARAMS_MAX);
	strcat(big, ", nonce=n");
	ok(CHALLENGE_OK(big) == -EINVAL && strstr(why, "more than"),
	   "challenge refused: %d parameters", DIGEST_PARAMS_MAX + 1);
}

#define CREDENTIALS(value) \
	digest_parse_credentials(value, strlen(value), &cr, why, sizeof(why))

#define AKA_CREDENTIALS \
	"Digest username=\"" IMPI "\", realm=\"" REALM "\", " \
	"nonce=\"" T1_NONCE "\", uri=\"/\", qop=auth-int, nc=00000001, " \
	"cnonce=\"0a4f113b\", response=\"d47e4afd3245638428c815924bc5bc69\", " \
	"opaque=\"5ccc069c\", algorithm=AKAv1-MD5"

static void test_credentials(void)
{
	static const struct reject rejects[] = {
		{ "Digest username=\"u\", realm=\"r\", nonce=\"\", response=\"\"",
		  "username, realm, nonce, uri or response missing" },
		{ "Digest username=\"u\", realm=\"r\", uri=\"/\", nonce=\"\"",
		  "username, realm, nonce, uri or response missing" },
		{ "Digest username=\"\", realm=\"r\", nonce=\"\", uri=\"/\", "
		  "response=\"\"", "empty username or uri" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=xyz",
		  "response is not 32" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", "
		  "response=\"D47E4AFD3245638428C815924BC5BC69\"",
		  "response is not 32" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", "
		  "response=\"d47e4afd3245638428c815924bc5bc690\"",
		  "value of response too long" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=auth-int, cnonce=c", "nc is not 8 hex digits" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=auth-int, nc=0000001, cnonce=c",
		  "nc is not 8 hex digits" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=auth-int, nc=0000000g, cnonce=c",
		  "nc is not 8 hex digits" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=auth-int, nc=00000001", "qop without cnonce" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "nc=00000001", "nc or cnonce without qop" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=AUTH", "qop is neither" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "qop=\"auth,auth-int\"", "qop is neither" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "auts=\"ASNFZ4mrze8BI0Vnia==\"", "auts is not base64" },
		{ "Digest username=u, realm=r, nonce=n, uri=\"/\", response=\"\", "
		  "auts=\"ASNFZ4mrze8BI0VniasAAAAA\"", "value of auts too long" },
		{ "Digest username=u, username=u, realm=r, nonce=n, uri=\"/\", "
		  "response=\"\"", "parameter username given twice" },
	};
	struct digest_credentials cr;
	uint8_t auts[AKA_AUTS_LEN];
	char why[UB_WHY_MAX];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	ok(CREDENTIALS("Digest username=\"" IMPI "\", realm=\"" REALM
		       "\", nonce=\"\", uri=\"/\", response=\"\"") == 0 &&
	   !strcmp(cr.username, IMPI) && !cr.nonce[0] && !cr.response[0] &&
	   !cr.qop[0], "TS 24.109 A.3 first request (empty nonce, response)");
	ok(CREDENTIALS(AKA_CREDENTIALS) == 0 &&
	   !strcmp(cr.response, "d47e4afd3245638428c815924bc5bc69") &&
	   !strcmp(cr.algorithm, "AKAv1-MD5") && !strcmp(cr.opaque, "5ccc069c") &&
	   !strcmp(cr.qop, "auth-int") && !cr.auts[0],
	   "AKA credentials");
	ok(CREDENTIALS("Digest username=\"" IMPI "\", realm=\"" REALM "\", "
		       "nonce=\"" T1_NONCE "\", uri=\"/\", qop=auth-int, "
		       "nc=00000001, cnonce=\"0a4f113b\", "
		       "response=\"1d73ea14d997bda5a5f27a0d4e0a1cb3\", "
		       "auts=\"ASNFZ4mrze8BI0Vnias=\"") == 0 &&
	   digest_auts_decode(cr.auts, auts) == 0 && auts[0] == 0x01 &&
	   auts[13] == 0xab, "credentials with auts");
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(CREDENTIALS(rejects[i].value) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "credentials refused: %s", rejects[i].why);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
}

#define AUTH_INFO(value) \
	digest_parse_auth_info(value, strlen(value), &ai, why, sizeof(why))

static void test_auth_info(void)
{
	static const struct reject rejects[] = {
		{ "", "empty header value" },
		{ "qop=auth-int, cnonce=\"c\", nc=00000001",
		  "qop without rspauth" },
		{ "qop=auth-int, rspauth=\"3ff92ccfae31ccd5069580d6410135bb\", "
		  "nc=00000001", "qop without cnonce" },
		{ "rspauth=\"3ff92ccfae31ccd5069580d6410135bz\"",
		  "rspauth is not 32" },
		{ "Digest rspauth=\"3ff92ccfae31ccd5069580d6410135bb\"",
		  "no '=' after parameter Digest" },
		{ "nextnonce=\"a\", nextnonce=\"b\"",
		  "parameter nextnonce given twice" },
		{ "nextnonce=\"a", "bad value of parameter nextnonce" },
	};
	struct digest_auth_info ai;
	char why[UB_WHY_MAX];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	ok(AUTH_INFO("qop=auth-int, rspauth=\"3ff92ccfae31ccd5069580d6410135bb\","
		     " cnonce=\"0a4f113b\", nc=00000001") == 0 &&
	   !strcmp(ai.rspauth, "3ff92ccfae31ccd5069580d6410135bb") &&
	   !strcmp(ai.cnonce, "0a4f113b") && !strcmp(ai.nc, "00000001") &&
	   !strcmp(ai.qop, "auth-int") && !ai.nextnonce[0],
	   "Authentication-Info with rspauth");
	ok(AUTH_INFO("nextnonce=\"abc\"") == 0 &&
	   !strcmp(ai.nextnonce, "abc") && !ai.rspauth[0],
	   "Authentication-Info with nextnonce only");
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(AUTH_INFO(rejects[i].value) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "Authentication-Info refused: %s", rejects[i].why);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
}

static void test_build(void)
{
	struct digest_challenge ch = { .realm = REALM, .nonce = T1_NONCE,
				       .algorithm = "AKAv1-MD5",
				       .qop = "auth-int" }, ch2;
	struct digest_credentials cr = { .username = IMPI, .realm = REALM,
					 .nonce = "", .uri = "/",
					 .response = "" }, cr2;
	struct digest_auth_info ai = {
		.qop = "auth-int",
		.rspauth = "3ff92ccfae31ccd5069580d6410135bb",
		.cnonce = "0a4f113b", .nc = "00000001" }, ai2;
	char out[DIGEST_HEADER_MAX + 1], why[UB_WHY_MAX];
	int len;

	len = digest_build_challenge(out, sizeof(out), &ch, why, sizeof(why));
	ok(len > 0 && (size_t)len == strlen(out) &&
	   !strcmp(out, "Digest realm=\"bsf.home1.net\", nonce=\"" T1_NONCE
		   "\", algorithm=AKAv1-MD5, qop=\"auth-int\""),
	   "challenge built");
	ok(digest_parse_challenge(out, (size_t)len, &ch2, why,
				  sizeof(why)) == 0 &&
	   !memcmp(&ch, &ch2, sizeof(ch)), "and parses back the same");
	ch.stale = true;
	strcpy(ch.opaque, "a\"b\\c");
	len = digest_build_challenge(out, sizeof(out), &ch, why, sizeof(why));
	ok(len > 0 && strstr(out, ", opaque=\"a\\\"b\\\\c\"") &&
	   strstr(out, ", stale=true"), "quotes escaped, stale written");
	ok(digest_parse_challenge(out, (size_t)len, &ch2, why,
				  sizeof(why)) == 0 &&
	   !memcmp(&ch, &ch2, sizeof(ch)), "and parses back the same");
	ok(digest_build_challenge(out, 20, &ch, why, sizeof(why)) == -ENOSPC &&
	   out[0] == '\0', "too small a buffer: -ENOSPC, empty out");
	strcpy(ch.opaque, "a\nb");
	ok(digest_build_challenge(out, sizeof(out), &ch, why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "control character in opaque"),
	   "a control character refused");

	len = digest_build_credentials(out, sizeof(out), &cr, why,
				       sizeof(why));
	ok(len > 0 &&
	   !strcmp(out, "Digest username=\"" IMPI "\", realm=\"" REALM
		   "\", nonce=\"\", uri=\"/\", response=\"\""),
	   "first request built as TS 24.109 A.3");
	strcpy(cr.nonce, T1_NONCE);
	strcpy(cr.qop, "auth-int");
	strcpy(cr.nc, "00000001");
	strcpy(cr.cnonce, "0a4f113b");
	strcpy(cr.response, "1d73ea14d997bda5a5f27a0d4e0a1cb3");
	strcpy(cr.algorithm, "AKAv1-MD5");
	strcpy(cr.auts, "ASNFZ4mrze8BI0Vnias=");
	len = digest_build_credentials(out, sizeof(out), &cr, why,
				       sizeof(why));
	ok(len > 0 &&
	   !strcmp(out, "Digest username=\"" IMPI "\", realm=\"" REALM
		   "\", nonce=\"" T1_NONCE "\", uri=\"/\", qop=auth-int, "
		   "nc=00000001, cnonce=\"0a4f113b\", "
		   "response=\"1d73ea14d997bda5a5f27a0d4e0a1cb3\", "
		   "algorithm=AKAv1-MD5, auts=\"ASNFZ4mrze8BI0Vnias=\""),
	   "resync credentials built");
	ok(digest_parse_credentials(out, (size_t)len, &cr2, why,
				    sizeof(why)) == 0 &&
	   !memcmp(&cr, &cr2, sizeof(cr)), "and parse back the same");
	strcpy(cr.response, "XYZ");
	ok(digest_build_credentials(out, sizeof(out), &cr, why, sizeof(why)) ==
	   -EINVAL, "a bad response refused");

	len = digest_build_auth_info(out, sizeof(out), &ai, why, sizeof(why));
	ok(len > 0 &&
	   !strcmp(out, "qop=auth-int, "
		   "rspauth=\"3ff92ccfae31ccd5069580d6410135bb\", "
		   "cnonce=\"0a4f113b\", nc=00000001"),
	   "Authentication-Info built");
	ok(digest_parse_auth_info(out, (size_t)len, &ai2, why,
				  sizeof(why)) == 0 &&
	   !memcmp(&ai, &ai2, sizeof(ai)), "and parses back the same");
	memset(&ai, 0, sizeof(ai));
	ok(digest_build_auth_info(out, sizeof(out), &ai, why, sizeof(why)) ==
	   -EINVAL, "an empty Authentication-Info refused");
}

static void test_names(void)
{
	enum digest_qop qop = DIGEST_QOP_AUTH;

	ok(digest_algorithm_of("") == DIGEST_ALG_MD5 &&
	   digest_algorithm_of("md5") == DIGEST_ALG_MD5 &&
	   digest_algorithm_of("akav1-md5") == DIGEST_ALG_AKAV1_MD5 &&
	   digest_algorithm_of("AKAv1-MD5-sess") == DIGEST_ALG_UNSUPPORTED &&
	   digest_algorithm_of("AKAv2-MD5") == DIGEST_ALG_UNSUPPORTED,
	   "algorithm names");
	ok(digest_qop_of("", &qop) == 0 && qop == DIGEST_QOP_NONE &&
	   digest_qop_of("auth-int", &qop) == 0 &&
	   qop == DIGEST_QOP_AUTH_INT && digest_qop_of("auth-conf", &qop) ==
	   -EINVAL, "qop names");
	ok(!digest_qop_offered("auth-intx", DIGEST_QOP_AUTH_INT) &&
	   !digest_qop_offered("", DIGEST_QOP_AUTH) &&
	   digest_qop_offered("", DIGEST_QOP_NONE) &&
	   digest_qop_offered(" auth-int ,auth", DIGEST_QOP_AUTH),
	   "qop options");
}

int main(void)
{
	plan(113);
	test_mufasa();
	test_aka_nonce();
	test_auts();
	test_aka_response();
	test_challenge();
	test_challenge_rejects();
	test_credentials();
	test_auth_info();
	test_build();
	test_names();
	return done_testing();
}
