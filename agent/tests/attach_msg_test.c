// SPDX-License-Identifier: GPL-2.0
/*
 * proto/best/attach_msg.c: the four attach bodies built byte for byte, parsed
 * back, and every refusal with its reason (which never shows a value).
 */
#include <errno.h>

#include "proto/best/attach_msg.h"
#include "tap.h"
#include "util/why.h"

#define IMSI	"001010000000001"
#define SESSION	"00112233445566778899aabbccddeeff"
/* TS 35.208 test set 1. */
#define RAND	"23553cbe9637a89d218ae64dae47bf35"
#define AUTN	"55f328b43577b9b94a9ffac354dfafb3"
#define RES	"a54211d5e3ba50bf"
#define AUTS	"0123456789abcdef0123456789ab"
#define SQN	"ff9bb4d0b607"
/* RES* of test set 1, "5G:mnc001.mcc001.3gppnetwork.org" (e2m_aka_test.c). */
#define RES_STAR "f236a7417272bfb2d66d4d670733b527"

struct reject {
	const char *body;
	const char *why;
};

typedef int (*parse_fn)(const char *text, size_t len, void *out, char *why,
			size_t why_size);

/* Each body refused with -EINVAL and a why starting as expected; out kept. */
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

/* ---- attach request ------------------------------------------------------ */

#define GTPU "\"gtpu\":{\"address\":\"192.0.2.1\",\"port\":2152,\"teid\":4660}"

static void request(void)
{
	static const struct reject r[] = {
		{ "", "empty body" },
		{ "[]", "body is not a JSON object" },
		{ "{}", "\"imsi\" missing" },
		{ "{\"imsi\":1," GTPU "}", "\"imsi\" is not a string" },
		{ "{\"imsi\":\"00101\"," GTPU "}", "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"0010100000000012\"," GTPU "}",
		  "\"imsi\" is empty or longer than 15" },
		{ "{\"imsi\":\"00101000000000a\"," GTPU "}",
		  "\"imsi\" is not an IMSI" },
		{ "{\"imsi\":\"" IMSI "\"}", "\"gtpu\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":[]}",
		  "\"gtpu\" is not an object" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"port\":2152,\"teid\":1}}",
		  "\"address\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"192.0.2.300\","
		  "\"port\":2152,\"teid\":1}}",
		  "\"address\" is not an IPv4 or IPv6 address" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"host\","
		  "\"port\":2152,\"teid\":1}}",
		  "\"address\" is not an IPv4 or IPv6 address" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"teid\":1}}", "\"port\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":0,\"teid\":1}}", "\"port\" is out of range 1..65535" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":65536,\"teid\":1}}",
		  "\"port\" is out of range 1..65535" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":\"2152\",\"teid\":1}}", "\"port\" is not an integer" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":2152.0,\"teid\":1}}", "\"port\" is not an integer" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":2152}}", "\"teid\" missing" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":2152,\"teid\":0}}",
		  "\"teid\" is out of range 1..4294967295" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":2152,\"teid\":4294967296}}",
		  "\"teid\" is out of range 1..4294967295" },
		{ "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":\"::1\","
		  "\"port\":2152,\"teid\":-1}}",
		  "\"teid\" is out of range 1..4294967295" },
	};
	struct attach_request req, back;
	char why[UB_WHY_MAX], *text;
	const char *in = "{\"imsi\":\"" IMSI "\",\"x\":[1],\"gtpu\":{\"address\""
			 ":\"2001:DB8:0::0001\",\"port\":2153,\"teid\":305419896}}";

	ok(!attach_request_parse(in, strlen(in), &req, why, sizeof(why)) &&
	   !strcmp(req.imsi, IMSI) && !strcmp(req.gtpu.address, "2001:db8::1") &&
	   req.gtpu.port == 2153 && req.gtpu.teid == 305419896,
	   "request parsed, address made canonical, unknown member ignored");
	ok(!attach_request_build(&req, &text, why, sizeof(why)) &&
	   !strcmp(text, "{\"imsi\":\"" IMSI "\",\"gtpu\":{\"address\":"
		   "\"2001:db8::1\",\"port\":2153,\"teid\":305419896}}"),
	   "request built exactly");
	ok(!attach_request_parse(text, strlen(text), &back, why, sizeof(why)) &&
	   !memcmp(&req, &back, sizeof(req)), "request parses back");
	ub_json_text_free(text);
	rejects("request", (parse_fn)attach_request_parse, sizeof(req), r, N(r));

	req.gtpu.teid = 0;
	ok(attach_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"gtpu\": port and teid must not be 0"),
	   "request with TEID 0 not built");
	req.gtpu.teid = 1;
	strcpy(req.gtpu.address, "2001:DB8::1");
	ok(attach_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"address\" is not an IPv4 or IPv6 address"),
	   "request with a non-canonical address not built");
	strcpy(req.gtpu.address, "::1");
	strcpy(req.imsi, "1234");
	ok(attach_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"imsi\" is not an IMSI"), "bad IMSI not built");
}

/* ---- challenge ----------------------------------------------------------- */

static void challenge(void)
{
	static const char umts[] =
		"{\"session\":\"" SESSION "\",\"rand\":\"" RAND "\","
		"\"autn\":\"" AUTN "\",\"ksi\":3,\"aka\":\"umts\"}";
	static const char eps[] =
		"{\"session\":\"" SESSION "\",\"rand\":\"" RAND "\","
		"\"autn\":\"" AUTN "\",\"ksi\":6,\"aka\":\"eps\","
		"\"sn-id\":\"00f110\"}";
	static const char five_g[] =
		"{\"session\":\"" SESSION "\",\"rand\":\"" RAND "\","
		"\"autn\":\"" AUTN "\",\"ksi\":0,\"aka\":\"5g\","
		"\"sn-id\":\"130014\"}";
#define CH "\"session\":\"" SESSION "\",\"rand\":\"" RAND "\",\"autn\":\"" AUTN "\""
	static const struct reject r[] = {
		{ "{}", "\"session\" missing" },
		{ "{\"session\":\"0011\"}",
		  "\"session\": wrong length, not 16 octets of hex" },
		{ "{\"session\":\"" SESSION "\"}", "\"rand\" missing" },
		{ "{\"session\":\"" SESSION "\",\"rand\":\"" RAND "\"}",
		  "\"autn\" missing" },
		{ "{" CH "}", "\"ksi\" missing" },
		{ "{" CH ",\"ksi\":7,\"aka\":\"umts\"}",
		  "\"ksi\" is out of range 0..6" },
		{ "{" CH ",\"ksi\":true,\"aka\":\"umts\"}",
		  "\"ksi\" is not an integer" },
		{ "{" CH ",\"ksi\":1}", "\"aka\" missing" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"gsm\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"UMTS\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"eps\"}", "\"sn-id\" missing" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"eps\",\"sn-id\":\"00f1\"}",
		  "\"sn-id\": wrong length, not 3 octets of hex" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"umts\",\"sn-id\":\"00f110\"}",
		  "\"sn-id\" comes with eps and 5g only" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"5g\"}", "\"sn-id\" missing" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"5G\",\"sn-id\":\"00f110\"}",
		  "\"aka\" is not umts, eps or 5g" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"5g\",\"sn-id\":\"00fa10\"}",
		  "\"sn-id\" is not a PLMN id in BCD" },
		{ "{" CH ",\"ksi\":1,\"aka\":\"5g\",\"sn-id\":\"f0f110\"}",
		  "\"sn-id\" is not a PLMN id in BCD" },
	};
	struct attach_challenge ch, back;
	char why[UB_WHY_MAX], *text;

	ok(!attach_challenge_parse(umts, strlen(umts), &ch, why, sizeof(why)) &&
	   ch.ksi == 3 && ch.aka == E2M_AKA_UMTS, "UMTS challenge parsed");
	is_hex(ch.session, sizeof(ch.session), SESSION, "its session");
	is_hex(ch.rand, sizeof(ch.rand), RAND, "its RAND");
	is_hex(ch.autn, sizeof(ch.autn), AUTN, "its AUTN");
	ok(!attach_challenge_build(&ch, &text, why, sizeof(why)) &&
	   !strcmp(text, umts), "UMTS challenge built exactly");
	ub_json_text_free(text);
	ok(!attach_challenge_parse(eps, strlen(eps), &ch, why, sizeof(why)) &&
	   ch.ksi == 6 && ch.aka == E2M_AKA_EPS, "EPS challenge parsed");
	is_hex(ch.sn_id, sizeof(ch.sn_id), "00f110", "its SN id");
	ok(!attach_challenge_build(&ch, &text, why, sizeof(why)) &&
	   !strcmp(text, eps), "EPS challenge built exactly");
	ok(!attach_challenge_parse(text, strlen(text), &back, why,
				   sizeof(why)) &&
	   !memcmp(&ch, &back, sizeof(ch)), "EPS challenge parses back");
	ub_json_text_free(text);
	ok(!attach_challenge_parse(five_g, strlen(five_g), &ch, why,
				   sizeof(why)) &&
	   ch.ksi == 0 && ch.aka == E2M_AKA_5G, "5G challenge parsed");
	is_hex(ch.sn_id, sizeof(ch.sn_id), "130014", "its SN id (MNC 410)");
	ok(!attach_challenge_build(&ch, &text, why, sizeof(why)) &&
	   !strcmp(text, five_g), "5G challenge built exactly");
	ub_json_text_free(text);
	ch.sn_id[0] = 0xa0;
	text = why;
	ok(attach_challenge_build(&ch, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"sn-id\" is not a PLMN id in BCD"),
	   "5G challenge with an SN id not in BCD not built");
	ch.aka = E2M_AKA_EPS;
	ok(!attach_challenge_build(&ch, &text, why, sizeof(why)),
	   "the same SN id is fine for EPS (KASME takes any 3 octets)");
	ub_json_text_free(text);
	rejects("challenge", (parse_fn)attach_challenge_parse, sizeof(ch), r,
		N(r));
	ch.ksi = 7;
	ok(attach_challenge_build(&ch, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"ksi\" is out of range 0..6"),
	   "KSI 7 not built");
}

/* ---- complete ------------------------------------------------------------ */

static void complete(void)
{
	static const char with_res[] =
		"{\"session\":\"" SESSION "\",\"res\":\"" RES "\","
		"\"pco\":{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\"}}";
	static const char with_sqn[] =
		"{\"session\":\"" SESSION "\",\"res\":\"" RES "\","
		"\"pco\":{\"imsi\":\"" IMSI "\",\"sqn\":\"" SQN "\"}}";
	static const char with_res_star[] =
		"{\"session\":\"" SESSION "\",\"res\":\"" RES_STAR "\","
		"\"pco\":{\"imsi\":\"" IMSI "\",\"rand\":\"" RAND "\"}}";
	static const char with_auts[] =
		"{\"session\":\"" SESSION "\",\"auts\":\"" AUTS "\"}";
#define S "\"session\":\"" SESSION "\""
	static const struct reject r[] = {
		{ "{\"res\":\"" RES "\"}", "\"session\" missing" },
		{ "{" S "}", "needs one of \"res\" and \"auts\"" },
		{ "{" S ",\"res\":\"" RES "\",\"auts\":\"" AUTS "\"}",
		  "needs one of \"res\" and \"auts\"" },
		{ "{" S ",\"res\":\"a54211d5e3ba50\"}",
		  "\"res\" is neither RES (8 octets) nor RES* (16 octets)" },
		{ "{" S ",\"res\":\"" RES "00\"}",
		  "\"res\" is neither RES (8 octets) nor RES* (16 octets)" },
		{ "{" S ",\"res\":\"" RES_STAR "00\"}", "\"res\": too long" },
		{ "{" S ",\"res\":\"\"}", "\"res\": wrong length" },
		{ "{" S ",\"res\":\"" RES "z\"}",
		  "\"res\": odd number of hex digits" },
		{ "{" S ",\"res\":\"" RES "\"}", "\"pco\" missing" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":\"x\"}",
		  "\"pco\" is not an object" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":{\"rand\":\"" RAND "\"}}",
		  "\"imsi\" missing" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":{\"imsi\":\"" IMSI "\"}}",
		  "\"pco\" needs one of \"rand\" and \"sqn\"" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":{\"imsi\":\"" IMSI "\","
		  "\"rand\":\"" RAND "\",\"sqn\":\"" SQN "\"}}",
		  "\"pco\" needs one of \"rand\" and \"sqn\"" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":{\"imsi\":\"" IMSI "\","
		  "\"sqn\":\"ff9bb4d0b6\"}}",
		  "\"sqn\": wrong length, not 6 octets of hex" },
		{ "{" S ",\"res\":\"" RES "\",\"pco\":{\"imsi\":\"" IMSI "\","
		  "\"rand\":\"" RAND "zz\"}}",
		  "\"rand\": not a hex string, not 16 octets of hex" },
		{ "{" S ",\"auts\":\"" AUTS "\",\"pco\":{}}",
		  "\"pco\" comes with \"res\" only" },
		{ "{" S ",\"auts\":\"0123\"}",
		  "\"auts\": wrong length, not 14 octets of hex" },
	};
	struct attach_complete c, back;
	char why[UB_WHY_MAX], *text;

	ok(!attach_complete_parse(with_res, strlen(with_res), &c, why,
				  sizeof(why)) &&
	   !c.resync && !c.pco.by_sqn && !strcmp(c.pco.imsi, IMSI),
	   "complete with RES parsed");
	is_hex(c.res, c.res_len, RES, "its RES, 8 octets");
	is_hex(c.pco.rand, sizeof(c.pco.rand), RAND, "its PCO RAND");
	ok(!attach_complete_build(&c, &text, why, sizeof(why)) &&
	   !strcmp(text, with_res), "complete with RES built exactly");
	ub_json_text_free(text);
	ok(!attach_complete_parse(with_res_star, strlen(with_res_star), &c,
				  why, sizeof(why)) && !c.resync,
	   "complete with RES* parsed");
	is_hex(c.res, c.res_len, RES_STAR, "its RES*, 16 octets");
	ok(!attach_complete_build(&c, &text, why, sizeof(why)) &&
	   !strcmp(text, with_res_star), "complete with RES* built exactly");
	ub_json_text_free(text);
	c.res_len = 12;
	text = why;
	ok(attach_complete_build(&c, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strncmp(why, "\"res\" is neither", 16),
	   "complete with a RES of 12 octets not built");
	ok(!attach_complete_parse(with_sqn, strlen(with_sqn), &c, why,
				  sizeof(why)) && c.pco.by_sqn,
	   "complete with a PCO SQN parsed");
	is_hex(c.pco.sqn, sizeof(c.pco.sqn), SQN, "its PCO SQN");
	ok(!attach_complete_build(&c, &text, why, sizeof(why)) &&
	   !strcmp(text, with_sqn), "complete with SQN built exactly");
	ub_json_text_free(text);
	ok(!attach_complete_parse(with_auts, strlen(with_auts), &c, why,
				  sizeof(why)) && c.resync,
	   "complete with AUTS parsed");
	is_hex(c.auts, sizeof(c.auts), AUTS, "its AUTS");
	ok(!attach_complete_build(&c, &text, why, sizeof(why)) &&
	   !strcmp(text, with_auts), "complete with AUTS built exactly");
	ok(!attach_complete_parse(text, strlen(text), &back, why,
				  sizeof(why)) &&
	   !memcmp(&c, &back, sizeof(c)), "and parses back");
	ub_json_text_free(text);
	rejects("complete", (parse_fn)attach_complete_parse, sizeof(c), r,
		N(r));
	attach_complete_wipe(&c);
	ok(c.res[0] == 0 && c.auts[0] == 0, "wipe clears the answer");
	c.resync = false;
	ok(attach_complete_build(&c, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"imsi\" is not an IMSI"),
	   "complete without a PCO IMSI not built");
}

/* ---- accept -------------------------------------------------------------- */

static void accept_(void)
{
	static const char body[] =
		"{\"imsi\":\"" IMSI "\",\"ksi\":0,\"hse\":{\"address\":"
		"\"198.51.100.7\",\"port\":2152,\"teid\":4294967295},"
		"\"inner-ipv4\":\"10.45.0.2\"}";
#define A "\"imsi\":\"" IMSI "\",\"ksi\":0"
#define HSE "\"hse\":{\"address\":\"::1\",\"port\":2152,\"teid\":9}"
	static const struct reject r[] = {
		{ "{\"ksi\":0}", "\"imsi\" missing" },
		{ "{\"imsi\":\"" IMSI "\"}", "\"ksi\" missing" },
		{ "{" A "}", "\"hse\" missing" },
		{ "{" A ",\"hse\":{\"address\":\"::1\",\"port\":2152}}",
		  "\"teid\" missing" },
		{ "{" A "," HSE "}", "\"inner-ipv4\" missing" },
		{ "{" A "," HSE ",\"inner-ipv4\":\"fd00::2\"}",
		  "\"inner-ipv4\" is not an IPv4 address" },
		{ "{" A "," HSE ",\"inner-ipv4\":\"10.45.0\"}",
		  "\"inner-ipv4\" is not an IPv4 address" },
		{ "{" A "," HSE ",\"inner-ipv4\":10}",
		  "\"inner-ipv4\" is not a string" },
	};
	struct attach_accept a, back;
	char why[UB_WHY_MAX], *text;

	ok(!attach_accept_parse(body, strlen(body), &a, why, sizeof(why)) &&
	   !strcmp(a.imsi, IMSI) && a.ksi == 0 &&
	   !strcmp(a.hse.address, "198.51.100.7") && a.hse.port == 2152 &&
	   a.hse.teid == UINT32_MAX && !strcmp(a.inner_ipv4, "10.45.0.2"),
	   "accept parsed");
	ok(!attach_accept_build(&a, &text, why, sizeof(why)) &&
	   !strcmp(text, body), "accept built exactly");
	ok(!attach_accept_parse(text, strlen(text), &back, why, sizeof(why)) &&
	   !memcmp(&a, &back, sizeof(a)), "accept parses back");
	ub_json_text_free(text);
	rejects("accept", (parse_fn)attach_accept_parse, sizeof(a), r, N(r));
	strcpy(a.inner_ipv4, "::1");
	ok(attach_accept_build(&a, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"inner-ipv4\" is not an IPv4 address"),
	   "accept with an IPv6 inner address not built");
}

int main(void)
{
	request();
	challenge();
	complete();
	accept_();
	return done_testing();
}
