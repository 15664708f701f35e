// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST key set pull parsers (proto/best/keyset_msg.h) on arbitrary octets;
 * what parses must build, and parse back the same.
 */
#include "proto/best/keyset_msg.h"
#include "fuzz.h"
#include "proto/gba/ub_json.h"

static void request(const uint8_t *data, size_t size)
{
	struct keyset_request req, back;
	char *text;

	if (keyset_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!keyset_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!keyset_request_parse(text, strlen(text), &back, NULL,
					  0));
	FUZZ_ASSERT(!strcmp(req.imsi, back.imsi) && req.by == back.by);
	FUZZ_ASSERT(req.by == KEYSET_BY_RAND ?
		    !memcmp(req.rand, back.rand, sizeof(req.rand)) :
		    !memcmp(req.sqn, back.sqn, sizeof(req.sqn)));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct keyset_response resp, back;
	char *text;

	if (keyset_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!keyset_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!keyset_response_parse(text, strlen(text), &back, NULL,
					   0));
	FUZZ_ASSERT(!strcmp(resp.imsi, back.imsi) &&
		    !memcmp(resp.rand, back.rand, sizeof(resp.rand)) &&
		    !memcmp(resp.sqn, back.sqn, sizeof(resp.sqn)) &&
		    resp.enc_alg == back.enc_alg &&
		    resp.int_alg == back.int_alg &&
		    !memcmp(resp.k_enc, back.k_enc, sizeof(resp.k_enc)) &&
		    !memcmp(resp.k_int, back.k_int, sizeof(resp.k_int)) &&
		    resp.window_expires == back.window_expires);
	ub_json_text_free(text);
	keyset_response_wipe(&resp);
	keyset_response_wipe(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
