// SPDX-License-Identifier: GPL-2.0
/*
 * The Zn request and response parsers on arbitrary octets; what parses
 * must build, and parse back the same.
 */
#include "fuzz.h"
#include "proto/gba/zn_msg.h"

static void request(const uint8_t *data, size_t size)
{
	struct zn_key_request req, back;
	char *text;

	if (zn_key_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(req.naf_id_len > GBA_UA_ID_LEN &&
		    strlen(req.naf_fqdn) == req.naf_id_len - GBA_UA_ID_LEN);
	FUZZ_ASSERT(!zn_key_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!zn_key_request_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(req.btid, back.btid) &&
		    req.naf_id_len == back.naf_id_len &&
		    !memcmp(req.naf_id, back.naf_id, req.naf_id_len) &&
		    !strcmp(req.naf_fqdn, back.naf_fqdn) &&
		    !memcmp(req.ua_id, back.ua_id, sizeof(req.ua_id)) &&
		    req.gba_u == back.gba_u);
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct zn_key_response resp, back;
	char *text;

	if (zn_key_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!zn_key_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!zn_key_response_parse(text, strlen(text), &back, NULL,
					   0));
	FUZZ_ASSERT(!strcmp(resp.btid, back.btid) &&
		    !strcmp(resp.impi, back.impi) &&
		    !memcmp(resp.ks_ext_naf, back.ks_ext_naf, GBA_KEY_LEN) &&
		    resp.gba_u == back.gba_u &&
		    (!resp.gba_u ||
		     !memcmp(resp.ks_int_naf, back.ks_int_naf, GBA_KEY_LEN)) &&
		    resp.expires == back.expires &&
		    !strcmp(resp.uss, back.uss));
	ub_json_text_free(text);
	zn_key_response_wipe(&resp);
	zn_key_response_wipe(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
