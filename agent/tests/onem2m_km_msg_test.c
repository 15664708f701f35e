// SPDX-License-Identifier: GPL-2.0
/*
 * The Km distribution messages (proto/onem2m/km_msg.h): built to exact
 * bytes and parsed back, and every refusal with its why.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "proto/onem2m/km_msg.h"

#define KE_ID	"vbil5qy0yhIdG0p1WqDHRQ==@mef.example.net"
#define KM_ID	"h9VipqsqGS95IEmdniAr3A==@maf.example.net"
/* Km of PROFILE.md 6's example (Documentation/onem2m.md). */
#define KM_HEX	"94686d5b93913e98a4a493ae7b38346395ff27ab1a75751deff01f8f1a644eda"

static const uint8_t km[32] = {
	0x94, 0x68, 0x6d, 0x5b, 0x93, 0x91, 0x3e, 0x98,
	0xa4, 0xa4, 0x93, 0xae, 0x7b, 0x38, 0x34, 0x63,
	0x95, 0xff, 0x27, 0xab, 0x1a, 0x75, 0x75, 0x1d,
	0xef, 0xf0, 0x1f, 0x8f, 0x1a, 0x64, 0x4e, 0xda,
};

static void test_request(void)
{
	struct onem2m_km_request req = {
		.ke_id = KE_ID, .enrolee_id = "CAE-enrolee-1",
	}, back;
	char *text = NULL, why[160];
	int ret = onem2m_km_request_build(&req, &text, why, sizeof(why));

	ok(!ret && !strcmp(text, "{\"ke-id\":\"" KE_ID "\","
				 "\"enrolee-id\":\"CAE-enrolee-1\"}"),
	   "request: %s", text ? text : "-");
	ok(!onem2m_km_request_parse(text, strlen(text), &back, why,
				    sizeof(why)) &&
	   !memcmp(&req, &back, sizeof(req)), "parsed back");
	ub_json_text_free(text);
	strcpy(req.ke_id, "kpm-1");
	ok(onem2m_km_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"ke-id\" is not base64 of 16 octets \"@\" an FQDN"),
	   "no request for a KeId that is none: %s", why);
}

/* The request by Km-Id: km-id alone. */
static void test_request_km_id(void)
{
	struct onem2m_km_request req = { .km_id = KM_ID }, back;
	char *text = NULL, why[160];
	int ret = onem2m_km_request_build(&req, &text, why, sizeof(why));

	ok(!ret && !strcmp(text, "{\"km-id\":\"" KM_ID "\"}"),
	   "request by Km-Id: %s", text ? text : "-");
	ok(!onem2m_km_request_parse(text, strlen(text), &back, why,
				    sizeof(why)) &&
	   !memcmp(&req, &back, sizeof(req)), "parsed back");
	ub_json_text_free(text);
	strcpy(req.enrolee_id, "CAE-enrolee-1");
	ok(onem2m_km_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text && !strcmp(why, "\"km-id\" comes without \"ke-id\" and "
			    "\"enrolee-id\""),
	   "no request with km-id and enrolee-id: %s", why);
}

static void refuse(const char *body, const char *want)
{
	struct onem2m_km_request req;
	char why[160] = "";

	ok(onem2m_km_request_parse(body, strlen(body), &req, why,
				   sizeof(why)) == -EINVAL &&
	   strstr(why, want), "refused %s: %s", body, why);
}

static void test_refusals(void)
{
	refuse("{\"enrolee-id\":\"e\"}", "ke-id");
	refuse("{\"ke-id\":\"" KE_ID "\"}", "enrolee-id");
	refuse("{\"ke-id\":\"" KE_ID "\",\"enrolee-id\":\"a b\"}",
	       "\"enrolee-id\" is not 1 to 255");
	refuse("{\"ke-id\":\"abc@mef\",\"enrolee-id\":\"e\"}",
	       "\"ke-id\" is not base64");
	refuse("{\"ke-id\":3,\"enrolee-id\":\"e\"}", "ke-id");
	refuse("[]", "");
	refuse("{\"km-id\":\"" KM_ID "\",\"ke-id\":\"" KE_ID "\"}",
	       "\"km-id\" comes without");
	refuse("{\"km-id\":\"" KM_ID "\",\"enrolee-id\":\"e\"}",
	       "\"km-id\" comes without");
	refuse("{\"km-id\":\"h9Vip@maf\"}", "\"km-id\" is not base64");
	refuse("{\"km-id\":\"\"}", "km-id");
	refuse("{\"ke-id\":\"" KE_ID "\",\"ke-id\":\"" KE_ID "\","
	       "\"enrolee-id\":\"e\"}", "");
}

static void test_response(void)
{
	struct onem2m_km_response resp = { .expires = 1796443200 }, back;
	char *text = NULL, why[160];
	const char *bad;
	int ret;

	memcpy(resp.km, km, sizeof(km));
	ret = onem2m_km_response_build(&resp, &text, why, sizeof(why));
	ok(!ret && !strcmp(text, "{\"km\":\"" KM_HEX "\","
				 "\"expires\":\"2026-12-05T04:00:00Z\"}"),
	   "answer: %s", text ? text : "-");
	ok(!onem2m_km_response_parse(text, strlen(text), &back, why,
				     sizeof(why)) &&
	   !memcmp(&resp, &back, sizeof(resp)), "parsed back");
	ub_json_text_free(text);
	memcpy(resp.ke_id, KE_ID, sizeof(KE_ID));
	strcpy(resp.enrolee_id, "CAE-enrolee-1");
	ret = onem2m_km_response_build(&resp, &text, why, sizeof(why));
	ok(!ret && !strcmp(text, "{\"km\":\"" KM_HEX "\","
				 "\"expires\":\"2026-12-05T04:00:00Z\","
				 "\"ke-id\":\"" KE_ID "\","
				 "\"enrolee-id\":\"CAE-enrolee-1\"}"),
	   "answer with its Ke and Enrolee: %s", text ? text : "-");
	ok(!onem2m_km_response_parse(text, strlen(text), &back, why,
				     sizeof(why)) &&
	   !memcmp(&resp, &back, sizeof(resp)), "parsed back");
	ub_json_text_free(text);
	bad = "{\"km\":\"" KM_HEX "\",\"expires\":\"2026-12-05T04:00:00Z\","
	      "\"ke-id\":\"kpm-1\"}";
	ok(onem2m_km_response_parse(bad, strlen(bad), &back, why,
				    sizeof(why)) == -EINVAL &&
	   strstr(why, "\"ke-id\" is not base64"),
	   "an answer whose ke-id is none: %s", why);
	bad = "{\"km\":\"0011\",\"expires\":\"2026-12-05T04:00:00Z\"}";
	ok(onem2m_km_response_parse(bad, strlen(bad), &back, why,
				    sizeof(why)) == -EINVAL &&
	   strstr(why, "km"), "an answer with a short Km: %s", why);
	bad = "{\"km\":\"" KM_HEX "\"}";
	ok(onem2m_km_response_parse(bad, strlen(bad), &back, why,
				    sizeof(why)) == -EINVAL &&
	   strstr(why, "expires"), "an answer without expires: %s", why);
}

int main(void)
{
	test_request();
	test_request_km_id();
	test_refusals();
	test_response();
	return done_testing();
}
