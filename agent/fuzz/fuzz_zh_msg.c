// SPDX-License-Identifier: GPL-2.0
/*
 * The Zh request and response parsers, and the error body's, on
 * arbitrary octets; what parses must build, and parse back the same.
 */
#include "fuzz.h"
#include "proto/gba/zh_msg.h"

static void request(const uint8_t *data, size_t size)
{
	struct zh_av_request req, back;
	char *text;

	if (zh_av_request_parse((const char *)data, size, &req, NULL, 0))
		return;
	FUZZ_ASSERT(!zh_av_request_build(&req, &text, NULL, 0));
	FUZZ_ASSERT(!zh_av_request_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(req.impi, back.impi) &&
		    req.resync == back.resync);
	FUZZ_ASSERT(!req.resync ||
		    (!memcmp(req.rand, back.rand, sizeof(req.rand)) &&
		     !memcmp(req.auts, back.auts, sizeof(req.auts))));
	ub_json_text_free(text);
}

static void response(const uint8_t *data, size_t size)
{
	struct zh_av_response resp, back;
	char *text;

	if (zh_av_response_parse((const char *)data, size, &resp, NULL, 0))
		return;
	FUZZ_ASSERT(!zh_av_response_build(&resp, &text, NULL, 0));
	FUZZ_ASSERT(!zh_av_response_parse(text, strlen(text), &back, NULL,
					  0));
	FUZZ_ASSERT(!strcmp(resp.impi, back.impi) &&
		    !memcmp(resp.rand, back.rand, sizeof(resp.rand)) &&
		    !memcmp(resp.autn, back.autn, sizeof(resp.autn)) &&
		    !memcmp(resp.xres, back.xres, sizeof(resp.xres)) &&
		    !memcmp(resp.ck, back.ck, sizeof(resp.ck)) &&
		    !memcmp(resp.ik, back.ik, sizeof(resp.ik)) &&
		    resp.gba_u == back.gba_u && !strcmp(resp.uss, back.uss));
	ub_json_text_free(text);
	zh_av_response_wipe(&resp);
	zh_av_response_wipe(&back);
}

static void error_body(const uint8_t *data, size_t size)
{
	struct ub_error err, back;
	char *text;

	if (ub_error_parse((const char *)data, size, &err, NULL, 0))
		return;
	FUZZ_ASSERT(!ub_error_build(err.error, err.detail, &text));
	FUZZ_ASSERT(!ub_error_parse(text, strlen(text), &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(err.error, back.error) &&
		    !strcmp(err.detail, back.detail));
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	response(data, size);
	error_body(data, size);
	return 0;
}
