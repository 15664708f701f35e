// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's request and answer parsers on arbitrary octets;
 * what parses must build, and parse back the same.
 */
#include "fuzz.h"
#include "proto/nafkc/ks_local_msg.h"

static void request(const uint8_t *data, size_t size)
{
	struct ks_local_request req, back;
	char *text;

	if (ks_local_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(store_btid_valid(req.btid) &&
		    store_device_id_valid(req.device_id) &&
		    ks_local_label_valid(req.label));
	FUZZ_ASSERT(!ks_local_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!ks_local_request_parse(text, strlen(text), &back, NULL,
					    0));
	FUZZ_ASSERT(!strcmp(req.btid, back.btid) &&
		    !strcmp(req.device_id, back.device_id) &&
		    !strcmp(req.label, back.label));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct ks_local_response resp, back;
	char *text;

	if (ks_local_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(resp.naf_id_len > GBA_UA_ID_LEN && resp.lifetime > 0);
	FUZZ_ASSERT(!ks_local_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!ks_local_response_parse(text, strlen(text), &back, NULL,
					     0));
	FUZZ_ASSERT(!memcmp(&resp, &back, sizeof(resp)));
	ub_json_text_free(text);
	ks_local_response_wipe(&resp);
	ks_local_response_wipe(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
