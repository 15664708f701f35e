// SPDX-License-Identifier: GPL-2.0
/*
 * proto/best/av_msg.c and proto/best/keyset_msg.c: the AV request and answer of the
 * SGW and the HSS, the key set pull of the HSE, each built byte for byte,
 * parsed back, and every refusal.
 */
#include <errno.h>

#include "proto/best/av_msg.h"
#include "proto/best/keyset_msg.h"
#include "tap.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

#define IMSI	"001010000000001"
/* TS 35.208 test set 1, CK' and IK' of e2m_aka_test.c. */
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define XRES	"a54211d5e3ba50bf"
#define CK	"79b2d748ab941cb0f5475e0a725c0590"
#define IK	"4415259915a6bd02a8a073b34f46765b"
#define KASME	"864838ad52dddd233aa68c416fa165fa3e58c6c5d0ec8899524d1611dca2ceb0"
#define AUTS	"0123456789abcdef0123456789ab"
#define SN_ID	"00f110"
#define SNN	"5G:mnc001.mcc001.3gppnetwork.org"
/* RES* and K_AUSF of test set 1 for SNN, as in e2m_aka_test.c. */
#define XRES_STAR	"f236a7417272bfb2d66d4d670733b527"
#define KAUSF	"474698caf02cc715db2ec0726510cfee6caa5bb1a649cb01224f2e23af94de1b"
#define SQN	"000000000021"
#define K_ENC	"d048294200fa791d45690010fbd17917"
#define K_INT	"e79569942531e8d25ab1c2fc9653b206"
#define EXPIRES	"2024-05-01T12:02:00Z"
#define EXPIRES_T	1714564920

struct reject {
	const char *body;
	const char *why;
};

typedef int (*parse_fn)(const char *text, size_t len, void *out, char *why,
			size_t why_size);

/* Each body refused with -EINVAL and a why starting as given; out as was. */
static void rejects(const char *what, const struct reject *r, size_t n,
		    parse_fn parse, void *out, size_t size)
{
	char why[UB_WHY_MAX];
	size_t i;
	bool untouched = true;

	memset(out, 0x5a, size);
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(parse(r[i].body, strlen(r[i].body), out, why,
			 sizeof(why)) == -EINVAL &&
		   !strncmp(why, r[i].why, strlen(r[i].why)),
		   "%s refused: %s (%zu)", what, r[i].why, i);
		if (strncmp(why, r[i].why, strlen(r[i].why)))
			printf("#   why: %s\n", why);
	}
	for (i = 0; i < size; i++)
		untouched = untouched && ((uint8_t *)out)[i] == 0x5a;
	ok(untouched, "a refused %s leaves the struct untouched", what);
}

/* A body of exactly UB_JSON_MAX octets parses, one more does not. */
static void size_limit(const char *what, const char *head, parse_fn parse,
		       void *out)
{
	char *big = malloc(UB_JSON_MAX + 2), why[UB_WHY_MAX];
	int pad = UB_JSON_MAX - (int)strlen(head) - (int)strlen(",\"pad\":\"\"}");

	snprintf(big, UB_JSON_MAX + 2, "%s,\"pad\":\"%0*d\"}", head, pad, 0);
	ok(strlen(big) == UB_JSON_MAX &&
	   parse(big, UB_JSON_MAX, out, why, sizeof(why)) == 0,
	   "%s: a body of %d octets is read", what, UB_JSON_MAX);
	snprintf(big, UB_JSON_MAX + 2, "%s,\"pad\":\"%0*d\"}", head, pad + 1,
		 0);
	ok(parse(big, strlen(big), out, why, sizeof(why)) == -EINVAL &&
	   strstr(why, "longer than"), "%s: one octet more is refused", what);
	free(big);
}

/* ---- AV request ---------------------------------------------------------- */

static int av_req_parse(const char *t, size_t l, void *o, char *w, size_t s)
{
	return av_request_parse(t, l, o, w, s);
}

static void av_request_rejects(void)
{
	static const struct reject r[] = {
		{ "", "empty body" },
		{ "[]", "body is not a JSON object" },
		{ "{\"imsi\":\"" IMSI "\",\"imsi\":\"" IMSI "\",\"aka\":\"umts\"}",
		  "not JSON" },
		{ "{\"aka\":\"umts\"}", "\"imsi\" missing" },
		{ "{\"imsi\":1010000000001,\"aka\":\"umts\"}",
		  "\"imsi\" is not a string" },
		{ "{\"imsi\":\"00101\",\"aka\":\"umts\"}",
		  "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"00101000000000a\",\"aka\":\"umts\"}",
		  "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"0010100000000012\",\"aka\":\"umts\"}",
		  "\"imsi\" is empty or longer than 15" },
		{ "{\"imsi\":\"\",\"aka\":\"umts\"}", "\"imsi\" is empty" },
		{ "{\"imsi\":\"" IMSI "\"}", "\"aka\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"gsm\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"UMTS\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":true}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\"}", "\"sn-id\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\",\"sn-id\":\"00f1\"}",
		  "\"sn-id\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\",\"sn-id\":\"00f11\"}",
		  "\"sn-id\": odd number" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\",\"sn-id\":[]}",
		  "\"sn-id\" is not a string" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"sn-id\":\"" SN_ID
		  "\"}", "\"sn-id\" is for EPS only" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"sn-id\":\"" SN_ID
		  "\",\"snn\":\"" SNN "\"}", "\"sn-id\" is for EPS only" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\",\"sn-id\":\"" SN_ID
		  "\",\"snn\":\"" SNN "\"}", "\"snn\" is for 5G only" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"snn\":\"" SNN
		  "\"}", "\"snn\" is for 5G only" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\"}", "\"snn\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5G\",\"snn\":\"" SNN "\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":5}",
		  "\"snn\" is not a string" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"\"}",
		  "\"snn\" is empty" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\","
		  "\"snn\":\"mnc001.mcc001.3gppnetwork.org\"}",
		  "\"snn\" is not a serving network name" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:\"}",
		  "\"snn\" is not a serving network name" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:a b\"}",
		  "\"snn\" is not a serving network name" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:a\\tb\"}",
		  "\"snn\" is not a serving network name" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:\\u00e9\"}",
		  "\"snn\" is not a serving network name" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:a\\u0000\"}",
		  "not JSON" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\"5G:"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
		  "\"snn\"" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"resync\":[]}",
		  "\"resync\" is not an object" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"resync\":"
		  "{\"auts\":\"" AUTS "\"}}", "\"rand\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"resync\":"
		  "{\"rand\":\"" RAND "\"}}", "\"auts\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"resync\":"
		  "{\"rand\":\"" RAND "\",\"auts\":\"" AUTS "00\"}}",
		  "\"auts\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\",\"resync\":"
		  "{\"rand\":\"" RAND "\",\"auts\":\"" AUTS "\","
		  "\"rand\":\"" RAND "\"}}", "not JSON" },
	};
	struct av_request req;

	rejects("AV request", r, sizeof(r) / sizeof(r[0]), av_req_parse, &req,
		sizeof(req));
	size_limit("AV request", "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\"",
		   av_req_parse, &req);
}

static void av_request_round_trips(void)
{
	struct av_request req = { .imsi = IMSI, .aka = E2M_AKA_UMTS }, back;
	char *text, why[UB_WHY_MAX];
	static const char upper[] =
		"{\"z\":{},\"aka\":\"eps\",\"imsi\":\"" IMSI "\","
		"\"sn-id\":\"00F110\"}";

	ok(av_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"aka\":\"umts\"}"),
	   "UMTS AV request built");
	ok(av_request_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && !strcmp(back.imsi, IMSI) && back.aka == E2M_AKA_UMTS &&
	   !back.resync, "and parses back");
	ub_json_text_free(text);

	req.aka = E2M_AKA_EPS;
	unhex(req.sn_id, sizeof(req.sn_id), SN_ID);
	req.resync = true;
	unhex(req.rand, sizeof(req.rand), RAND);
	unhex(req.auts, sizeof(req.auts), AUTS);
	ok(av_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"aka\":\"eps\",\"sn-id\":\""
		   SN_ID "\",\"resync\":{\"rand\":\"" RAND "\",\"auts\":\""
		   AUTS "\"}}"), "EPS AV request with resync built");
	ok(av_request_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && back.aka == E2M_AKA_EPS && back.resync &&
	   !memcmp(back.sn_id, req.sn_id, SN_ID_LEN) &&
	   !memcmp(back.rand, req.rand, AKA_RAND_LEN) &&
	   !memcmp(back.auts, req.auts, AKA_AUTS_LEN), "and parses back");
	ub_json_text_free(text);
	ok(av_request_parse(upper, strlen(upper), &back, why, sizeof(why)) ==
	   0 && back.aka == E2M_AKA_EPS && !back.resync &&
	   !memcmp(back.sn_id, req.sn_id, SN_ID_LEN),
	   "upper-case hex read, unknown members ignored");

	req.aka = E2M_AKA_5G;
	req.resync = false;
	strcpy(req.snn, SNN);
	ok(av_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"aka\":\"5g\",\"snn\":\""
		   SNN "\"}"), "5G AV request built");
	ok(av_request_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && back.aka == E2M_AKA_5G && !strcmp(back.snn, SNN) &&
	   !back.resync, "and parses back");
	ub_json_text_free(text);
	strcpy(req.snn, "5G:a b");
	text = why;
	ok(av_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strncmp(why, "\"snn\" is not", 12),
	   "5G AV request with a bad serving network name not built");
	strcpy(req.snn, SNN);

	strcpy(req.imsi, "12345");
	text = why;
	ok(av_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"imsi\" is not an IMSI"),
	   "AV request with a bad IMSI not built");
	strcpy(req.imsi, IMSI);
	req.aka = (enum e2m_aka_kind)5;
	ok(av_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"aka\" is not umts, eps or 5g"),
	   "nor one of an unknown kind");
}

/* ---- AV response --------------------------------------------------------- */

static int av_resp_parse(const char *t, size_t l, void *o, char *w, size_t s)
{
	return av_response_parse(t, l, o, w, s);
}

#define AV_COMMON "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\"," \
	"\"autn\":\"" AUTN "\",\"e2m\":true"
#define AV_HEAD AV_COMMON ",\"xres\":\"" XRES "\""

static void av_response_rejects(void)
{
	static const struct reject r[] = {
		{ "{\"rand\":\"" RAND "\",\"autn\":\"" AUTN "\",\"xres\":\"" XRES
		  "\",\"e2m\":true,\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "\"imsi\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"autn\":\"" AUTN "\",\"xres\":\"" XRES
		  "\",\"e2m\":true,\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "\"rand\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"xres\":\"" XRES
		  "\",\"e2m\":true,\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "\"autn\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN
		  "\",\"e2m\":true,\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "\"xres\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN
		  "\",\"xres\":\"" XRES "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "\"e2m\" missing" },
		{ AV_HEAD "}", "\"ck\" missing" },
		{ AV_HEAD ",\"ck\":\"" CK "\"}", "\"ik\" missing" },
		{ AV_HEAD ",\"ik\":\"" IK "\"}", "\"ck\" missing" },
		{ AV_HEAD ",\"ck\":\"" CK "\",\"ik\":\"" IK "\",\"kasme\":\""
		  KASME "\"}", "keys of more than one AKA" },
		{ AV_HEAD ",\"ik\":\"" IK "\",\"kasme\":\"" KASME "\"}",
		  "keys of more than one AKA" },
		{ AV_COMMON ",\"xres-star\":\"" XRES_STAR "\",\"kausf\":\"" KAUSF
		  "\",\"kasme\":\"" KASME "\"}", "keys of more than one AKA" },
		{ AV_COMMON ",\"xres-star\":\"" XRES_STAR "\",\"kausf\":\"" KAUSF
		  "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\"}",
		  "keys of more than one AKA" },
		{ AV_HEAD ",\"xres-star\":\"" XRES_STAR "\",\"kausf\":\"" KAUSF
		  "\"}", "\"xres\" in a 5g vector" },
		{ AV_COMMON ",\"kausf\":\"" KAUSF "\"}", "\"xres-star\" missing" },
		{ AV_COMMON ",\"xres-star\":\"" XRES_STAR "\"}",
		  "\"kausf\" missing" },
		{ AV_COMMON ",\"xres-star\":\"" XRES "\",\"kausf\":\"" KAUSF
		  "\"}", "\"xres-star\": wrong length" },
		{ AV_COMMON ",\"xres-star\":\"" XRES_STAR "\",\"kausf\":\"" CK
		  "\"}", "\"kausf\": wrong length" },
		{ AV_HEAD ",\"kasme\":\"" CK "\"}", "\"kasme\": wrong length" },
		{ AV_HEAD ",\"kasme\":null}", "\"kasme\" is not a string" },
		{ AV_HEAD ",\"ck\":\"" CK "0\",\"ik\":\"" IK "\"}",
		  "\"ck\": odd number" },
		{ AV_HEAD ",\"ck\":\"" CK "\",\"ik\":\"" IK "00\"}",
		  "\"ik\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN
		  "\",\"xres\":\"" XRES "\",\"e2m\":1,\"kasme\":\"" KASME "\"}",
		  "\"e2m\" is not true or false" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN
		  "\",\"xres\":\"a54211d5e3ba50bf00\",\"e2m\":true,"
		  "\"kasme\":\"" KASME "\"}", "\"xres\": wrong length" },
		{ "{\"imsi\":\"x\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN
		  "\",\"xres\":\"" XRES "\",\"e2m\":true,\"kasme\":\"" KASME
		  "\"}", "\"imsi\" is not an IMSI" },
		{ AV_HEAD ",\"kasme\":\"" KASME "\",\"e2m\":false}", "not JSON" },
	};
	struct av_response resp;

	rejects("AV response", r, sizeof(r) / sizeof(r[0]), av_resp_parse,
		&resp, sizeof(resp));
}

static bool same_av(const struct av_response *a, const struct av_response *b)
{
	return !strcmp(a->imsi, b->imsi) && a->aka == b->aka &&
	       !memcmp(a->rand, b->rand, sizeof(a->rand)) &&
	       !memcmp(a->autn, b->autn, sizeof(a->autn)) &&
	       !memcmp(a->xres, b->xres, sizeof(a->xres)) &&
	       a->e2m == b->e2m &&
	       !memcmp(a->ck, b->ck, sizeof(a->ck)) &&
	       !memcmp(a->ik, b->ik, sizeof(a->ik)) &&
	       !memcmp(a->kasme, b->kasme, sizeof(a->kasme)) &&
	       !memcmp(a->xres_star, b->xres_star, sizeof(a->xres_star)) &&
	       !memcmp(a->kausf, b->kausf, sizeof(a->kausf));
}

static void av_response_round_trips(void)
{
	struct av_response resp, back;
	char *text, why[UB_WHY_MAX];
	bool zero = true;
	size_t i;

	memset(&resp, 0, sizeof(resp));
	strcpy(resp.imsi, IMSI);
	unhex(resp.rand, sizeof(resp.rand), RAND);
	unhex(resp.autn, sizeof(resp.autn), AUTN);
	unhex(resp.xres, sizeof(resp.xres), XRES);
	unhex(resp.ck, sizeof(resp.ck), CK);
	unhex(resp.ik, sizeof(resp.ik), IK);
	resp.e2m = true;
	ok(av_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, AV_HEAD ",\"ck\":\"" CK "\",\"ik\":\"" IK "\"}"),
	   "UMTS AV response built");
	ok(av_response_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && same_av(&resp, &back), "and parses back");
	ub_json_text_free(text);

	memset(resp.ck, 0, sizeof(resp.ck));
	memset(resp.ik, 0, sizeof(resp.ik));
	unhex(resp.kasme, sizeof(resp.kasme), KASME);
	resp.aka = E2M_AKA_EPS;
	resp.e2m = false;
	ok(av_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\","
		   "\"autn\":\"" AUTN "\",\"e2m\":false,\"xres\":\"" XRES "\","
		   "\"kasme\":\"" KASME "\"}"), "EPS AV response built");
	ok(av_response_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && same_av(&resp, &back), "and parses back as EPS");
	ub_json_text_free(text);

	memset(resp.kasme, 0, sizeof(resp.kasme));
	memset(resp.xres, 0, sizeof(resp.xres));
	unhex(resp.xres_star, sizeof(resp.xres_star), XRES_STAR);
	unhex(resp.kausf, sizeof(resp.kausf), KAUSF);
	resp.aka = E2M_AKA_5G;
	resp.e2m = true;
	ok(av_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, AV_COMMON ",\"xres-star\":\"" XRES_STAR "\","
		   "\"kausf\":\"" KAUSF "\"}"), "5G AV response built, no xres");
	ok(av_response_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && same_av(&resp, &back), "and parses back as 5G");
	ub_json_text_free(text);

	strcpy(resp.imsi, "0010100000000011");
	text = why;
	ok(av_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "AV response with a bad IMSI not built");
	av_response_wipe(&back);
	for (i = 0; i < sizeof(back); i++)
		zero = zero && ((uint8_t *)&back)[i] == 0;
	ok(zero, "av_response_wipe() zeroes it");
}

/* ---- key set request ----------------------------------------------------- */

static int ks_req_parse(const char *t, size_t l, void *o, char *w, size_t s)
{
	return keyset_request_parse(t, l, o, w, s);
}

static void keyset_request_rejects(void)
{
	static const struct reject r[] = {
		{ "{", "not JSON" },
		{ "\"x\"", "not JSON" },
		{ "{\"rand\":\"" RAND "\"}", "\"imsi\" missing" },
		{ "{\"imsi\":\"00101000000000x\",\"rand\":\"" RAND "\"}",
		  "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"" IMSI "\"}", "\"rand\" or \"sqn\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"sqn\":\"" SQN
		  "\"}", "both \"rand\" and \"sqn\"" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":null}",
		  "\"rand\" is not a string" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" SQN "\"}",
		  "\"rand\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"" RAND "\"}",
		  "\"sqn\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"00000000002g\"}",
		  "\"sqn\": not a hex" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":33}", "\"sqn\" is not a string" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\",\"sqn\":\"" SQN
		  "\"}", "not JSON" },
	};
	struct keyset_request req;

	rejects("key set request", r, sizeof(r) / sizeof(r[0]), ks_req_parse,
		&req, sizeof(req));
	size_limit("key set request", "{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN
		   "\"", ks_req_parse, &req);
}

static void keyset_request_round_trips(void)
{
	struct keyset_request req = { .imsi = IMSI, .by = KEYSET_BY_RAND };
	struct keyset_request back;
	char *text, why[UB_WHY_MAX];

	unhex(req.rand, sizeof(req.rand), RAND);
	ok(keyset_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\"}"),
	   "pull by RAND built");
	ok(keyset_request_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && back.by == KEYSET_BY_RAND && !strcmp(back.imsi, IMSI) &&
	   !memcmp(back.rand, req.rand, AKA_RAND_LEN), "and parses back");
	ub_json_text_free(text);
	req.by = KEYSET_BY_SQN;
	unhex(req.sqn, sizeof(req.sqn), SQN);
	ok(keyset_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\"}"),
	   "pull by SQN built");
	ok(keyset_request_parse(text, strlen(text), &back, why, sizeof(why)) ==
	   0 && back.by == KEYSET_BY_SQN &&
	   !memcmp(back.sqn, req.sqn, AKA_SQN_LEN), "and parses back");
	ub_json_text_free(text);
	req.by = (enum keyset_by)2;
	text = why;
	ok(keyset_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "a pull by neither not built");
	req.by = KEYSET_BY_SQN;
	strcpy(req.imsi, "");
	ok(keyset_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"imsi\" is not an IMSI"),
	   "nor one without IMSI");
}

/* ---- key set response ---------------------------------------------------- */

static int ks_resp_parse(const char *t, size_t l, void *o, char *w, size_t s)
{
	return keyset_response_parse(t, l, o, w, s);
}

#define KS_HEAD "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"sqn\":\"" \
	SQN "\""
#define KS_TAIL ",\"k-enc\":\"" K_ENC "\",\"k-int\":\"" K_INT "\"," \
	"\"window-expires\":\"" EXPIRES "\"}"

static void keyset_response_rejects(void)
{
	static const struct reject r[] = {
		{ KS_HEAD ",\"int-alg\":2" KS_TAIL, "\"enc-alg\" missing" },
		{ KS_HEAD ",\"enc-alg\":2" KS_TAIL, "\"int-alg\" missing" },
		{ KS_HEAD ",\"enc-alg\":4,\"int-alg\":2" KS_TAIL,
		  "\"enc-alg\" is out of range 0..3" },
		{ KS_HEAD ",\"enc-alg\":-1,\"int-alg\":2" KS_TAIL,
		  "\"enc-alg\" is out of range 0..3" },
		{ KS_HEAD ",\"enc-alg\":2.0,\"int-alg\":2" KS_TAIL,
		  "\"enc-alg\" is not an integer" },
		{ KS_HEAD ",\"enc-alg\":\"2\",\"int-alg\":2" KS_TAIL,
		  "\"enc-alg\" is not an integer" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":99999999999999999999"
		  KS_TAIL, "not JSON" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-int\":\"" K_INT "\","
		  "\"window-expires\":\"" EXPIRES "\"}", "\"k-enc\" missing" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-enc\":\"" K_ENC "\","
		  "\"window-expires\":\"" EXPIRES "\"}", "\"k-int\" missing" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-enc\":\"" K_ENC "\","
		  "\"k-int\":\"" K_INT "\"}", "\"window-expires\" missing" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-enc\":\"" K_ENC "\","
		  "\"k-int\":\"" K_INT "\",\"window-expires\":\"2024-05-01 "
		  "12:02:00\"}", "\"window-expires\" is not YYYY" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-enc\":\"" K_ENC "00\","
		  "\"k-int\":\"" K_INT "\",\"window-expires\":\"" EXPIRES "\"}",
		  "\"k-enc\": wrong length" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"enc-alg\":2,"
		  "\"int-alg\":2" KS_TAIL, "\"sqn\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\",\"enc-alg\":2,"
		  "\"int-alg\":2" KS_TAIL, "\"rand\" missing" },
		{ KS_HEAD ",\"enc-alg\":2,\"int-alg\":2,\"k-enc\":\"" K_ENC "\","
		  "\"k-enc\":\"" K_ENC "\"" KS_TAIL, "not JSON" },
	};
	struct keyset_response resp;

	rejects("key set response", r, sizeof(r) / sizeof(r[0]),
		ks_resp_parse, &resp, sizeof(resp));
}

/* The key set of KS_HEAD ... KS_TAIL, AES both. */
static void test_keyset_response(struct keyset_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strcpy(resp->imsi, IMSI);
	unhex(resp->rand, sizeof(resp->rand), RAND);
	unhex(resp->sqn, sizeof(resp->sqn), SQN);
	resp->enc_alg = resp->int_alg = E2M_ALG_AES;
	unhex(resp->k_enc, sizeof(resp->k_enc), K_ENC);
	unhex(resp->k_int, sizeof(resp->k_int), K_INT);
	resp->window_expires = EXPIRES_T;
}

static void keyset_response_round_trips(void)
{
	struct keyset_response resp, back;
	char *text, why[UB_WHY_MAX];
	bool zero = true;
	size_t i;

	test_keyset_response(&resp);
	ok(keyset_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   !strcmp(text, KS_HEAD ",\"enc-alg\":2,\"int-alg\":2" KS_TAIL),
	   "key set response built");
	ok(keyset_response_parse(text, strlen(text), &back, why,
				 sizeof(why)) == 0 &&
	   !strcmp(back.imsi, IMSI) &&
	   !memcmp(back.rand, resp.rand, sizeof(resp.rand)) &&
	   !memcmp(back.sqn, resp.sqn, sizeof(resp.sqn)) &&
	   back.enc_alg == E2M_ALG_AES && back.int_alg == E2M_ALG_AES &&
	   !memcmp(back.k_enc, resp.k_enc, sizeof(resp.k_enc)) &&
	   !memcmp(back.k_int, resp.k_int, sizeof(resp.k_int)) &&
	   back.window_expires == EXPIRES_T, "and parses back the same");
	ub_json_text_free(text);
	resp.int_alg = 4;
	text = why;
	ok(keyset_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "an algorithm of 4 not built");
	keyset_response_wipe(&back);
	for (i = 0; i < sizeof(back); i++)
		zero = zero && ((uint8_t *)&back)[i] == 0;
	ok(zero, "keyset_response_wipe() zeroes it");
}

/*
 * A batch's items and results as objects (the HSS's POST /e2m/v1/keysets):
 * keyset_request_read() reads what keyset_request_parse() reads, with the
 * same refusals; keyset_response_object() is keyset_response_build()'s
 * text as an object.
 */
static void keyset_objects(void)
{
	struct keyset_response resp;
	struct keyset_request req;
	char *text = NULL, why[UB_WHY_MAX];
	json_t *obj;

	obj = json_loads("{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\"}", 0,
			 NULL);
	memset(&req, 0xa5, sizeof(req));
	ok(keyset_request_read(obj, &req, why, sizeof(why)) == 0 &&
	   req.by == KEYSET_BY_SQN && !strcmp(req.imsi, IMSI) &&
	   req.sqn[5] == 0x21, "keyset_request_read(): a pull by SQN");
	json_object_del(obj, "sqn");
	ok(keyset_request_read(obj, &req, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"rand\" or \"sqn\" missing"),
	   "and refuses one without RAND or SQN as _parse() does");
	json_decref(obj);

	test_keyset_response(&resp);
	ok(keyset_response_object(&resp, &obj, why, sizeof(why)) == 0 &&
	   (text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) &&
	   !strcmp(text, KS_HEAD ",\"enc-alg\":2,\"int-alg\":2" KS_TAIL),
	   "keyset_response_object(): _build()'s members, in order");
	ub_json_text_free(text);
	json_decref(obj);
	resp.enc_alg = 4;
	obj = (json_t *)why;
	ok(keyset_response_object(&resp, &obj, why, sizeof(why)) == -EINVAL &&
	   !obj && !strcmp(why, "an algorithm is not 0..3"),
	   "and refuses an algorithm of 4 as _build() does");
	keyset_response_wipe(&resp);
}

int main(void)
{
	plan(129);
	av_request_round_trips();
	av_request_rejects();
	av_response_round_trips();
	av_response_rejects();
	keyset_request_round_trips();
	keyset_request_rejects();
	keyset_response_round_trips();
	keyset_response_rejects();
	keyset_objects();
	return done_testing();
}
