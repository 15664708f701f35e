// SPDX-License-Identifier: GPL-2.0
/*
 * The Enrolee's enrolment request and the MEF's answer (e2m profile), see
 * enrol_msg.h.
 */
#include <errno.h>
#include <string.h>

#include "crypto/onem2m.h"
#include "enrol_msg.h"
#include "util/json_field.h"
#include "util/why.h"

#define ID_RULE "1 to 255 printable ASCII characters without space"

static int check_config(const struct store_onem2m_config *config, char *why,
			size_t why_size)
{
	if (!store_onem2m_id_valid(config->enrolee_id)) {
		ub_why(why, why_size, "\"enrolee-id\" is not " ID_RULE);
		return -EINVAL;
	}
	if (!store_onem2m_id_valid(config->target_id)) {
		ub_why(why, why_size, "\"%s\" is not " ID_RULE,
		       config->target_kind == STORE_ONEM2M_MAF ?
		       "maf-id" : "enrolee-b-id");
		return -EINVAL;
	}
	return 0;
}

int onem2m_enrol_request_parse(const char *text, size_t len,
			       struct onem2m_enrol_request *req, char *why,
			       size_t why_size)
{
	struct onem2m_enrol_request r;
	char b_id[sizeof(r.config.target_id)] = "";
	json_t *root = json_field_load(text, len, why, why_size);
	int ret, maf = 0, b = 0;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_string(root, "enrolee-id", true, r.config.enrolee_id,
				sizeof(r.config.enrolee_id), why, why_size);
	if (ret >= 0)
		ret = maf = json_field_string(root, "maf-id", false,
					      r.config.target_id,
					      sizeof(r.config.target_id), why,
					      why_size);
	if (ret >= 0)
		ret = b = json_field_string(root, "enrolee-b-id", false, b_id,
					    sizeof(b_id), why, why_size);
	json_decref(root);
	if (ret >= 0 && maf + b != 1) {
		ub_why(why, why_size,
		       "needs one of \"maf-id\" and \"enrolee-b-id\"");
		ret = -EINVAL;
	}
	if (ret >= 0 && b) {
		r.config.target_kind = STORE_ONEM2M_ENROLEE_B;
		strcpy(r.config.target_id, b_id);
	}
	if (ret >= 0)
		ret = check_config(&r.config, why, why_size);
	if (ret < 0)
		return ret;
	*req = r;
	return 0;
}

int onem2m_enrol_request_build(const struct onem2m_enrol_request *req,
			       char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_config(&req->config, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "enrolee-id", req->config.enrolee_id);
	json_builder_string(&b, req->config.target_kind == STORE_ONEM2M_MAF ?
				"maf-id" : "enrolee-b-id",
			    req->config.target_id);
	return json_builder_finish(&b, text);
}

static int read_lifetime(const json_t *root, uint32_t *lifetime, char *why,
			 size_t why_size)
{
	const json_t *value = json_object_get(root, "lifetime");
	json_int_t n = json_is_integer(value) ? json_integer_value(value) : 0;

	if (n < 1 || n > (json_int_t)UINT32_MAX) {
		ub_why(why, why_size, "\"lifetime\" is not 1 to %u seconds",
		       UINT32_MAX);
		return -EINVAL;
	}
	*lifetime = (uint32_t)n;
	return 0;
}

int onem2m_enrol_response_parse(const char *text, size_t len,
				struct onem2m_enrol_response *resp,
				char *why, size_t why_size)
{
	struct onem2m_enrol_response r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_string(root, "ke-id", true, r.ke_id, sizeof(r.ke_id),
				why, why_size);
	if (ret >= 0 && !onem2m_key_id_valid(r.ke_id)) {
		ub_why(why, why_size,
		       "\"ke-id\" is not base64 of 16 octets \"@\" an FQDN");
		ret = -EINVAL;
	}
	if (ret >= 0)
		ret = json_field_time(root, "expires", &r.expires, why,
				      why_size);
	if (ret >= 0)
		ret = read_lifetime(root, &r.lifetime, why, why_size);
	json_decref(root);
	if (ret < 0)
		return ret;
	*resp = r;
	return 0;
}

int onem2m_enrol_response_build(const struct onem2m_enrol_response *resp,
				char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (!onem2m_key_id_valid(resp->ke_id) || !resp->lifetime) {
		ub_why(why, why_size, "not a KeId and a lifetime");
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "ke-id", resp->ke_id);
	json_builder_time(&b, "expires", resp->expires);
	json_builder_set(&b, "lifetime",
			 json_integer((json_int_t)resp->lifetime));
	return json_builder_finish(&b, text);
}
