// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M enrolment request and answer parsers (proto/onem2m/
 * enrol_msg.h) on arbitrary octets; what parses must build, and parse
 * back the same.
 */
#include "fuzz.h"
#include "crypto/onem2m.h"
#include "proto/onem2m/enrol_msg.h"

static void request(const uint8_t *data, size_t size)
{
	struct onem2m_enrol_request req, back;
	char *text;

	if (onem2m_enrol_request_parse((const char *)data, size, &req, NULL,
				       0))
		return;
	FUZZ_ASSERT(store_onem2m_id_valid(req.config.enrolee_id) &&
		    store_onem2m_id_valid(req.config.target_id));
	FUZZ_ASSERT(!onem2m_enrol_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!onem2m_enrol_request_parse(text, strlen(text), &back,
						NULL, 0));
	FUZZ_ASSERT(!strcmp(req.config.enrolee_id, back.config.enrolee_id) &&
		    req.config.target_kind == back.config.target_kind &&
		    !strcmp(req.config.target_id, back.config.target_id));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct onem2m_enrol_response resp, back;
	char *text;

	if (onem2m_enrol_response_parse((const char *)data, size, &resp, NULL,
					0))
		return;
	FUZZ_ASSERT(onem2m_key_id_valid(resp.ke_id) && resp.lifetime > 0);
	FUZZ_ASSERT(!onem2m_enrol_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!onem2m_enrol_response_parse(text, strlen(text), &back,
						 NULL, 0));
	FUZZ_ASSERT(!strcmp(resp.ke_id, back.ke_id) &&
		    resp.expires == back.expires &&
		    resp.lifetime == back.lifetime);
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	return 0;
}
