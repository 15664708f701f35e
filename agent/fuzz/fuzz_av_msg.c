// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST AV request and response parsers (proto/best/av_msg.h) on arbitrary
 * octets; what parses must build, and parse back the same.
 */
#include "proto/best/av_msg.h"
#include "fuzz.h"
#include "proto/gba/ub_json.h"

static void request(const uint8_t *data, size_t size)
{
	struct av_request req, back;
	char *text;

	if (av_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!av_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!av_request_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(req.imsi, back.imsi) && req.aka == back.aka &&
		    req.resync == back.resync);
	FUZZ_ASSERT(req.aka != E2M_AKA_EPS ||
		    !memcmp(req.sn_id, back.sn_id, sizeof(req.sn_id)));
	FUZZ_ASSERT(req.aka != E2M_AKA_5G || !strcmp(req.snn, back.snn));
	FUZZ_ASSERT(!req.resync ||
		    (!memcmp(req.rand, back.rand, sizeof(req.rand)) &&
		     !memcmp(req.auts, back.auts, sizeof(req.auts))));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct av_response resp, back;
	char *text;

	if (av_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!av_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!av_response_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(resp.imsi, back.imsi) && resp.aka == back.aka &&
		    !memcmp(resp.rand, back.rand, sizeof(resp.rand)) &&
		    !memcmp(resp.autn, back.autn, sizeof(resp.autn)) &&
		    !memcmp(resp.xres, back.xres, sizeof(resp.xres)) &&
		    resp.e2m == back.e2m &&
		    !memcmp(resp.ck, back.ck, sizeof(resp.ck)) &&
		    !memcmp(resp.ik, back.ik, sizeof(resp.ik)) &&
		    !memcmp(resp.kasme, back.kasme, sizeof(resp.kasme)) &&
		    !memcmp(resp.xres_star, back.xres_star,
			    sizeof(resp.xres_star)) &&
		    !memcmp(resp.kausf, back.kausf, sizeof(resp.kausf)));
	ub_json_text_free(text);
	av_response_wipe(&resp);
	av_response_wipe(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
