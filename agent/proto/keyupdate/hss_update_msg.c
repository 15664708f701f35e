// SPDX-License-Identifier: GPL-2.0
/*
 * The key update's step 6 messages, server to HSS: see hss_update_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hss_update_msg.h"
#include "proto/best/msg_field.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

static int check_common(const char *imsi, uint32_t counter, char *why,
			size_t why_size)
{
	if (best_check_imsi("imsi", imsi, why, why_size))
		return -EINVAL;
	if (!counter) {
		ub_why(why, why_size, "\"counter\" is 0");
		return -EINVAL;
	}
	return 0;
}

static int parse_counter(const json_t *root, uint32_t *counter, char *why,
			 size_t why_size)
{
	uint64_t value;
	int ret = best_field_uint(root, "counter", true, 1, UINT32_MAX, &value,
				  why, why_size);

	if (ret > 0)
		*counter = (uint32_t)value;
	return ret;
}

/* ---- the request --------------------------------------------------------- */

int ku_hss_request_build(const struct ku_hss_request *req, char **text,
			 char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_common(req->imsi, req->counter, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", req->imsi);
	json_builder_hex(&b, "k", req->k, sizeof(req->k));
	json_builder_hex(&b, "opc", req->opc, sizeof(req->opc));
	best_builder_uint(&b, "counter", req->counter);
	return json_builder_finish(&b, text);
}

static int read_request(const json_t *root, void *out, char *why,
			size_t why_size)
{
	struct ku_hss_request *r = out;
	int ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);

	if (ret >= 0)
		ret = json_field_hex(root, "k", true, r->k, sizeof(r->k), why,
				     why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "opc", true, r->opc,
				     sizeof(r->opc), why, why_size);
	if (ret >= 0)
		ret = parse_counter(root, &r->counter, why, why_size);
	return ret;
}

int ku_hss_request_parse(const char *text, size_t len,
			 struct ku_hss_request *req, char *why,
			 size_t why_size)
{
	return json_field_parse(text, len, read_request, req, sizeof(*req),
				why, why_size);
}

void ku_hss_request_wipe(struct ku_hss_request *req)
{
	OPENSSL_cleanse(req, sizeof(*req));
}

/* ---- the response -------------------------------------------------------- */

int ku_hss_response_build(const struct ku_hss_response *resp, char **text,
			  char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_common(resp->imsi, resp->counter, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", resp->imsi);
	best_builder_uint(&b, "counter", resp->counter);
	json_builder_hex(&b, "kcv-k", resp->kcv_k, sizeof(resp->kcv_k));
	json_builder_hex(&b, "kcv-opc", resp->kcv_opc, sizeof(resp->kcv_opc));
	json_builder_bool(&b, "switched", resp->switched);
	return json_builder_finish(&b, text);
}

static int read_response(const json_t *root, void *out, char *why,
			 size_t why_size)
{
	struct ku_hss_response *r = out;
	int ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);

	if (ret >= 0)
		ret = parse_counter(root, &r->counter, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "kcv-k", true, r->kcv_k,
				     sizeof(r->kcv_k), why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "kcv-opc", true, r->kcv_opc,
				     sizeof(r->kcv_opc), why, why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "switched", true, &r->switched,
				      why, why_size);
	return ret;
}

int ku_hss_response_parse(const char *text, size_t len,
			  struct ku_hss_response *resp, char *why,
			  size_t why_size)
{
	return json_field_parse(text, len, read_response, resp,
				sizeof(*resp), why, why_size);
}
