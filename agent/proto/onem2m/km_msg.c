// SPDX-License-Identifier: GPL-2.0
/*
 * The Km (and Kpsa) request and the MEF's answer (e2m profile), see
 * km_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "km_msg.h"
#include "util/json_field.h"
#include "util/why.h"

static int check_request(const struct onem2m_km_request *req, char *why,
			 size_t why_size)
{
	if (req->km_id[0]) {
		if (req->ke_id[0] || req->enrolee_id[0]) {
			ub_why(why, why_size, "\"km-id\" comes without "
			       "\"ke-id\" and \"enrolee-id\"");
			return -EINVAL;
		}
		if (!onem2m_key_id_valid(req->km_id)) {
			ub_why(why, why_size, "\"km-id\" is not base64 of "
			       "16 octets \"@\" an FQDN");
			return -EINVAL;
		}
		return 0;
	}
	if (!onem2m_key_id_valid(req->ke_id)) {
		ub_why(why, why_size,
		       "\"ke-id\" is not base64 of 16 octets \"@\" an FQDN");
		return -EINVAL;
	}
	if (!store_onem2m_id_valid(req->enrolee_id)) {
		ub_why(why, why_size, "\"enrolee-id\" is not 1 to 255 "
		       "printable ASCII characters without space");
		return -EINVAL;
	}
	return 0;
}

int onem2m_km_request_parse(const char *text, size_t len,
			    struct onem2m_km_request *req, char *why,
			    size_t why_size)
{
	struct onem2m_km_request r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_string(root, "km-id", false, r.km_id, sizeof(r.km_id),
				why, why_size);
	/* With km-id the other two are optional here, refused by the check. */
	if (ret >= 0)
		ret = json_field_string(root, "ke-id", !r.km_id[0], r.ke_id,
					sizeof(r.ke_id), why, why_size);
	if (ret >= 0)
		ret = json_field_string(root, "enrolee-id", !r.km_id[0],
					r.enrolee_id, sizeof(r.enrolee_id),
					why, why_size);
	json_decref(root);
	if (ret >= 0)
		ret = check_request(&r, why, why_size);
	if (ret < 0)
		return ret;
	*req = r;
	return 0;
}

int onem2m_km_request_build(const struct onem2m_km_request *req,
			    char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_request(req, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	if (req->km_id[0]) {
		json_builder_string(&b, "km-id", req->km_id);
	} else {
		json_builder_string(&b, "ke-id", req->ke_id);
		json_builder_string(&b, "enrolee-id", req->enrolee_id);
	}
	return json_builder_finish(&b, text);
}

/* The answer's optional names, when there: valid ids. */
static int check_names(const struct onem2m_km_response *r, char *why,
		       size_t why_size)
{
	if (r->ke_id[0] && !onem2m_key_id_valid(r->ke_id)) {
		ub_why(why, why_size,
		       "\"ke-id\" is not base64 of 16 octets \"@\" an FQDN");
		return -EINVAL;
	}
	if (r->enrolee_id[0] && !store_onem2m_id_valid(r->enrolee_id)) {
		ub_why(why, why_size, "\"enrolee-id\" is not 1 to 255 "
		       "printable ASCII characters without space");
		return -EINVAL;
	}
	return 0;
}

/*
 * {"<member>": hex, "expires": time[, "ke-id", "enrolee-id"]}: Km's
 * answer, or Kpsa's.
 */
static int key_response_parse(const char *member, const char *text,
			      size_t len, struct onem2m_km_response *resp,
			      char *why, size_t why_size)
{
	struct onem2m_km_response r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = json_field_hex(root, member, true, r.km, sizeof(r.km), why,
			     why_size);
	if (ret >= 0)
		ret = json_field_time(root, "expires", &r.expires, why,
				      why_size);
	if (ret >= 0)
		ret = json_field_string(root, "ke-id", false, r.ke_id,
					sizeof(r.ke_id), why, why_size);
	if (ret >= 0)
		ret = json_field_string(root, "enrolee-id", false,
					r.enrolee_id, sizeof(r.enrolee_id),
					why, why_size);
	json_decref(root);
	if (ret >= 0)
		ret = check_names(&r, why, why_size);
	if (ret >= 0)
		*resp = r;
	OPENSSL_cleanse(&r, sizeof(r));
	return ret < 0 ? ret : 0;
}

static int key_response_build(const char *member,
			      const struct onem2m_km_response *resp,
			      char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_names(resp, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_hex(&b, member, resp->km, sizeof(resp->km));
	json_builder_time(&b, "expires", resp->expires);
	if (resp->ke_id[0])
		json_builder_string(&b, "ke-id", resp->ke_id);
	if (resp->enrolee_id[0])
		json_builder_string(&b, "enrolee-id", resp->enrolee_id);
	return json_builder_finish(&b, text);
}

int onem2m_km_response_parse(const char *text, size_t len,
			     struct onem2m_km_response *resp, char *why,
			     size_t why_size)
{
	return key_response_parse("km", text, len, resp, why, why_size);
}

int onem2m_km_response_build(const struct onem2m_km_response *resp,
			     char **text, char *why, size_t why_size)
{
	return key_response_build("km", resp, text, why, why_size);
}

int onem2m_kpsa_response_parse(const char *text, size_t len,
			       struct onem2m_km_response *resp, char *why,
			       size_t why_size)
{
	return key_response_parse("kpsa", text, len, resp, why, why_size);
}

int onem2m_kpsa_response_build(const struct onem2m_km_response *resp,
			       char **text, char *why, size_t why_size)
{
	return key_response_build("kpsa", resp, text, why, why_size);
}
