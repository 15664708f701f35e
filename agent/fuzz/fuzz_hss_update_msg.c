// SPDX-License-Identifier: GPL-2.0
/*
 * The key update's step 6 parsers (proto/keyupdate/hss_update_msg.h), the
 * HSS's of the request and the provisioning server's of the answer, on
 * arbitrary octets: what parses must build, and parse back the same.
 */
#include "proto/keyupdate/hss_update_msg.h"
#include "fuzz.h"
#include "proto/gba/ub_json.h"

static void request(const uint8_t *data, size_t size)
{
	struct ku_hss_request req, back;
	char *text;

	if (ku_hss_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!ku_hss_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!ku_hss_request_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(req.imsi, back.imsi) &&
		    req.counter == back.counter &&
		    !memcmp(req.k, back.k, sizeof(req.k)) &&
		    !memcmp(req.opc, back.opc, sizeof(req.opc)));
	ub_json_text_free(text);
	ku_hss_request_wipe(&req);
	ku_hss_request_wipe(&back);
}

static void response(const uint8_t *data, size_t size)
{
	struct ku_hss_response resp, back;
	char *text;

	if (ku_hss_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!ku_hss_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!ku_hss_response_parse(text, strlen(text), &back, NULL,
					   0));
	FUZZ_ASSERT(!strcmp(resp.imsi, back.imsi) &&
		    resp.counter == back.counter &&
		    resp.switched == back.switched &&
		    !memcmp(resp.kcv_k, back.kcv_k, sizeof(resp.kcv_k)) &&
		    !memcmp(resp.kcv_opc, back.kcv_opc, sizeof(resp.kcv_opc)));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
