// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST key set pull and its answer: see keyset_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keyset_msg.h"
#include "msg_field.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

/* ---- the request --------------------------------------------------------- */

/* The request's members into b; 0, or -EINVAL (b not begun). */
static int build_request(struct json_builder *b,
			 const struct keyset_request *req, char *why,
			 size_t why_size)
{
	if (best_check_imsi("imsi", req->imsi, why, why_size))
		return -EINVAL;
	if (req->by != KEYSET_BY_RAND && req->by != KEYSET_BY_SQN) {
		ub_why(why, why_size, "neither by RAND nor by SQN");
		return -EINVAL;
	}
	if (json_builder_init(b, why, why_size))
		return -ENOMEM;
	json_builder_string(b, "imsi", req->imsi);
	if (req->by == KEYSET_BY_RAND)
		json_builder_hex(b, "rand", req->rand, AKA_RAND_LEN);
	else
		json_builder_hex(b, "sqn", req->sqn, AKA_SQN_LEN);
	return 0;
}

int keyset_request_build(const struct keyset_request *req, char **text,
			 char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*text = NULL;
	ret = build_request(&b, req, why, why_size);
	return ret ? ret : json_builder_finish(&b, text);
}

int keyset_request_object(const struct keyset_request *req, json_t **obj,
			  char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*obj = NULL;
	ret = build_request(&b, req, why, why_size);
	return ret ? ret : json_builder_take(&b, obj);
}

/* Exactly one of "rand" and "sqn". */
static int parse_run(const json_t *root, struct keyset_request *r, char *why,
		     size_t why_size)
{
	bool has_rand = json_object_get(root, "rand") != NULL;
	bool has_sqn = json_object_get(root, "sqn") != NULL;

	if (has_rand && has_sqn) {
		ub_why(why, why_size, "both \"rand\" and \"sqn\"");
		return -EINVAL;
	}
	if (!has_rand && !has_sqn) {
		ub_why(why, why_size, "\"rand\" or \"sqn\" missing");
		return -EINVAL;
	}
	r->by = has_rand ? KEYSET_BY_RAND : KEYSET_BY_SQN;
	if (has_rand)
		return json_field_hex(root, "rand", true, r->rand,
				      AKA_RAND_LEN, why, why_size);
	return json_field_hex(root, "sqn", true, r->sqn, AKA_SQN_LEN, why,
			      why_size);
}

static int read_keyset_request(const json_t *root, void *out, char *why,
			       size_t why_size)
{
	struct keyset_request *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = parse_run(root, r, why, why_size);
	return ret;
}

int keyset_request_parse(const char *text, size_t len,
			 struct keyset_request *req, char *why,
			 size_t why_size)
{
	return json_field_parse(text, len, read_keyset_request, req,
				sizeof(*req), why, why_size);
}

int keyset_request_read(const json_t *obj, struct keyset_request *req,
			char *why, size_t why_size)
{
	return json_field_read(obj, read_keyset_request, req, sizeof(*req),
			       why, why_size);
}

/* ---- the response -------------------------------------------------------- */

static bool alg_valid(enum e2m_alg alg)
{
	return (unsigned int)alg <= E2M_ALG_MAX;
}

/* The response's members into b; 0, -EINVAL or -ENOMEM (b not begun). */
static int build_response(struct json_builder *b,
			  const struct keyset_response *resp, char *why,
			  size_t why_size)
{
	if (best_check_imsi("imsi", resp->imsi, why, why_size))
		return -EINVAL;
	if (!alg_valid(resp->enc_alg) || !alg_valid(resp->int_alg)) {
		ub_why(why, why_size, "an algorithm is not 0..%d",
		       E2M_ALG_MAX);
		return -EINVAL;
	}
	if (json_builder_init(b, why, why_size))
		return -ENOMEM;
	json_builder_string(b, "imsi", resp->imsi);
	json_builder_hex(b, "rand", resp->rand, AKA_RAND_LEN);
	json_builder_hex(b, "sqn", resp->sqn, AKA_SQN_LEN);
	best_builder_uint(b, "enc-alg", resp->enc_alg);
	best_builder_uint(b, "int-alg", resp->int_alg);
	json_builder_hex(b, "k-enc", resp->k_enc, KEYSET_KEY_LEN);
	json_builder_hex(b, "k-int", resp->k_int, KEYSET_KEY_LEN);
	json_builder_time(b, "window-expires", resp->window_expires);
	return 0;
}

int keyset_response_build(const struct keyset_response *resp, char **text,
			  char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*text = NULL;
	ret = build_response(&b, resp, why, why_size);
	return ret ? ret : json_builder_finish(&b, text);
}

int keyset_response_object(const struct keyset_response *resp, json_t **obj,
			   char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*obj = NULL;
	ret = build_response(&b, resp, why, why_size);
	return ret ? ret : json_builder_take(&b, obj);
}

static int parse_alg(const json_t *root, const char *key, enum e2m_alg *out,
		     char *why, size_t why_size)
{
	uint64_t value;
	int ret = best_field_uint(root, key, true, 0, E2M_ALG_MAX, &value, why,
				  why_size);

	if (ret > 0)
		*out = (enum e2m_alg)value;
	return ret;
}

static int read_keyset_response(const json_t *root, void *out, char *why,
				size_t why_size)
{
	struct keyset_response *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "rand", true, r->rand, AKA_RAND_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "sqn", true, r->sqn, AKA_SQN_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = parse_alg(root, "enc-alg", &r->enc_alg, why, why_size);
	if (ret >= 0)
		ret = parse_alg(root, "int-alg", &r->int_alg, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "k-enc", true, r->k_enc,
				     KEYSET_KEY_LEN, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "k-int", true, r->k_int,
				     KEYSET_KEY_LEN, why, why_size);
	if (ret >= 0)
		ret = json_field_time(root, "window-expires",
				      &r->window_expires, why, why_size);
	return ret;
}

int keyset_response_parse(const char *text, size_t len,
			  struct keyset_response *resp, char *why,
			  size_t why_size)
{
	return json_field_parse(text, len, read_keyset_response, resp,
				sizeof(*resp), why, why_size);
}

int keyset_response_read(const json_t *obj, struct keyset_response *resp,
			 char *why, size_t why_size)
{
	return json_field_read(obj, read_keyset_response, resp, sizeof(*resp),
			       why, why_size);
}

void keyset_response_wipe(struct keyset_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
