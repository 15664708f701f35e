// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST AV request and its answer: see av_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "av_msg.h"
#include "ub/json_field.h"
#include "ub/ub_json.h"
#include "ub/why.h"

/* ---- the request --------------------------------------------------------- */

static void build_resync(struct json_builder *b, const struct av_request *req)
{
	struct json_builder resync;

	if (json_builder_init(&resync, b->why, b->why_size)) {
		json_builder_set(b, "resync", NULL);
		return;
	}
	json_builder_hex(&resync, "rand", req->rand, AKA_RAND_LEN);
	json_builder_hex(&resync, "auts", req->auts, AKA_AUTS_LEN);
	/* The first error of either builder is the one. */
	if (!b->error)
		b->error = resync.error;
	json_builder_set(b, "resync", resync.obj);
}

int av_request_build(const struct av_request *req, char **text, char *why,
		     size_t why_size)
{
	const char *aka = e2m_aka_kind_name(req->aka);
	struct json_builder b;

	*text = NULL;
	if (json_check_imsi(req->imsi, why, why_size))
		return -EINVAL;
	if (!aka) {
		ub_why(why, why_size, "\"aka\" is not umts or eps");
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", req->imsi);
	json_builder_string(&b, "aka", aka);
	if (req->aka == E2M_AKA_EPS)
		json_builder_hex(&b, "sn-id", req->sn_id, SN_ID_LEN);
	if (req->resync)
		build_resync(&b, req);
	return json_builder_finish(&b, text);
}

/* "aka", and "sn-id" when it is EPS. */
static int parse_aka(const json_t *root, struct av_request *r, char *why,
		     size_t why_size)
{
	const json_t *aka = json_object_get(root, "aka");

	if (!aka) {
		ub_why(why, why_size, "\"aka\" missing");
		return -EINVAL;
	}
	/* The length check keeps "umts\u0000x" from reading as "umts". */
	if (!json_is_string(aka) ||
	    json_string_length(aka) != strlen(json_string_value(aka)) ||
	    e2m_aka_kind_parse(json_string_value(aka), &r->aka)) {
		ub_why(why, why_size, "\"aka\" is not umts or eps");
		return -EINVAL;
	}
	if (r->aka == E2M_AKA_EPS)
		return json_field_hex(root, "sn-id", true, r->sn_id, SN_ID_LEN,
				      why, why_size);
	if (json_object_get(root, "sn-id")) {
		ub_why(why, why_size, "\"sn-id\" is for EPS only");
		return -EINVAL;
	}
	return 0;
}

static int parse_resync(const json_t *root, struct av_request *r, char *why,
			size_t why_size)
{
	const json_t *resync;
	int ret = json_field_object(root, "resync", false, &resync, why,
				    why_size);

	if (ret <= 0)
		return ret;
	r->resync = true;
	ret = json_field_hex(resync, "rand", true, r->rand, AKA_RAND_LEN, why,
			     why_size);
	if (ret >= 0)
		ret = json_field_hex(resync, "auts", true, r->auts,
				     AKA_AUTS_LEN, why, why_size);
	return ret;
}

int av_request_parse(const char *text, size_t len, struct av_request *req,
		     char *why, size_t why_size)
{
	struct av_request r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_imsi(root, r.imsi, why, why_size);
	if (ret >= 0)
		ret = parse_aka(root, &r, why, why_size);
	if (ret >= 0)
		ret = parse_resync(root, &r, why, why_size);
	json_decref(root);
	if (ret >= 0)
		*req = r;
	OPENSSL_cleanse(&r, sizeof(r));
	return ret < 0 ? ret : 0;
}

/* ---- the response -------------------------------------------------------- */

int av_response_build(const struct av_response *resp, char **text,
		      char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (json_check_imsi(resp->imsi, why, why_size))
		return -EINVAL;
	if (!e2m_aka_kind_name(resp->aka)) {
		ub_why(why, why_size, "neither UMTS nor EPS");
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", resp->imsi);
	json_builder_hex(&b, "rand", resp->rand, AKA_RAND_LEN);
	json_builder_hex(&b, "autn", resp->autn, AKA_AUTN_LEN);
	json_builder_hex(&b, "xres", resp->xres, AKA_RES_LEN);
	json_builder_bool(&b, "e2m", resp->e2m);
	if (resp->aka == E2M_AKA_UMTS) {
		json_builder_hex(&b, "ck", resp->ck, AKA_CK_LEN);
		json_builder_hex(&b, "ik", resp->ik, AKA_IK_LEN);
	} else {
		json_builder_hex(&b, "kasme", resp->kasme, ANCHOR_KEY_LEN);
	}
	return json_builder_finish(&b, text);
}

/* "kasme" (EPS) or "ck" and "ik" (UMTS), never both. */
static int parse_keys(const json_t *root, struct av_response *r, char *why,
		      size_t why_size)
{
	int ret;

	if (json_object_get(root, "kasme")) {
		if (json_object_get(root, "ck") || json_object_get(root, "ik")) {
			ub_why(why, why_size,
			       "both \"kasme\" and \"ck\"/\"ik\"");
			return -EINVAL;
		}
		r->aka = E2M_AKA_EPS;
		return json_field_hex(root, "kasme", true, r->kasme,
				      ANCHOR_KEY_LEN, why, why_size);
	}
	r->aka = E2M_AKA_UMTS;
	ret = json_field_hex(root, "ck", true, r->ck, AKA_CK_LEN, why,
			     why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "ik", true, r->ik, AKA_IK_LEN, why,
				     why_size);
	return ret;
}

int av_response_parse(const char *text, size_t len,
		      struct av_response *resp, char *why, size_t why_size)
{
	struct av_response r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_imsi(root, r.imsi, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "rand", true, r.rand, AKA_RAND_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "autn", true, r.autn, AKA_AUTN_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "xres", true, r.xres, AKA_RES_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "e2m", true, &r.e2m, why,
				      why_size);
	if (ret >= 0)
		ret = parse_keys(root, &r, why, why_size);
	json_decref(root);
	if (ret >= 0)
		*resp = r;
	av_response_wipe(&r);
	return ret < 0 ? ret : 0;
}

void av_response_wipe(struct av_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
