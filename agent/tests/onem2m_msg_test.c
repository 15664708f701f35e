// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M enrolment messages (proto/onem2m/enrol_msg.h): built to
 * exact bytes and parsed back, and every refusal with its why.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "proto/onem2m/enrol_msg.h"

#define KE_ID	"vbil5qy0yhIdG0p1WqDHRQ==@mef.example.net"

static void test_request(void)
{
	struct onem2m_enrol_request req = { 0 }, back;
	char *text = NULL, why[160];
	int ret;

	strcpy(req.config.enrolee_id, "CAE-1");
	strcpy(req.config.target_id, "maf-1");
	ret = onem2m_enrol_request_build(&req, &text, why, sizeof(why));
	ok(!ret &&
	   !strcmp(text, "{\"enrolee-id\":\"CAE-1\",\"maf-id\":\"maf-1\"}"),
	   "request with a MAF-ID: %s", text ? text : "-");
	ok(!onem2m_enrol_request_parse(text, strlen(text), &back, why,
				       sizeof(why)) &&
	   back.config.target_kind == STORE_ONEM2M_MAF &&
	   !strcmp(back.config.target_id, "maf-1"), "parsed back");
	ub_json_text_free(text);
	req.config.target_kind = STORE_ONEM2M_ENROLEE_B;
	ret = onem2m_enrol_request_build(&req, &text, why, sizeof(why));
	ok(!ret &&
	   !strcmp(text,
		   "{\"enrolee-id\":\"CAE-1\",\"enrolee-b-id\":\"maf-1\"}"),
	   "request with an Enrolee-B-ID: %s", text ? text : "-");
	ok(!onem2m_enrol_request_parse(text, strlen(text), &back, why,
				       sizeof(why)) &&
	   back.config.target_kind == STORE_ONEM2M_ENROLEE_B, "parsed back");
	ub_json_text_free(text);
	req.config.enrolee_id[0] = '\0';
	ok(onem2m_enrol_request_build(&req, &text, why, sizeof(why)) ==
	   -EINVAL && !text, "no request without an Enrolee-ID: %s", why);
}

static void refuse(const char *body, const char *want)
{
	struct onem2m_enrol_request req;
	char why[160] = "";

	ok(onem2m_enrol_request_parse(body, strlen(body), &req, why,
				      sizeof(why)) == -EINVAL &&
	   strstr(why, want), "refused %s: %s", body, why);
}

static void test_refusals(void)
{
	refuse("{\"maf-id\":\"m\"}", "enrolee-id");
	refuse("{\"enrolee-id\":\"e\"}",
	       "needs one of \"maf-id\" and \"enrolee-b-id\"");
	refuse("{\"enrolee-id\":\"e\",\"maf-id\":\"m\",\"enrolee-b-id\":\"b\"}",
	       "needs one of");
	refuse("{\"enrolee-id\":\"a b\",\"maf-id\":\"m\"}",
	       "\"enrolee-id\" is not 1 to 255");
	refuse("{\"enrolee-id\":\"e\",\"enrolee-b-id\":\"b\\u0001\"}",
	       "\"enrolee-b-id\" is not 1 to 255");
	refuse("{\"enrolee-id\":\"e\",\"maf-id\":3}", "maf-id");
	refuse("[]", "");
	refuse("{\"enrolee-id\":\"e\",\"enrolee-id\":\"e\",\"maf-id\":\"m\"}",
	       "");
}

static void test_response(void)
{
	struct onem2m_enrol_response resp = {
		.ke_id = KE_ID, .expires = 1796443200, .lifetime = 3600,
	}, back;
	char *text = NULL, why[160];
	const char *bad;
	int ret = onem2m_enrol_response_build(&resp, &text, why, sizeof(why));

	ok(!ret &&
	   !strcmp(text, "{\"ke-id\":\"" KE_ID "\",\"expires\":"
			 "\"2026-12-05T04:00:00Z\",\"lifetime\":3600}"),
	   "answer: %s", text ? text : "-");
	ok(!onem2m_enrol_response_parse(text, strlen(text), &back, why,
					sizeof(why)) &&
	   !memcmp(&resp, &back, sizeof(resp)), "parsed back");
	ub_json_text_free(text);
	bad = "{\"ke-id\":\"kpm@mef\",\"expires\":\"2026-12-05T04:00:00Z\",\"lifetime\":1}";
	ok(onem2m_enrol_response_parse(bad, strlen(bad), &back, why,
				       sizeof(why)) == -EINVAL &&
	   strstr(why, "ke-id"), "an answer whose KeId is none: %s", why);
	bad = "{\"ke-id\":\"" KE_ID "\",\"expires\":\"2026-12-05T04:00:00Z\",\"lifetime\":0}";
	ok(onem2m_enrol_response_parse(bad, strlen(bad), &back, why,
				       sizeof(why)) == -EINVAL &&
	   strstr(why, "lifetime"), "an answer of lifetime 0: %s", why);
}

int main(void)
{
	test_request();
	test_refusals();
	test_response();
	return done_testing();
}
