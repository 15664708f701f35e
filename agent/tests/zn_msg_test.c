// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/zn_msg.c: the Zn NAF key request and answer, built byte for byte,
 * parsed back, and every refusal.
 */
#include <errno.h>

#include "tap.h"
#include "util/utc.h"
#include "util/why.h"
#include "proto/gba/zn_msg.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define IMPI	"user1_private@home1.net"
/* "naf1.home1.net" || 01 00 00 00 02 (HTTP Digest, TS 33.220 H.3). */
#define NAF_ID	"6e6166312e686f6d65312e6e65740100000002"
/* The Ks_NAF and Ks_int_NAF of DIGEST.md 1.7, as opaque 32 octets. */
#define KS_EXT	"7c351b69c4910d2da5a312ad73ce3ac7be6f46165fdb9ffc3494d874aca8a501"
#define KS_INT	"dc1ceb72700b7c0e17c8eac76838f8bafb134885011e713f782bfca16a2df691"
#define EXPIRES	1714564800
#define EXPIRES_TEXT "2024-05-01T12:00:00Z"
#define USS	"{\"naf\":\"naf1.home1.net\",\"flags\":[1]}"

struct reject {
	const char *body;
	const char *why;
};

static void request_rejects(void)
{
	static const struct reject rejects[] = {
		{ "", "empty body" },
		{ "[1]", "body is not a JSON object" },
		{ "{\"btid\":\"" BTID "\",\"btid\":\"" BTID "\","
		  "\"naf-id\":\"" NAF_ID "\"}", "not JSON" },
		{ "{\"naf-id\":\"" NAF_ID "\"}", "\"btid\" missing" },
		{ "{\"btid\":[],\"naf-id\":\"" NAF_ID "\"}",
		  "\"btid\" is not a string" },
		{ "{\"btid\":\"I1U8vpY3qJ0hiuZNrke/NQ==\",\"naf-id\":\"" NAF_ID
		  "\"}", "\"btid\" is not a B-TID" },
		{ "{\"btid\":\"" BTID "\"}", "\"naf-id\" missing" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":true}",
		  "\"naf-id\" is not a string" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"\"}",
		  "\"naf-id\": wrong length" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"0100000002\"}",
		  "\"naf-id\" is not an FQDN" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"6e0100000002a\"}",
		  "\"naf-id\": odd number" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"6e01000000zz\"}",
		  "\"naf-id\": not a hex" },
		/* "na f" and "na/f" as the FQDN */
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"6e6120660100000002\"}",
		  "\"naf-id\" is not an FQDN" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"6e612f660100000002\"}",
		  "\"naf-id\" is not an FQDN" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"" NAF_ID "\","
		  "\"gba-u\":\"yes\"}", "\"gba-u\" is not true or false" },
		{ "{\"btid\":\"" BTID "\",\"naf-id\":\"" NAF_ID "\","
		  "\"gba-u\":null}", "\"gba-u\" is not true or false" },
	};
	struct zn_key_request req;
	char why[UB_WHY_MAX], big[2 * ZN_NAF_ID_MAX + 200], *text = NULL;
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]), len;

	memset(&req, 0x5a, sizeof(req));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(zn_key_request_parse(rejects[i].body,
					strlen(rejects[i].body), &req, why,
					sizeof(why)) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "request refused: %s (%zu)", rejects[i].why, i);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	ok(((unsigned char *)&req)[0] == 0x5a &&
	   ((unsigned char *)&req)[sizeof(req) - 1] == 0x5a,
	   "a refused request leaves the struct untouched");

	/* An FQDN of 255 'a' (hex 61) and the Ua id: the longest NAF_Id. */
	len = (size_t)snprintf(big, sizeof(big),
			       "{\"btid\":\"" BTID "\",\"naf-id\":\"");
	for (i = 0; i < ZN_FQDN_MAX; i++, len += 2)
		memcpy(big + len, "61", 2);
	strcpy(big + len, "0100000002\"}");
	ok(zn_key_request_parse(big, strlen(big), &req, why, sizeof(why)) ==
	   0 && strlen(req.naf_fqdn) == ZN_FQDN_MAX &&
	   req.naf_id_len == ZN_NAF_ID_MAX, "a NAF_Id of %d octets is read",
	   ZN_NAF_ID_MAX);
	/* Found by fuzz_zn_msg: hex of more than 64 octets was not built. */
	ok(zn_key_request_build(&req, &text, why, sizeof(why)) == 0 &&
	   text && !strncmp(text, big, strlen(big) - 1) &&
	   !strcmp(text + strlen(big) - 1, ",\"gba-u\":false}"),
	   "and built back the same");
	ub_json_text_free(text);
	memcpy(big + len, "61", 2);
	strcpy(big + len + 2, "0100000002\"}");
	ok(zn_key_request_parse(big, strlen(big), &req, why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "\"naf-id\": too long"),
	   "request refused: a NAF_Id of %d octets", ZN_NAF_ID_MAX + 1);
}

static void request(void)
{
	struct zn_key_request req = { .btid = BTID }, back;
	char *text = NULL, why[UB_WHY_MAX];
	static const char lean[] =
		"{\"naf-id\":\"6E6166312E686F6D65312E6E65740100000002\","
		"\"btid\":\"" BTID "\",\"more\":{\"a\":[]}}";

	req.naf_id_len = unhex(req.naf_id, sizeof(req.naf_id), NAF_ID);
	ok(zn_key_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   !strcmp(text, "{\"btid\":\"" BTID "\",\"naf-id\":\"" NAF_ID
		   "\",\"gba-u\":false}"), "request built");
	ok(zn_key_request_parse(text, strlen(text), &back, why,
				sizeof(why)) == 0 &&
	   !strcmp(back.btid, BTID) && back.naf_id_len == 19 &&
	   !memcmp(back.naf_id, req.naf_id, 19) &&
	   !strcmp(back.naf_fqdn, "naf1.home1.net") &&
	   !memcmp(back.ua_id, "\x01\x00\x00\x00\x02", 5) && !back.gba_u,
	   "and parses back, NAF_Id split into FQDN and Ua id");
	ub_json_text_free(text);
	req.gba_u = true;
	ok(zn_key_request_build(&req, &text, why, sizeof(why)) == 0 && text &&
	   strstr(text, ",\"gba-u\":true}") &&
	   zn_key_request_parse(text, strlen(text), &back, why,
				sizeof(why)) == 0 && back.gba_u,
	   "GBA_U request built and parsed");
	ub_json_text_free(text);
	ok(zn_key_request_parse(lean, strlen(lean), &back, why,
				sizeof(why)) == 0 && !back.gba_u &&
	   !strcmp(back.naf_fqdn, "naf1.home1.net"),
	   "gba-u absent is false, upper-case hex, unknown members ignored");
	req.naf_id_len = 5;
	ok(zn_key_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "a NAF_Id without FQDN not built");
	req.naf_id_len = 19;
	strcpy(req.btid, "nobtid");
	ok(zn_key_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"btid\" is not a B-TID"),
	   "nor one with a bad B-TID");
	request_rejects();
}

#define RESP_HEAD "{\"btid\":\"" BTID "\",\"impi\":\"" IMPI "\"," \
	"\"ks-ext-naf\":\"" KS_EXT "\""

static void response_rejects(void)
{
	static const struct reject rejects[] = {
		{ "{\"impi\":\"" IMPI "\",\"ks-ext-naf\":\"" KS_EXT "\","
		  "\"expires\":\"" EXPIRES_TEXT "\"}", "\"btid\" missing" },
		{ "{\"btid\":\"" BTID "\",\"ks-ext-naf\":\"" KS_EXT "\","
		  "\"expires\":\"" EXPIRES_TEXT "\"}", "\"impi\" missing" },
		{ "{\"btid\":\"" BTID "\",\"impi\":\"" IMPI "\","
		  "\"expires\":\"" EXPIRES_TEXT "\"}", "\"ks-ext-naf\" missing" },
		{ RESP_HEAD "}", "\"expires\" missing" },
		{ "{\"btid\":\"" BTID "\",\"impi\":\"nobody\",\"ks-ext-naf\":\""
		  KS_EXT "\",\"expires\":\"" EXPIRES_TEXT "\"}",
		  "\"impi\" is not an IMPI" },
		{ "{\"btid\":\"x\",\"impi\":\"" IMPI "\",\"ks-ext-naf\":\""
		  KS_EXT "\",\"expires\":\"" EXPIRES_TEXT "\"}",
		  "\"btid\" is not a B-TID" },
		{ "{\"btid\":\"" BTID "\",\"impi\":\"" IMPI "\","
		  "\"ks-ext-naf\":\"7c35\",\"expires\":\"" EXPIRES_TEXT "\"}",
		  "\"ks-ext-naf\": wrong length" },
		{ RESP_HEAD ",\"ks-int-naf\":\"" KS_INT "00\","
		  "\"expires\":\"" EXPIRES_TEXT "\"}",
		  "\"ks-int-naf\": wrong length" },
		{ RESP_HEAD ",\"ks-int-naf\":null,\"expires\":\"" EXPIRES_TEXT
		  "\"}", "\"ks-int-naf\" is not a string" },
		{ RESP_HEAD ",\"expires\":1714564800}",
		  "\"expires\" is not a string" },
		{ RESP_HEAD ",\"expires\":\"2024-05-01T12:00:00\"}",
		  "\"expires\" is not YYYY" },
		{ RESP_HEAD ",\"expires\":\"2024-05-01T12:00:00.5Z\"}",
		  "\"expires\" is not YYYY" },
		{ RESP_HEAD ",\"expires\":\"" EXPIRES_TEXT "\",\"uss\":[]}",
		  "\"uss\" is not an object or null" },
		{ RESP_HEAD ",\"expires\":\"" EXPIRES_TEXT "\",\"uss\":1}",
		  "\"uss\" is not an object or null" },
	};
	struct zn_key_response resp;
	char why[UB_WHY_MAX];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	memset(&resp, 0x5a, sizeof(resp));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(zn_key_response_parse(rejects[i].body,
					 strlen(rejects[i].body), &resp, why,
					 sizeof(why)) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "response refused: %s (%zu)", rejects[i].why, i);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	ok(((unsigned char *)&resp)[0] == 0x5a &&
	   ((unsigned char *)&resp)[sizeof(resp) - 1] == 0x5a,
	   "a refused response leaves the struct untouched");
}

static void response(void)
{
	struct zn_key_response resp, back;
	char *text = NULL, why[UB_WHY_MAX];
	size_t i;
	bool zero = true;

	memset(&resp, 0, sizeof(resp));
	strcpy(resp.btid, BTID);
	strcpy(resp.impi, IMPI);
	unhex(resp.ks_ext_naf, GBA_KEY_LEN, KS_EXT);
	resp.expires = EXPIRES;
	ok(zn_key_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, RESP_HEAD ",\"expires\":\"" EXPIRES_TEXT
			   "\",\"uss\":null}"), "GBA_ME response built");
	ok(zn_key_response_parse(text, strlen(text), &back, why,
				 sizeof(why)) == 0 &&
	   !strcmp(back.btid, BTID) && !strcmp(back.impi, IMPI) &&
	   !memcmp(back.ks_ext_naf, resp.ks_ext_naf, GBA_KEY_LEN) &&
	   !back.gba_u && back.expires == EXPIRES && !back.uss[0],
	   "and parses back");
	ub_json_text_free(text);
	resp.gba_u = true;
	unhex(resp.ks_int_naf, GBA_KEY_LEN, KS_INT);
	strcpy(resp.uss, USS);
	ok(zn_key_response_build(&resp, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, RESP_HEAD ",\"ks-int-naf\":\"" KS_INT "\","
			   "\"expires\":\"" EXPIRES_TEXT "\",\"uss\":" USS "}"),
	   "GBA_U response built with Ks_int_NAF and a USS");
	ok(zn_key_response_parse(text, strlen(text), &back, why,
				 sizeof(why)) == 0 && back.gba_u &&
	   !memcmp(back.ks_int_naf, resp.ks_int_naf, GBA_KEY_LEN) &&
	   !strcmp(back.uss, USS), "and parses back");
	ub_json_text_free(text);
	resp.expires = UTC_MAX + 1;
	ok(zn_key_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"expires\" out of range"),
	   "an expiry out of range not built");
	resp.expires = EXPIRES;
	strcpy(resp.impi, "x");
	ok(zn_key_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "nor a bad IMPI");
	zn_key_response_wipe(&back);
	for (i = 0; i < sizeof(back); i++)
		zero = zero && ((unsigned char *)&back)[i] == 0;
	ok(zero, "wipe zeroes the response");
	response_rejects();
}

int main(void)
{
	plan(48);
	request();
	response();
	return done_testing();
}
