// SPDX-License-Identifier: GPL-2.0
/*
 * proto/best/triplet_msg.c: the triplet request and its answer built byte for
 * byte, parsed back, and every refusal with its reason (never a value).
 */
#include <errno.h>

#include "proto/best/triplet_msg.h"
#include "tap.h"
#include "util/why.h"

#define IMSI	"001010000000001"
/* TS 35.208 test set 1. */
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define SQN	"ff9bb4d0b607"

#define TEID	"\"teid\":{\"hse\":305419896,\"ue\":4660}"
#define UE	"\"ue\":{\"address\":\"192.0.2.1\",\"port\":2152," \
		"\"inner-ipv4\":\"10.45.0.2\"}"
#define HEAD	"{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"ksi\":3,"

/* The request every test starts from, and its exact text. */
#define REQUEST	HEAD TEID "," UE "}"

struct reject {
	const char *body;
	const char *why;
};

typedef int (*parse_fn)(const char *text, size_t len, void *out, char *why,
			size_t why_size);

/* Each body refused with -EINVAL and exactly that why; out untouched. */
static void rejects(const char *what, parse_fn parse, size_t size,
		    const struct reject *r, size_t n)
{
	unsigned char out[512], before[512];
	char why[UB_WHY_MAX];
	size_t i;
	int ret;

	memset(out, 0x5a, sizeof(out));
	memcpy(before, out, sizeof(out));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ret = parse(r[i].body, strlen(r[i].body), out, why,
			    sizeof(why));
		ok(ret == -EINVAL && !strcmp(why, r[i].why) &&
		   !memcmp(out, before, size),
		   "%s refused: %s (%zu)", what, r[i].why, i);
		if (strcmp(why, r[i].why))
			printf("#   why: %s\n", why);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int parse_request(const char *text, size_t len, void *out, char *why,
			 size_t why_size)
{
	return triplet_request_parse(text, len, out, why, why_size);
}

static int parse_response(const char *text, size_t len, void *out,
			  char *why, size_t why_size)
{
	return triplet_response_parse(text, len, out, why, why_size);
}

/* ---- the key description ------------------------------------------------- */

static void key_description(void)
{
	char out[TRIPLET_KEY_DESC_SIZE];

	ok(triplet_key_description(out, IMSI, 3, 0x12345678) == 0 &&
	   !strcmp(out, "imsi:001010000000001 ksi:3 teid:12345678"),
	   "key description: %s", out);
	ok(triplet_key_description(out, "001010", 0, 0x1234) == 0 &&
	   !strcmp(out, "imsi:001010 ksi:0 teid:00001234"),
	   "key description with 8 hex digits: %s", out);
	ok(triplet_key_description(out, IMSI, 7, 1) == -EINVAL,
	   "key description: KSI 7 refused");
	ok(triplet_key_description(out, "0010", 1, 1) == -EINVAL,
	   "key description: a short IMSI refused");
}

/* ---- the request --------------------------------------------------------- */

static void request_refusals(void)
{
	static const struct reject r[] = {
		{ "", "empty body" },
		{ "[]", "body is not a JSON object" },
		{ "{}", "\"imsi\" missing" },
		{ "{\"imsi\":1}", "\"imsi\" is not a string" },
		{ "{\"imsi\":\"00101\"}", "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"0010100000000012\"}",
		  "\"imsi\" is empty or longer than 15" },
		{ "{\"imsi\":\"" IMSI "\"," TEID "," UE ",\"ksi\":3}",
		  "exactly one of \"rand\" and \"sqn\"" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"sqn\":\"" SQN
		  "\",\"ksi\":3," TEID "," UE "}",
		  "exactly one of \"rand\" and \"sqn\"" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":null,\"ksi\":3," TEID ","
		  UE "}", "\"rand\" is not a string" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" SQN "\",\"ksi\":3,"
		  TEID "," UE "}",
		  "\"rand\": wrong length, not 16 octets of hex" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"" RAND "\",\"ksi\":3,"
		  TEID "," UE "}",
		  "\"sqn\": wrong length, not 6 octets of hex" },
		{ "{\"imsi\":\"" IMSI "\",\"sqn\":\"ff9bb4d0b60g\",\"ksi\":3,"
		  TEID "," UE "}",
		  "\"sqn\": not a hex string, not 6 octets of hex" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\"," TEID "," UE
		  "}", "\"ksi\" missing" },
		{ HEAD "\"ksi\":7," TEID "," UE "}", "not JSON: line 1: "
		  "duplicate object key near '\"ksi\"'" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"ksi\":7,"
		  TEID "," UE "}", "\"ksi\" is out of range 0..6" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"ksi\":-1,"
		  TEID "," UE "}", "\"ksi\" is out of range 0..6" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"ksi\":\"3\","
		  TEID "," UE "}", "\"ksi\" is not an integer" },
		{ "{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\",\"ksi\":3.0,"
		  TEID "," UE "}", "\"ksi\" is not an integer" },
		{ HEAD UE "}", "\"teid\" missing" },
		{ HEAD "\"teid\":[1,2]," UE "}", "\"teid\" is not an object" },
		{ HEAD "\"teid\":{\"ue\":1}," UE "}", "\"hse\" missing" },
		{ HEAD "\"teid\":{\"hse\":1}," UE "}", "\"ue\" missing" },
		{ HEAD "\"teid\":{\"hse\":0,\"ue\":1}," UE "}",
		  "\"hse\" is out of range 1..4294967295" },
		{ HEAD "\"teid\":{\"hse\":4294967296,\"ue\":1}," UE "}",
		  "\"hse\" is out of range 1..4294967295" },
		{ HEAD "\"teid\":{\"hse\":1,\"ue\":0}," UE "}",
		  "\"ue\" is out of range 1..4294967295" },
		{ HEAD "\"teid\":{\"hse\":1,\"ue\":\"1\"}," UE "}",
		  "\"ue\" is not an integer" },
		{ HEAD TEID "}", "\"ue\" missing" },
		{ HEAD TEID ",\"ue\":\"192.0.2.1\"}",
		  "\"ue\" is not an object" },
		{ HEAD TEID ",\"ue\":{\"port\":2152,"
		  "\"inner-ipv4\":\"10.45.0.2\"}}", "\"address\" missing" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.300\","
		  "\"port\":2152,\"inner-ipv4\":\"10.45.0.2\"}}",
		  "\"address\" is not an IPv4 or IPv6 address" },
		{ HEAD TEID ",\"ue\":{\"address\":\"ue.example\","
		  "\"port\":2152,\"inner-ipv4\":\"10.45.0.2\"}}",
		  "\"address\" is not an IPv4 or IPv6 address" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\","
		  "\"inner-ipv4\":\"10.45.0.2\"}}", "\"port\" missing" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\",\"port\":0,"
		  "\"inner-ipv4\":\"10.45.0.2\"}}",
		  "\"port\" is out of range 1..65535" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\","
		  "\"port\":65536,\"inner-ipv4\":\"10.45.0.2\"}}",
		  "\"port\" is out of range 1..65535" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\",\"port\":2152}}",
		  "\"inner-ipv4\" missing" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\",\"port\":2152,"
		  "\"inner-ipv4\":\"fd00::2\"}}",
		  "\"inner-ipv4\" is not an IPv4 address" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\",\"port\":2152,"
		  "\"inner-ipv4\":\"10.45.0.2\",\"inner-ipv6\":\"10.45.0.3\"}}",
		  "\"inner-ipv6\" is not an IPv6 address" },
		{ HEAD TEID ",\"ue\":{\"address\":\"192.0.2.1\",\"port\":2152,"
		  "\"inner-ipv4\":\"10.45.0.2\",\"inner-ipv6\":null}}",
		  "\"inner-ipv6\" is not a string" },
	};

	rejects("request", parse_request, sizeof(struct triplet_request), r,
		N(r));
}

static void request_round_trip(void)
{
	struct triplet_request req, back;
	char *text = NULL, why[UB_WHY_MAX] = "";
	static const char loose[] =
		"{\"x\":[1],\"imsi\":\"" IMSI "\",\"sqn\":\"FF9BB4D0B607\","
		"\"ksi\":0,\"teid\":{\"hse\":4294967295,\"ue\":1,\"y\":2},"
		"\"ue\":{\"address\":\"2001:DB8:0::0001\",\"port\":65535,"
		"\"inner-ipv4\":\"10.45.0.2\",\"inner-ipv6\":\"fd00:0::2\"}}";

	ok(triplet_request_parse(REQUEST, strlen(REQUEST), &req, why,
				 sizeof(why)) == 0, "request parsed %s", why);
	ok(!strcmp(req.imsi, IMSI) && !req.by_sqn && req.ksi == 3 &&
	   req.teid_hse == 0x12345678 && req.teid_ue == 4660 &&
	   !strcmp(req.ue.address, "192.0.2.1") && req.ue.port == 2152 &&
	   !strcmp(req.ue.inner_ipv4, "10.45.0.2") && !req.ue.inner_ipv6[0],
	   "request members read");
	is_hex(req.rand, sizeof(req.rand), RAND, "request RAND");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   !strcmp(text, REQUEST), "request built back byte for byte");
	if (text && strcmp(text, REQUEST))
		printf("#   got: %s\n", text);
	ub_json_text_free(text);

	ok(triplet_request_parse(loose, strlen(loose), &req, why,
				 sizeof(why)) == 0 && req.by_sqn &&
	   req.ksi == 0 && req.teid_hse == UINT32_MAX && req.teid_ue == 1 &&
	   req.ue.port == 65535 && !strcmp(req.ue.address, "2001:db8::1") &&
	   !strcmp(req.ue.inner_ipv6, "fd00::2"),
	   "SQN, IPv6, upper case hex and unknown members read");
	is_hex(req.sqn, sizeof(req.sqn), SQN, "request SQN");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\","
		   "\"ksi\":0,\"teid\":{\"hse\":4294967295,\"ue\":1},"
		   "\"ue\":{\"address\":\"2001:db8::1\",\"port\":65535,"
		   "\"inner-ipv4\":\"10.45.0.2\","
		   "\"inner-ipv6\":\"fd00::2\"}}"),
	   "written back canonical, lower case, unknown members dropped");
	ok(text && triplet_request_parse(text, strlen(text), &back, why,
					 sizeof(why)) == 0 &&
	   !memcmp(&back.sqn, &req.sqn, sizeof(req.sqn)) &&
	   !strcmp(back.ue.inner_ipv6, req.ue.inner_ipv6),
	   "and parses back the same");
	ub_json_text_free(text);
}

static void request_build_refusals(void)
{
	struct triplet_request good, req;
	char *text = (char *)"x", why[UB_WHY_MAX];

	triplet_request_parse(REQUEST, strlen(REQUEST), &good, NULL, 0);

	req = good;
	strcpy(req.imsi, "12345");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"imsi\" is not an IMSI"),
	   "build refuses a bad IMSI");
	req = good;
	req.ksi = 7;
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"ksi\" is out of range 0..6"),
	   "build refuses KSI 7");
	req = good;
	req.teid_hse = 0;
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"hse\" is out of range 1..4294967295"),
	   "build refuses HSE TEID 0");
	req = good;
	req.teid_ue = 0;
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"ue\" is out of range 1..4294967295"),
	   "build refuses UE TEID 0");
	req = good;
	req.ue.port = 0;
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"port\" is out of range 1..65535"),
	   "build refuses port 0");
	req = good;
	strcpy(req.ue.address, "::0001");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"address\" is not an IPv4 or IPv6 address"),
	   "build refuses an address not in canonical form");
	req = good;
	strcpy(req.ue.inner_ipv4, "fd00::2");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"inner-ipv4\" is not an IPv4 address"),
	   "build refuses an IPv6 inner-ipv4");
	req = good;
	strcpy(req.ue.inner_ipv6, "10.0.0.1");
	ok(triplet_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"inner-ipv6\" is not an IPv6 address"),
	   "build refuses an IPv4 inner-ipv6");
}

/* ---- the response -------------------------------------------------------- */

#define DESC	"imsi:" IMSI " ksi:3 teid:12345678"
#define RESPONSE "{\"imsi\":\"" IMSI "\",\"teid\":305419896,\"key-id\":3," \
		 "\"key-description\":\"" DESC "\"}"
#define RHEAD	"{\"imsi\":\"" IMSI "\","

static void response_refusals(void)
{
	static const struct reject r[] = {
		{ "{", "not JSON: line 1: string or '}' expected near end of "
		  "file" },
		{ "{}", "\"imsi\" missing" },
		{ "{\"imsi\":\"abc\"}", "\"imsi\" is not an IMSI" },
		{ RHEAD "\"key-id\":3,\"key-description\":\"" DESC "\"}",
		  "\"teid\" missing" },
		{ RHEAD "\"teid\":0,\"key-id\":3,\"key-description\":\"d\"}",
		  "\"teid\" is out of range 1..4294967295" },
		{ RHEAD "\"teid\":1,\"key-description\":\"d\"}",
		  "\"key-id\" missing" },
		{ RHEAD "\"teid\":1,\"key-id\":7,\"key-description\":\"d\"}",
		  "\"key-id\" is out of range 0..6" },
		{ RHEAD "\"teid\":1,\"key-id\":true,\"key-description\":\"d\"}",
		  "\"key-id\" is not an integer" },
		{ RHEAD "\"teid\":1,\"key-id\":3}",
		  "\"key-description\" missing" },
		{ RHEAD "\"teid\":1,\"key-id\":3,\"key-description\":\"\"}",
		  "\"key-description\" is empty or longer than 127" },
		{ RHEAD "\"teid\":1,\"key-id\":3,\"key-description\":5}",
		  "\"key-description\" is not a string" },
		{ RHEAD "\"teid\":1,\"key-id\":3,"
		  "\"key-description\":\"a\\nb\"}",
		  "\"key-description\" is not 1..127 printable characters" },
		{ RHEAD "\"teid\":1,\"key-id\":3,"
		  "\"key-description\":\"caf\\u00e9\"}",
		  "\"key-description\" is not 1..127 printable characters" },
	};

	rejects("response", parse_response, sizeof(struct triplet_response),
		r, N(r));
}

static void response_round_trip(void)
{
	struct triplet_response resp, back;
	char *text = NULL, why[UB_WHY_MAX] = "", long_desc[200];

	ok(triplet_response_parse(RESPONSE, strlen(RESPONSE), &resp, why,
				  sizeof(why)) == 0 &&
	   !strcmp(resp.imsi, IMSI) && resp.teid == 0x12345678 &&
	   resp.key_id == 3 && !strcmp(resp.key_description, DESC),
	   "response parsed %s", why);
	ok(triplet_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, RESPONSE), "response built byte for byte");
	ok(text && triplet_response_parse(text, strlen(text), &back, why,
					  sizeof(why)) == 0 &&
	   !memcmp(&back, &resp, sizeof(back)), "and parses back the same");
	ub_json_text_free(text);

	back = resp;
	back.teid = 0;
	ok(triplet_response_build(&back, &text, why, sizeof(why)) ==
	   -EINVAL && !text &&
	   !strcmp(why, "\"teid\" is out of range 1..4294967295"),
	   "build refuses TEID 0");
	back = resp;
	back.key_id = 7;
	ok(triplet_response_build(&back, &text, why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "\"key-id\" is out of range 0..6"),
	   "build refuses key id 7");
	back = resp;
	strcpy(back.key_description, "tab\there");
	ok(triplet_response_build(&back, &text, why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "\"key-description\" is not 1..127 "
			      "printable characters"),
	   "build refuses a control character in the description");
	snprintf(long_desc, sizeof(long_desc), RHEAD "\"teid\":1,\"key-id\":3,"
		 "\"key-description\":\"%0127d\"}", 0);
	ok(triplet_response_parse(long_desc, strlen(long_desc), &back, why,
				  sizeof(why)) == 0 &&
	   strlen(back.key_description) == 127,
	   "a description of 127 characters is read");
}

int main(void)
{
	key_description();
	request_refusals();
	request_round_trip();
	request_build_refusals();
	response_refusals();
	response_round_trip();
	return done_testing();
}
