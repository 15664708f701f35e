// SPDX-License-Identifier: GPL-2.0
/*
 * The triplet request and response parsers (proto/best/triplet_msg.h) on
 * arbitrary octets: what parses must build, and parse back the same.
 */
#include "proto/best/triplet_msg.h"
#include "fuzz.h"

static void request(const uint8_t *data, size_t size)
{
	struct triplet_request req, back;
	char *text;

	if (triplet_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!triplet_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!triplet_request_parse(text, strlen(text), &back, NULL,
					   0));
	FUZZ_ASSERT(!strcmp(req.imsi, back.imsi) &&
		    req.by_sqn == back.by_sqn && req.ksi == back.ksi &&
		    req.teid_hse == back.teid_hse &&
		    req.teid_ue == back.teid_ue);
	FUZZ_ASSERT(req.by_sqn ?
		    !memcmp(req.sqn, back.sqn, sizeof(req.sqn)) :
		    !memcmp(req.rand, back.rand, sizeof(req.rand)));
	FUZZ_ASSERT(!strcmp(req.ue.address, back.ue.address) &&
		    req.ue.port == back.ue.port &&
		    !strcmp(req.ue.inner_ipv4, back.ue.inner_ipv4) &&
		    !strcmp(req.ue.inner_ipv6, back.ue.inner_ipv6));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct triplet_response resp, back;
	char *text;

	if (triplet_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!triplet_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!triplet_response_parse(text, strlen(text), &back, NULL,
					    0));
	FUZZ_ASSERT(!strcmp(resp.imsi, back.imsi) && resp.teid == back.teid &&
		    resp.key_id == back.key_id &&
		    !strcmp(resp.key_description, back.key_description));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
