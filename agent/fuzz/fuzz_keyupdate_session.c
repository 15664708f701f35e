// SPDX-License-Identifier: GPL-2.0
/*
 * The key update session's HTTP carriage (proto/keyupdate/session_msg.h),
 * the server's parser of the UE's requests and the UE's of the server's
 * answers, on arbitrary octets: what parses must build, and parse back
 * the same.
 */
#include "proto/keyupdate/session_msg.h"
#include "fuzz.h"
#include "proto/gba/ub_json.h"

static void request(const uint8_t *data, size_t size)
{
	static struct ku_session_request req, back;
	char *text;

	if (ku_session_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!ku_session_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!ku_session_request_parse(text, strlen(text), &back, NULL,
					      0));
	FUZZ_ASSERT(req.kind == back.kind);
	if (req.kind == KU_SESSION_START)
		FUZZ_ASSERT(!strcmp(req.iccid, back.iccid) &&
			    req.sd_cert_len == back.sd_cert_len &&
			    !memcmp(req.sd_cert, back.sd_cert,
				    req.sd_cert_len));
	else
		FUZZ_ASSERT(!memcmp(req.session, back.session,
				    sizeof(req.session)) &&
			    req.r_apdu_len == back.r_apdu_len &&
			    !memcmp(req.r_apdu, back.r_apdu, req.r_apdu_len));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	static struct ku_session_response resp, back;
	char *text;

	if (ku_session_response_parse((const char *)data, size, &resp, NULL,
				      0))
		return;
	FUZZ_ASSERT(!ku_session_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!ku_session_response_parse(text, strlen(text), &back,
					       NULL, 0));
	FUZZ_ASSERT(!memcmp(resp.session, back.session,
			    sizeof(resp.session)) &&
		    resp.done == back.done &&
		    resp.c_apdu_len == back.c_apdu_len &&
		    !memcmp(resp.c_apdu, back.c_apdu, resp.c_apdu_len));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
