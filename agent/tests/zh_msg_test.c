// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/zh_msg.c: the Zh vector request and answer, built byte for byte,
 * parsed back, and every refusal.
 */
#include <errno.h>

#include "tap.h"
#include "util/why.h"
#include "proto/gba/zh_msg.h"

#define IMPI	"user1_private@home1.net"
/* TS 35.208 test set 1. */
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define XRES	"a54211d5e3ba50bf"
#define CK	"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK	"f769bcd751044604127672711c6d3441"
#define AUTS	"0123456789abcdef0123456789ab"
#define USS	"{\"naf-list\":[{\"naf\":\"naf1.home1.net\",\"flags\":[1,2]}]}"

struct reject {
	const char *body;
	const char *why;
};

static void request_rejects(void)
{
	static const struct reject rejects[] = {
		{ "", "empty body" },
		{ "{", "not JSON" },
		{ "[]", "body is not a JSON object" },
		{ "\"" IMPI "\"", "not JSON" },
		{ "{\"impi\":\"" IMPI "\",\"impi\":\"" IMPI "\"}", "not JSON" },
		{ "{}", "\"impi\" missing" },
		{ "{\"impi\":7}", "\"impi\" is not a string" },
		{ "{\"impi\":null}", "\"impi\" is not a string" },
		{ "{\"impi\":\"\"}", "\"impi\" is empty or longer" },
		{ "{\"impi\":\"nobody\"}", "\"impi\" is not an IMPI" },
		{ "{\"impi\":\"a b@c\"}", "\"impi\" is not an IMPI" },
		{ "{\"impi\":\"a\\u0000b@c\"}", "not JSON" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":\"x\"}",
		  "\"resync\" is not an object" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":null}",
		  "\"resync\" is not an object" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"auts\":\"" AUTS "\"}}",
		  "\"rand\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND "\"}}",
		  "\"auts\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND "00\","
		  "\"auts\":\"" AUTS "\"}}", "\"rand\": wrong length" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"23\","
		  "\"auts\":\"" AUTS "\"}}", "\"rand\": wrong length" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND "\","
		  "\"auts\":\"0123456789abcdef0123456789a\"}}",
		  "\"auts\": odd number" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND "\","
		  "\"auts\":\"0123456789abcdef0123456789ag\"}}",
		  "\"auts\": not a hex" },
		{ "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND "\","
		  "\"auts\":14}}", "\"auts\" is not a string" },
	};
	struct zh_av_request req;
	char why[UB_WHY_MAX], big[UB_JSON_MAX + 64];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);
	int ret;

	memset(&req, 0x5a, sizeof(req));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ret = zh_av_request_parse(rejects[i].body,
					  strlen(rejects[i].body), &req, why,
					  sizeof(why));
		ok(ret == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "request refused: %s (%zu)", rejects[i].why, i);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	snprintf(big, sizeof(big), "{\"impi\":\"%0*d@x\"}", STORE_IMPI_MAX - 1,
		 0);
	ok(zh_av_request_parse(big, strlen(big), &req, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "longer than 255"),
	   "request refused: an IMPI of %d octets", STORE_IMPI_MAX + 1);
	ok(((unsigned char *)&req)[0] == 0x5a &&
	   ((unsigned char *)&req)[sizeof(req) - 1] == 0x5a,
	   "a refused request leaves the struct untouched");
	snprintf(big, sizeof(big), "{\"impi\":\"" IMPI "\",\"pad\":\"%0*d\"}",
		 UB_JSON_MAX - 40, 0);
	ok(zh_av_request_parse(big, strlen(big), &req, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "longer than"),
	   "request refused: a body over %d octets", UB_JSON_MAX);
	big[UB_JSON_MAX - 2] = '"';
	big[UB_JSON_MAX - 1] = '}';
	ok(zh_av_request_parse(big, UB_JSON_MAX, &req, why, sizeof(why)) == 0,
	   "a body of %d octets is read", UB_JSON_MAX);
}

static void request(void)
{
	struct zh_av_request req = { .impi = IMPI }, back;
	char *text = NULL, why[UB_WHY_MAX];
	static const char upper[] =
		"{\"x\":[1,{}],\"impi\":\"" IMPI "\",\"resync\":{\"y\":null,"
		"\"rand\":\"23553CBE9637A89D218AE64DAE47BF35\","
		"\"auts\":\"0123456789ABCDEF0123456789AB\"}}";

	ok(zh_av_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   !strcmp(text, "{\"impi\":\"" IMPI "\"}"), "request built");
	ok(zh_av_request_parse(text, strlen(text), &back, why,
			       sizeof(why)) == 0 &&
	   !strcmp(back.impi, IMPI) && !back.resync,
	   "and parses back, no resync");
	ub_json_text_free(text);
	req.resync = true;
	unhex(req.rand, sizeof(req.rand), RAND);
	unhex(req.auts, sizeof(req.auts), AUTS);
	ok(zh_av_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   !strcmp(text, "{\"impi\":\"" IMPI "\",\"resync\":{\"rand\":\"" RAND
		   "\",\"auts\":\"" AUTS "\"}}"), "resync request built");
	ok(zh_av_request_parse(text, strlen(text), &back, why,
			       sizeof(why)) == 0 &&
	   back.resync && !memcmp(back.rand, req.rand, AKA_RAND_LEN) &&
	   !memcmp(back.auts, req.auts, AKA_AUTS_LEN),
	   "and parses back with RAND and AUTS");
	ub_json_text_free(text);
	ok(zh_av_request_parse(upper, strlen(upper), &back, why,
			       sizeof(why)) == 0 && back.resync &&
	   !memcmp(back.rand, req.rand, AKA_RAND_LEN) &&
	   !memcmp(back.auts, req.auts, AKA_AUTS_LEN),
	   "upper-case hex read, unknown members ignored");
	strcpy(req.impi, "nobody");
	text = (char *)why;
	ok(zh_av_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"impi\" is not an IMPI"),
	   "request with a bad IMPI not built");
	request_rejects();
}

static void fill_response(struct zh_av_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strcpy(resp->impi, IMPI);
	unhex(resp->rand, sizeof(resp->rand), RAND);
	unhex(resp->autn, sizeof(resp->autn), AUTN);
	unhex(resp->xres, sizeof(resp->xres), XRES);
	unhex(resp->ck, sizeof(resp->ck), CK);
	unhex(resp->ik, sizeof(resp->ik), IK);
}

static bool same_response(const struct zh_av_response *a,
			  const struct zh_av_response *b)
{
	return !strcmp(a->impi, b->impi) &&
	       !memcmp(a->rand, b->rand, sizeof(a->rand)) &&
	       !memcmp(a->autn, b->autn, sizeof(a->autn)) &&
	       !memcmp(a->xres, b->xres, sizeof(a->xres)) &&
	       !memcmp(a->ck, b->ck, sizeof(a->ck)) &&
	       !memcmp(a->ik, b->ik, sizeof(a->ik)) &&
	       a->gba_u == b->gba_u && !strcmp(a->uss, b->uss);
}

#define RESP_HEAD "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\"," \
	"\"autn\":\"" AUTN "\",\"xres\":\"" XRES "\",\"ck\":\"" CK "\"," \
	"\"ik\":\"" IK "\""

static void response_rejects(void)
{
	static const struct reject rejects[] = {
		{ "{\"rand\":\"" RAND "\",\"autn\":\"" AUTN "\",\"xres\":\""
		  XRES "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"impi\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"autn\":\"" AUTN "\",\"xres\":\""
		  XRES "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"rand\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"xres\":\""
		  XRES "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"autn\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"ck\":\"" CK "\",\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"xres\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"xres\":\"" XRES "\",\"ik\":\"" IK "\","
		  "\"gba-u\":false}", "\"ck\" missing" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"xres\":\"" XRES "\",\"ck\":\"" CK "\","
		  "\"gba-u\":false}", "\"ik\" missing" },
		{ RESP_HEAD "}", "\"gba-u\" missing" },
		{ RESP_HEAD ",\"gba-u\":\"false\"}",
		  "\"gba-u\" is not true or false" },
		{ RESP_HEAD ",\"gba-u\":0}", "\"gba-u\" is not true or false" },
		{ RESP_HEAD ",\"gba-u\":false,\"uss\":[]}",
		  "\"uss\" is not an object or null" },
		{ RESP_HEAD ",\"gba-u\":false,\"uss\":\"{}\"}",
		  "\"uss\" is not an object or null" },
		{ RESP_HEAD ",\"gba-u\":false,\"ik\":\"" IK "\"}", "not JSON" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"xres\":\"a54211d5e3ba50\",\"ck\":\"" CK "\","
		  "\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"xres\": wrong length" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"xres\":\"" XRES "\",\"ck\":\"" CK "00\","
		  "\"ik\":\"" IK "\",\"gba-u\":false}", "\"ck\": wrong length" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":\""
		  AUTN "\",\"xres\":\"" XRES "\",\"ck\":\"" CK "\","
		  "\"ik\":\"x" IK "\",\"gba-u\":false}", "\"ik\": odd number" },
		{ "{\"impi\":\"" IMPI "\",\"rand\":\"" RAND "\",\"autn\":[],"
		  "\"xres\":\"" XRES "\",\"ck\":\"" CK "\","
		  "\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"autn\" is not a string" },
		{ "{\"impi\":\"x\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN "\","
		  "\"xres\":\"" XRES "\",\"ck\":\"" CK "\","
		  "\"ik\":\"" IK "\",\"gba-u\":false}",
		  "\"impi\" is not an IMPI" },
	};
	struct zh_av_response resp;
	char why[UB_WHY_MAX];
	char *big = malloc(STORE_USS_MAX + 512);
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	memset(&resp, 0x5a, sizeof(resp));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(zh_av_response_parse(rejects[i].body,
					strlen(rejects[i].body), &resp, why,
					sizeof(why)) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "response refused: %s (%zu)", rejects[i].why, i);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	/* {"a":"000..."} of exactly STORE_USS_MAX octets: one too many. */
	snprintf(big, STORE_USS_MAX + 512,
		 RESP_HEAD ",\"gba-u\":false,\"uss\":{\"a\":\"%0*d\"}}",
		 STORE_USS_MAX - 8, 0);
	ok(zh_av_response_parse(big, strlen(big), &resp, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "\"uss\" longer than 4095"),
	   "response refused: a USS of %d octets", STORE_USS_MAX);
	ok(((unsigned char *)&resp)[0] == 0x5a &&
	   ((unsigned char *)&resp)[sizeof(resp) - 1] == 0x5a,
	   "a refused response leaves the struct untouched");
	snprintf(big, STORE_USS_MAX + 512,
		 RESP_HEAD ",\"gba-u\":false,\"uss\":{\"a\":\"%0*d\"}}",
		 STORE_USS_MAX - 9, 0);
	ok(zh_av_response_parse(big, strlen(big), &resp, why, sizeof(why)) ==
	   0 && strlen(resp.uss) == STORE_USS_MAX - 1,
	   "a USS of %d octets is read", STORE_USS_MAX - 1);
	free(big);
}

static void response(void)
{
	static const char no_uss[] = RESP_HEAD ",\"gba-u\":true,\"extra\":1}";
	struct zh_av_response resp, back;
	char *text = NULL, why[UB_WHY_MAX];
	size_t i;
	bool zero = true;

	fill_response(&resp);
	ok(zh_av_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, RESP_HEAD ",\"gba-u\":false,\"uss\":null}"),
	   "response built, uss null");
	ok(zh_av_response_parse(text, strlen(text), &back, why,
				sizeof(why)) == 0 && same_response(&resp, &back),
	   "and parses back");
	ub_json_text_free(text);
	resp.gba_u = true;
	strcpy(resp.uss, USS);
	ok(zh_av_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, RESP_HEAD ",\"gba-u\":true,\"uss\":" USS "}"),
	   "GBA_U response built with a USS");
	ok(zh_av_response_parse(text, strlen(text), &back, why,
				sizeof(why)) == 0 && same_response(&resp, &back),
	   "and parses back");
	ub_json_text_free(text);
	ok(zh_av_response_parse(no_uss, strlen(no_uss), &back, why,
				sizeof(why)) == 0 && back.gba_u && !back.uss[0],
	   "uss absent reads as null, unknown members ignored");
	strcpy(resp.uss, "[1]");
	ok(zh_av_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"uss\" is not a JSON object"),
	   "a USS that is not an object not built");
	strcpy(resp.uss, "{\"a\":1,\"a\":2}");
	ok(zh_av_response_build(&resp, &text, why, sizeof(why)) == -EINVAL,
	   "nor one with a member twice");
	strcpy(resp.uss, "");
	strcpy(resp.impi, "@home1.net");
	ok(zh_av_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "nor a response with a bad IMPI");
	zh_av_response_wipe(&back);
	for (i = 0; i < sizeof(back); i++)
		zero = zero && ((unsigned char *)&back)[i] == 0;
	ok(zero, "wipe zeroes the response");
	response_rejects();
}

int main(void)
{
	plan(60);
	request();
	response();
	return done_testing();
}
