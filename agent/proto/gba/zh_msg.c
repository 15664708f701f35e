// SPDX-License-Identifier: GPL-2.0
/*
 * Zh (e2m profile) bodies: the vector request and its answer.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util/json_field.h"
#include "util/why.h"
#include "zh_msg.h"

int zh_av_request_build(const struct zh_av_request *req, char **text,
			char *why, size_t why_size)
{
	struct json_builder b, resync;

	*text = NULL;
	if (json_check_impi(req->impi, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "impi", req->impi);
	if (req->resync) {
		if (json_builder_init(&resync, why, why_size)) {
			json_builder_set(&b, "resync", NULL);
		} else {
			json_builder_hex(&resync, "rand", req->rand,
					 AKA_RAND_LEN);
			json_builder_hex(&resync, "auts", req->auts,
					 AKA_AUTS_LEN);
			/* The first error of either builder is the one. */
			if (!b.error)
				b.error = resync.error;
			json_builder_set(&b, "resync", resync.obj);
		}
	}
	return json_builder_finish(&b, text);
}

static int read_zh_av_request(const json_t *root, void *out, char *why,
			      size_t why_size)
{
	struct zh_av_request *r = out;
	const json_t *resync;
	int ret;

	ret = json_field_impi(root, r->impi, why, why_size);
	if (ret >= 0)
		ret = json_field_object(root, "resync", false, &resync, why,
					why_size);
	if (ret > 0) {
		r->resync = true;
		ret = json_field_hex(resync, "rand", true, r->rand,
				     AKA_RAND_LEN, why, why_size);
		if (ret >= 0)
			ret = json_field_hex(resync, "auts", true, r->auts,
					     AKA_AUTS_LEN, why, why_size);
	}
	return ret;
}

int zh_av_request_parse(const char *text, size_t len,
			struct zh_av_request *req, char *why,
			size_t why_size)
{
	return json_field_parse(text, len, read_zh_av_request, req,
				sizeof(*req), why, why_size);
}

int zh_av_response_build(const struct zh_av_response *resp, char **text,
			 char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (json_check_impi(resp->impi, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "impi", resp->impi);
	json_builder_hex(&b, "rand", resp->rand, AKA_RAND_LEN);
	json_builder_hex(&b, "autn", resp->autn, AKA_AUTN_LEN);
	json_builder_hex(&b, "xres", resp->xres, AKA_RES_LEN);
	json_builder_hex(&b, "ck", resp->ck, AKA_CK_LEN);
	json_builder_hex(&b, "ik", resp->ik, AKA_IK_LEN);
	json_builder_bool(&b, "gba-u", resp->gba_u);
	json_builder_uss(&b, "uss", resp->uss);
	return json_builder_finish(&b, text);
}

static int read_zh_av_response(const json_t *root, void *out, char *why,
			       size_t why_size)
{
	struct zh_av_response *r = out;
	int ret;

	ret = json_field_impi(root, r->impi, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "rand", true, r->rand, AKA_RAND_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "autn", true, r->autn, AKA_AUTN_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "xres", true, r->xres, AKA_RES_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "ck", true, r->ck, AKA_CK_LEN, why,
				     why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "ik", true, r->ik, AKA_IK_LEN, why,
				     why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "gba-u", true, &r->gba_u, why,
				      why_size);
	if (ret >= 0)
		ret = json_field_uss(root, "uss", r->uss, sizeof(r->uss), why,
				     why_size);
	return ret;
}

int zh_av_response_parse(const char *text, size_t len,
			 struct zh_av_response *resp, char *why,
			 size_t why_size)
{
	return json_field_parse(text, len, read_zh_av_response, resp,
				sizeof(*resp), why, why_size);
}

void zh_av_response_wipe(struct zh_av_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
