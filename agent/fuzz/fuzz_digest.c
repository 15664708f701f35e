// SPDX-License-Identifier: GPL-2.0
/*
 * The three Digest header parsers on arbitrary octets. What parses must
 * build, and what is built must parse back to the same struct; the
 * nonce and auts decoders and the response computation run on whatever
 * the parsers let through.
 */
#include <errno.h>

#include "fuzz.h"
#include "proto/gba/digest.h"

static void challenge(const uint8_t *data, size_t size)
{
	struct digest_challenge c, back;
	char out[2 * DIGEST_HEADER_MAX + 64];
	int len;

	if (digest_parse_challenge((const char *)data, size, &c, NULL, 0))
		return;
	len = digest_build_challenge(out, sizeof(out), &c, NULL, 0);
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!digest_parse_challenge(out, (size_t)len, &back, NULL,
					    0));
	FUZZ_ASSERT(!memcmp(&c, &back, sizeof(c)));
	(void)digest_algorithm_of(c.algorithm);
	(void)digest_qop_offered(c.qop, DIGEST_QOP_AUTH_INT);
}

static void credentials(const uint8_t *data, size_t size)
{
	struct digest_credentials cr, back;
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], auts[AKA_AUTS_LEN];
	char out[2 * DIGEST_HEADER_MAX + 64], response[DIGEST_HEX_LEN + 1];
	struct digest_input in = { 0 };
	int len;

	if (digest_parse_credentials((const char *)data, size, &cr, NULL, 0))
		return;
	len = digest_build_credentials(out, sizeof(out), &cr, NULL, 0);
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!digest_parse_credentials(out, (size_t)len, &back, NULL,
					      0));
	FUZZ_ASSERT(!memcmp(&cr, &back, sizeof(cr)));
	(void)digest_aka_nonce_decode(cr.nonce, rand, autn);
	if (cr.auts[0])
		FUZZ_ASSERT(!digest_auts_decode(cr.auts, auts));
	in.username = cr.username;
	in.realm = cr.realm;
	in.method = "GET";
	in.uri = cr.uri;
	in.nonce = cr.nonce;
	FUZZ_ASSERT(!digest_qop_of(cr.qop, &in.qop));
	in.nc = cr.nc;
	in.cnonce = cr.cnonce;
	in.body = data;
	in.body_len = size;
	FUZZ_ASSERT(!digest_response(response, &in));
	FUZZ_ASSERT(digest_response_check(&in, response) == 0);
}

static void auth_info(const uint8_t *data, size_t size)
{
	struct digest_auth_info ai, back;
	char out[2 * DIGEST_HEADER_MAX + 64];
	int len;

	if (digest_parse_auth_info((const char *)data, size, &ai, NULL, 0))
		return;
	len = digest_build_auth_info(out, sizeof(out), &ai, NULL, 0);
	/* Only an Authentication-Info with no known parameter is not built. */
	if (len == -EINVAL) {
		FUZZ_ASSERT(!ai.nextnonce[0] && !ai.qop[0] && !ai.rspauth[0]);
		return;
	}
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!digest_parse_auth_info(out, (size_t)len, &back, NULL,
					    0));
	FUZZ_ASSERT(!memcmp(&ai, &back, sizeof(ai)));
}

/* The decoders take C strings: feed them the input as one. */
static void decoders(const uint8_t *data, size_t size)
{
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], auts[AKA_AUTS_LEN];
	char nonce[DIGEST_AKA_NONCE_LEN + 1], again[DIGEST_AUTS_LEN + 1];
	char *s = fuzz_string(data, size);

	if (!digest_aka_nonce_decode(s, rand, autn)) {
		/* Canonical base64: one encoding per value. */
		FUZZ_ASSERT(!digest_aka_nonce_encode(nonce, rand, autn));
		FUZZ_ASSERT(!strcmp(nonce, s));
	}
	if (!digest_auts_decode(s, auts)) {
		FUZZ_ASSERT(!digest_auts_encode(again, auts));
		FUZZ_ASSERT(!strcmp(again, s));
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	challenge(data, size);
	credentials(data, size);
	auth_info(data, size);
	decoders(data, size);
	return 0;
}
