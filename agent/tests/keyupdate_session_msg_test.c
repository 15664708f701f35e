// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP carriage of a key update session
 * (proto/keyupdate/session_msg.h): the exact text of each kind of request
 * and answer, and the parsers' refusals of mixed, missing and
 * out-of-range members, with why naming the member.
 */
#include <errno.h>
#include <string.h>

#include "proto/gba/ub_json.h"
#include "proto/keyupdate/session_msg.h"
#include "store_fixture.h"

#define SESSION_HEX	"00112233445566778899aabbccddeeff"

static int req_parse(const char *text, struct ku_session_request *req,
		     char *why)
{
	return ku_session_request_parse(text, strlen(text), req, why, 128);
}

static int resp_parse(const char *text, struct ku_session_response *resp,
		      char *why)
{
	return ku_session_response_parse(text, strlen(text), resp, why, 128);
}

static bool built_as(int ret, char *text, const char *want)
{
	bool same = !ret && text && !strcmp(text, want);

	if (!same)
		printf("# got %s\n", text ? text : "(none)");
	ub_json_text_free(text);
	return same;
}

static void test_request(void)
{
	struct ku_session_request req = { .kind = KU_SESSION_START,
					  .iccid = TEST_ICCID,
					  .sd_cert = { 0x30, 0x82 },
					  .sd_cert_len = 2 };
	char *text, why[128] = "";
	int ret;

	ret = ku_session_request_build(&req, &text, why, sizeof(why));
	ok(built_as(ret, text, "{\"iccid\":\"" TEST_ICCID "\","
		    "\"sd-certificate\":\"3082\"}"), "start: built exactly");
	memset(&req, 0, sizeof(req));
	req.kind = KU_SESSION_NEXT;
	unhex(req.session, KU_SESSION_ID_LEN, SESSION_HEX);
	req.r_apdu[0] = 0x90;
	req.r_apdu_len = 2;
	ret = ku_session_request_build(&req, &text, why, sizeof(why));
	ok(built_as(ret, text, "{\"session\":\"" SESSION_HEX "\","
		    "\"r-apdu\":\"9000\"}"), "next: built exactly");
	req.r_apdu_len = 1;
	ok(ku_session_request_build(&req, &text, why, sizeof(why)) ==
	   -EINVAL, "next: an R-APDU of 1 octet not built");

	memset(&req, 0xee, sizeof(req));
	ok(!req_parse("{\"iccid\":\"" TEST_ICCID "\",\"sd-certificate\":"
		      "\"3082AB\"}", &req, why) &&
	   req.kind == KU_SESSION_START && !strcmp(req.iccid, TEST_ICCID) &&
	   req.sd_cert_len == 3 && req.sd_cert[2] == 0xab,
	   "start: parsed");
	ok(!req_parse("{\"session\":\"" SESSION_HEX "\",\"r-apdu\":"
		      "\"6982\"}", &req, why) && req.kind == KU_SESSION_NEXT &&
	   req.r_apdu_len == 2 && req.r_apdu[0] == 0x69 &&
	   req.session[15] == 0xff, "next: parsed");
	ok(req_parse("{\"iccid\":\"" TEST_ICCID "\",\"r-apdu\":\"9000\"}",
		     &req, why) == -EINVAL && strstr(why, "start"),
	   "members of both kinds refused (%s)", why);
	ok(req_parse("{}", &req, why) == -EINVAL && strstr(why, "neither"),
	   "neither kind refused (%s)", why);
	ok(req_parse("{\"iccid\":\"89x\",\"sd-certificate\":\"30\"}", &req,
		     why) == -EINVAL && strstr(why, "iccid"),
	   "a bad ICCID refused (%s)", why);
	ok(req_parse("{\"session\":\"" SESSION_HEX "\",\"r-apdu\":\"90\"}",
		     &req, why) == -EINVAL && strstr(why, "r-apdu"),
	   "an R-APDU shorter than a SW refused (%s)", why);
	ok(req_parse("{\"session\":\"0011\",\"r-apdu\":\"9000\"}", &req,
		     why) == -EINVAL && strstr(why, "session"),
	   "a short session id refused (%s)", why);
}

static void test_response(void)
{
	struct ku_session_response resp = { .c_apdu = { 0x80, 0x2a },
					    .c_apdu_len = 2 };
	char *text, why[128] = "";
	int ret;

	unhex(resp.session, KU_SESSION_ID_LEN, SESSION_HEX);
	ret = ku_session_response_build(&resp, &text, why, sizeof(why));
	ok(built_as(ret, text, "{\"session\":\"" SESSION_HEX "\","
		    "\"c-apdu\":\"802a\"}"), "command: built exactly");
	resp.done = true;
	ret = ku_session_response_build(&resp, &text, why, sizeof(why));
	ok(built_as(ret, text, "{\"session\":\"" SESSION_HEX "\","
		    "\"done\":true}"), "done: built exactly");
	ok(!resp_parse("{\"session\":\"" SESSION_HEX "\",\"done\":true}",
		       &resp, why) && resp.done && !resp.c_apdu_len,
	   "done: parsed");
	ok(!resp_parse("{\"session\":\"" SESSION_HEX "\",\"c-apdu\":\"84d8"
		       "0001\"}", &resp, why) && !resp.done &&
	   resp.c_apdu_len == 4, "command: parsed");
	ok(resp_parse("{\"session\":\"" SESSION_HEX "\",\"done\":true,"
		      "\"c-apdu\":\"00\"}", &resp, why) == -EINVAL,
	   "done with a command refused (%s)", why);
	ok(resp_parse("{\"session\":\"" SESSION_HEX "\",\"done\":false}",
		      &resp, why) == -EINVAL,
	   "done false without a command refused (%s)", why);
}

int main(void)
{
	test_request();
	test_response();
	return done_testing();
}
