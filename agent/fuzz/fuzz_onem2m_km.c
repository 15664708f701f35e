// SPDX-License-Identifier: GPL-2.0
/*
 * The Km and Kpsa distribution request (by KeId or by Km-Id) and answer
 * parsers (proto/onem2m/
 * km_msg.h) on arbitrary octets; what parses must build, and parse back
 * the same.
 */
#include "fuzz.h"
#include "crypto/onem2m.h"
#include "proto/onem2m/km_msg.h"

static void request(const uint8_t *data, size_t size)
{
	struct onem2m_km_request req, back;
	char *text;

	if (onem2m_km_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	if (req.km_id[0])
		FUZZ_ASSERT(onem2m_key_id_valid(req.km_id) &&
			    !req.ke_id[0] && !req.enrolee_id[0]);
	else
		FUZZ_ASSERT(onem2m_key_id_valid(req.ke_id) &&
			    store_onem2m_id_valid(req.enrolee_id));
	FUZZ_ASSERT(!onem2m_km_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!onem2m_km_request_parse(text, strlen(text), &back, NULL,
					     0));
	FUZZ_ASSERT(!strcmp(req.ke_id, back.ke_id) &&
		    !strcmp(req.enrolee_id, back.enrolee_id) &&
		    !strcmp(req.km_id, back.km_id));
	ub_json_text_free(text);
}

typedef int (*parse_fn)(const char *text, size_t len,
			struct onem2m_km_response *resp, char *why,
			size_t why_size);
typedef int (*build_fn)(const struct onem2m_km_response *resp, char **text,
			char *why, size_t why_size);

/* Km's answer or Kpsa's. */
static void response(const uint8_t *data, size_t size, parse_fn parse,
		     build_fn build)
{
	struct onem2m_km_response resp, back;
	char *text;

	if (parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!memcmp(resp.km, back.km, sizeof(resp.km)) &&
		    resp.expires == back.expires &&
		    !strcmp(resp.ke_id, back.ke_id) &&
		    !strcmp(resp.enrolee_id, back.enrolee_id));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size, onem2m_km_response_parse,
		 onem2m_km_response_build);
	response(data, size, onem2m_kpsa_response_parse,
		 onem2m_kpsa_response_build);
	return 0;
}
