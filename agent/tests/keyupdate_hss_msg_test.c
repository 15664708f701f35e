// SPDX-License-Identifier: GPL-2.0
/*
 * The key update's step 6 messages (proto/keyupdate/hss_update_msg.h):
 * their exact text, and the parsers' refusals with why naming the member
 * and never a key.
 */
#include <errno.h>
#include <string.h>

#include "proto/gba/ub_json.h"
#include "proto/keyupdate/hss_update_msg.h"
#include "store_fixture.h"

#define REQ_TEXT "{\"imsi\":\"001010000000001\"," \
	"\"k\":\"0396eb317b6d1c36f19c1c84cd6ffd16\"," \
	"\"opc\":\"53c15671c60a4b731c55b4a441c0bde2\",\"counter\":4294967295}"
#define RESP_TEXT "{\"imsi\":\"001010000000001\",\"counter\":7," \
	"\"kcv-k\":\"7e5a08\",\"kcv-opc\":\"81eaab\",\"switched\":false}"

static int parse_req(const char *text, struct ku_hss_request *req, char *why)
{
	return ku_hss_request_parse(text, strlen(text), req, why, 128);
}

static void test_request(void)
{
	struct ku_hss_request req = { .imsi = "001010000000001",
				      .counter = 0xffffffffu };
	char *text = NULL, why[128] = "";

	unhex(req.k, sizeof(req.k), "0396eb317b6d1c36f19c1c84cd6ffd16");
	unhex(req.opc, sizeof(req.opc), "53c15671c60a4b731c55b4a441c0bde2");
	ok(!ku_hss_request_build(&req, &text, why, sizeof(why)) && text &&
	   !strcmp(text, REQ_TEXT), "request: built exactly");
	ub_json_text_free(text);
	memset(&req, 0xee, sizeof(req));
	ok(!parse_req(REQ_TEXT, &req, why) && req.counter == 0xffffffffu &&
	   !strcmp(req.imsi, "001010000000001"), "request: parses back");
	is_hex(req.k, sizeof(req.k), "0396eb317b6d1c36f19c1c84cd6ffd16",
	       "request: K");
	is_hex(req.opc, sizeof(req.opc), "53c15671c60a4b731c55b4a441c0bde2",
	       "request: OPc");
	ku_hss_request_wipe(&req);

	req.counter = 0;
	strcpy(req.imsi, "001010000000001");
	ok(ku_hss_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "request: counter 0 not built");
	ok(parse_req("{\"imsi\":\"001010000000001\",\"k\":\"0396eb317b6d1c36"
		     "f19c1c84cd6ffd16\",\"opc\":\"53c15671c60a4b731c55b4a441"
		     "c0bde2\",\"counter\":0}", &req, why) == -EINVAL &&
	   strstr(why, "counter"), "request: counter 0 refused (%s)", why);
	ok(parse_req("{\"imsi\":\"001010000000001\",\"k\":\"0396eb317b6d1c36"
		     "f19c1c84cd6ffd1\",\"opc\":\"53c15671c60a4b731c55b4a441"
		     "c0bde2\",\"counter\":1}", &req, why) == -EINVAL &&
	   strstr(why, "\"k\"") && !strstr(why, "0396eb"),
	   "request: an odd K refused, named, not shown (%s)", why);
	ok(parse_req("{\"imsi\":\"0010\",\"k\":\"0396eb317b6d1c36"
		     "f19c1c84cd6ffd16\",\"opc\":\"53c15671c60a4b731c55b4a441"
		     "c0bde2\",\"counter\":1}", &req, why) == -EINVAL &&
	   strstr(why, "imsi"), "request: a short IMSI refused (%s)", why);
	ok(parse_req("[]", &req, why) == -EINVAL, "request: not an object");

	/* json_field_parse(): a message refused after its first members
	 * were read leaves the caller's struct as it was. */
	memset(&req, 0xa5, sizeof(req));
	ok(parse_req("{\"imsi\":\"001010000000002\",\"k\":\"0396eb317b6d1c36"
		     "f19c1c84cd6ffd16\",\"opc\":\"53c15671c60a4b731c55b4a441"
		     "c0bde2\"}", &req, why) == -EINVAL &&
	   strstr(why, "counter") && req.imsi[0] == (char)0xa5 &&
	   req.k[0] == 0xa5 && req.counter == 0xa5a5a5a5u,
	   "request: refused (no counter) after IMSI, K and OPc were read: "
	   "nothing of it written (%s)", why);
}

static void test_response(void)
{
	struct ku_hss_response resp = { .imsi = "001010000000001",
					.counter = 7 };
	char *text = NULL, why[128] = "";

	unhex(resp.kcv_k, sizeof(resp.kcv_k), "7e5a08");
	unhex(resp.kcv_opc, sizeof(resp.kcv_opc), "81eaab");
	ok(!ku_hss_response_build(&resp, &text, why, sizeof(why)) && text &&
	   !strcmp(text, RESP_TEXT), "response: built exactly");
	ub_json_text_free(text);
	memset(&resp, 0, sizeof(resp));
	resp.switched = true;
	ok(!ku_hss_response_parse(RESP_TEXT, strlen(RESP_TEXT), &resp, why,
				  sizeof(why)) && resp.counter == 7 &&
	   !resp.switched, "response: parses back, switched false");
	is_hex(resp.kcv_opc, sizeof(resp.kcv_opc), "81eaab",
	       "response: the OPc's KCV");
	ok(ku_hss_response_parse("{\"imsi\":\"001010000000001\",\"counter\""
				 ":7,\"kcv-k\":\"7e5a08\",\"kcv-opc\":\"81"
				 "eaab\"}", 74, &resp, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "switched"),
	   "response: without switched refused (%s)", why);
}

int main(void)
{
	test_request();
	test_response();
	return done_testing();
}
