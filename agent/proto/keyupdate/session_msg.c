// SPDX-License-Identifier: GPL-2.0
/*
 * The key update session's HTTP carriage: see session_msg.h.
 */
#include <errno.h>
#include <string.h>

#include "proto/gba/ub_json.h"
#include "session_msg.h"
#include "util/json_field.h"
#include "util/why.h"

/* ---- the request --------------------------------------------------------- */

static int check_request(const struct ku_session_request *req, char *why,
			 size_t why_size)
{
	if (req->kind == KU_SESSION_START) {
		if (!store_iccid_valid(req->iccid)) {
			ub_why(why, why_size, "\"iccid\" is not an ICCID");
			return -EINVAL;
		}
		if (!req->sd_cert_len || req->sd_cert_len > OCE_CERT_MAX) {
			ub_why(why, why_size, "\"sd-certificate\" length");
			return -EINVAL;
		}
		return 0;
	}
	if (req->kind != KU_SESSION_NEXT || req->r_apdu_len < 2 ||
	    req->r_apdu_len > KU_R_APDU_MAX) {
		ub_why(why, why_size, "\"r-apdu\" length");
		return -EINVAL;
	}
	return 0;
}

int ku_session_request_build(const struct ku_session_request *req,
			     char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_request(req, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	if (req->kind == KU_SESSION_START) {
		json_builder_string(&b, "iccid", req->iccid);
		json_builder_hex(&b, "sd-certificate", req->sd_cert,
				 req->sd_cert_len);
	} else {
		json_builder_hex(&b, "session", req->session,
				 KU_SESSION_ID_LEN);
		json_builder_hex(&b, "r-apdu", req->r_apdu, req->r_apdu_len);
	}
	return json_builder_finish(&b, text);
}

/* Which kind: the members of one and none of the other. */
static int request_kind(const json_t *root, enum ku_session_kind *kind,
			char *why, size_t why_size)
{
	bool start = json_object_get(root, "iccid") ||
		     json_object_get(root, "sd-certificate");
	bool next = json_object_get(root, "session") ||
		    json_object_get(root, "r-apdu");

	if (start == next) {
		ub_why(why, why_size, start ?
		       "members of a start and of a next request" :
		       "neither \"iccid\" nor \"session\"");
		return -EINVAL;
	}
	*kind = start ? KU_SESSION_START : KU_SESSION_NEXT;
	return 0;
}

static int parse_start(const json_t *root, struct ku_session_request *r,
		       char *why, size_t why_size)
{
	int ret = json_field_string(root, "iccid", true, r->iccid,
				    sizeof(r->iccid), why, why_size);

	if (ret >= 0 && !store_iccid_valid(r->iccid)) {
		ub_why(why, why_size, "\"iccid\" is not an ICCID");
		return -EINVAL;
	}
	if (ret >= 0)
		ret = json_field_hex_var(root, "sd-certificate", r->sd_cert,
					 sizeof(r->sd_cert), &r->sd_cert_len,
					 why, why_size);
	return ret;
}

static int parse_next(const json_t *root, struct ku_session_request *r,
		      char *why, size_t why_size)
{
	int ret = json_field_hex(root, "session", true, r->session,
				 KU_SESSION_ID_LEN, why, why_size);

	if (ret >= 0)
		ret = json_field_hex_var(root, "r-apdu", r->r_apdu,
					 sizeof(r->r_apdu), &r->r_apdu_len,
					 why, why_size);
	if (ret >= 0 && r->r_apdu_len < 2) {
		ub_why(why, why_size, "\"r-apdu\" shorter than a SW");
		return -EINVAL;
	}
	return ret;
}

static int read_ku_session_request(const json_t *root, void *out, char *why,
				   size_t why_size)
{
	struct ku_session_request *r = out;
	int ret;

	ret = request_kind(root, &r->kind, why, why_size);
	if (!ret)
		ret = r->kind == KU_SESSION_START ?
			parse_start(root, r, why, why_size) :
			parse_next(root, r, why, why_size);
	return ret;
}

int ku_session_request_parse(const char *text, size_t len,
			     struct ku_session_request *req, char *why,
			     size_t why_size)
{
	return json_field_parse(text, len, read_ku_session_request, req,
				sizeof(*req), why, why_size);
}

/* ---- the response -------------------------------------------------------- */

int ku_session_response_build(const struct ku_session_response *resp,
			      char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (!resp->done && (!resp->c_apdu_len ||
			    resp->c_apdu_len > OCE_APDU_MAX)) {
		ub_why(why, why_size, "\"c-apdu\" length");
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_hex(&b, "session", resp->session, KU_SESSION_ID_LEN);
	if (resp->done)
		json_builder_bool(&b, "done", true);
	else
		json_builder_hex(&b, "c-apdu", resp->c_apdu,
				 resp->c_apdu_len);
	return json_builder_finish(&b, text);
}

static int read_ku_session_response(const json_t *root, void *out, char *why,
				    size_t why_size)
{
	struct ku_session_response *r = out;
	bool has_apdu;
	int ret;

	has_apdu = json_object_get(root, "c-apdu") != NULL;
	ret = json_field_hex(root, "session", true, r->session,
			     KU_SESSION_ID_LEN, why, why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "done", false, &r->done, why,
				      why_size);
	if (ret >= 0 && r->done == has_apdu) {
		ub_why(why, why_size, r->done ? "both \"done\" and \"c-apdu\"" :
		       "neither \"done\": true nor \"c-apdu\"");
		ret = -EINVAL;
	}
	if (ret >= 0 && has_apdu)
		ret = json_field_hex_var(root, "c-apdu", r->c_apdu,
					 sizeof(r->c_apdu), &r->c_apdu_len, why,
					 why_size);
	return ret;
}

int ku_session_response_parse(const char *text, size_t len,
			      struct ku_session_response *resp, char *why,
			      size_t why_size)
{
	return json_field_parse(text, len, read_ku_session_response, resp,
				sizeof(*resp), why, why_size);
}
