// SPDX-License-Identifier: GPL-2.0
/*
 * What the BSF reads from an HLR, on arbitrary octets: the IPA frames of
 * a TCP stream, one after the other as gsup_client.c takes them, and the
 * GSUP message of each Osmocom GSUP frame. A frame never claims more
 * than it was given; a message that parses has a valid IMSI, which
 * builds a request that parses back with it, and a RES of a size GSUP
 * allows.
 */
#include "fuzz.h"
#include "proto/gsup/gsup_msg.h"
#include "proto/gsup/ipa.h"

static void message(const uint8_t *data, size_t size)
{
	struct gsup_sai_request req;
	struct gsup_message m, back;
	uint8_t buf[GSUP_SAI_REQUEST_MAX];
	int len;

	if (gsup_message_parse(data, size, &m, NULL, 0))
		return;
	FUZZ_ASSERT(gsup_imsi_valid(m.imsi));
	FUZZ_ASSERT(!m.has_vector || (m.tuples >= 1 &&
				      m.vector.res_len >= GSUP_RES_MIN &&
				      m.vector.res_len <= GSUP_RES_MAX));
	memset(&req, 0, sizeof(req));
	strcpy(req.imsi, m.imsi);
	len = gsup_sai_request_build(&req, buf, sizeof(buf));
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!gsup_message_parse(buf, (size_t)len, &back, NULL, 0));
	FUZZ_ASSERT(back.type == GSUP_MSGT_SAI_REQUEST &&
		    !strcmp(back.imsi, m.imsi) && !back.tuples);
	gsup_message_wipe(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipa_frame f;
	size_t at = 0;
	int ret;

	while ((ret = ipa_frame_next(data + at, size - at, &f)) > 0) {
		FUZZ_ASSERT((size_t)ret <= size - at &&
			    (size_t)ret >= IPA_HEADER_LEN);
		FUZZ_ASSERT(f.body + f.body_len == data + at + ret);
		if (f.proto == IPA_PROTO_OSMO && f.kind == IPA_EXT_GSUP)
			message(f.body, f.body_len);
		at += (size_t)ret;
	}
	/* The stream's bytes as one message too: the parser alone. */
	message(data, size);
	return 0;
}
