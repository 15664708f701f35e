// SPDX-License-Identifier: GPL-2.0
/*
 * The four attach bodies of BEST (proto/best/attach_msg.h) on arbitrary octets,
 * as an SGW or a UE would read them from the other end; what parses must
 * build, and parse back to the same value.
 */
#include "proto/best/attach_msg.h"
#include "fuzz.h"

static void request(const uint8_t *data, size_t size)
{
	struct attach_request v, back;
	char *text;

	memset(&v, 0, sizeof(v));
	memset(&back, 0, sizeof(back));
	if (attach_request_parse((const char *)data, size, &v, NULL, 0))
		return;
	FUZZ_ASSERT(!attach_request_build(&v, &text, NULL, 0));
	FUZZ_ASSERT(!attach_request_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!memcmp(&v, &back, sizeof(v)));
	ub_json_text_free(text);
}

static void challenge(const uint8_t *data, size_t size)
{
	struct attach_challenge v, back;
	char *text;

	memset(&v, 0, sizeof(v));
	memset(&back, 0, sizeof(back));
	if (attach_challenge_parse((const char *)data, size, &v, NULL, 0))
		return;
	FUZZ_ASSERT(!attach_challenge_build(&v, &text, NULL, 0));
	FUZZ_ASSERT(!attach_challenge_parse(text, strlen(text), &back, NULL,
					    0));
	FUZZ_ASSERT(!memcmp(&v, &back, sizeof(v)));
	ub_json_text_free(text);
}

static void complete(const uint8_t *data, size_t size)
{
	struct attach_complete v, back;
	char *text;

	memset(&v, 0, sizeof(v));
	memset(&back, 0, sizeof(back));
	if (attach_complete_parse((const char *)data, size, &v, NULL, 0))
		return;
	FUZZ_ASSERT(!attach_complete_build(&v, &text, NULL, 0));
	FUZZ_ASSERT(!attach_complete_parse(text, strlen(text), &back, NULL,
					   0));
	FUZZ_ASSERT(!memcmp(&v, &back, sizeof(v)));
	ub_json_text_free(text);
	attach_complete_wipe(&v);
	attach_complete_wipe(&back);
}

static void accept_(const uint8_t *data, size_t size)
{
	struct attach_accept v, back;
	char *text;

	memset(&v, 0, sizeof(v));
	memset(&back, 0, sizeof(back));
	if (attach_accept_parse((const char *)data, size, &v, NULL, 0))
		return;
	FUZZ_ASSERT(!attach_accept_build(&v, &text, NULL, 0));
	FUZZ_ASSERT(!attach_accept_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!memcmp(&v, &back, sizeof(v)));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	challenge(data, size);
	complete(data, size);
	accept_(data, size);
	return 0;
}
