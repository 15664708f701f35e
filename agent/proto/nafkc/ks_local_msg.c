// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's service request and answer, see ks_local_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "ks_local_msg.h"
#include "util/json_field.h"
#include "util/utc.h"
#include "util/why.h"

bool ks_local_label_valid(const char *label)
{
	return !strcmp(label, LABEL_KS_LOCAL_DEVICE) ||
	       !strcmp(label, LABEL_KS_LOCAL_MT);
}

/* The three identities both messages carry; 0 or -EINVAL with why. */
static int check_ids(const char *btid, const char *device_id,
		     const char *label, char *why, size_t why_size)
{
	if (!store_btid_valid(btid)) {
		ub_why(why, why_size, "\"btid\" is not a B-TID");
		return -EINVAL;
	}
	if (!store_device_id_valid(device_id)) {
		ub_why(why, why_size,
		       "\"device-id\" is not 1 to %d printable ASCII characters without space",
		       STORE_DEVICE_ID_MAX);
		return -EINVAL;
	}
	if (!ks_local_label_valid(label)) {
		ub_why(why, why_size, "\"label\" is not %s or %s",
		       LABEL_KS_LOCAL_DEVICE, LABEL_KS_LOCAL_MT);
		return -EINVAL;
	}
	return 0;
}

/* Reads btid, device-id and label (default ks_local_device). */
static int read_ids(const json_t *root, char *btid, char *device_id,
		    char *label, char *why, size_t why_size)
{
	char label_text[KS_LOCAL_LABEL_MAX + 2];
	int ret;

	ret = json_field_string(root, "btid", true, btid, STORE_BTID_MAX + 1,
				why, why_size);
	if (ret >= 0)
		ret = json_field_string(root, "device-id", true, device_id,
					STORE_DEVICE_ID_MAX + 1, why,
					why_size);
	if (ret >= 0) {
		strcpy(label_text, LABEL_KS_LOCAL_DEVICE);
		ret = json_field_string(root, "label", false, label_text,
					sizeof(label_text), why, why_size);
	}
	if (ret >= 0)
		ret = check_ids(btid, device_id, label_text, why, why_size);
	if (ret >= 0)
		strcpy(label, label_text);
	return ret < 0 ? ret : 0;
}

int ks_local_request_parse(const char *text, size_t len,
			   struct ks_local_request *req, char *why,
			   size_t why_size)
{
	struct ks_local_request r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = read_ids(root, r.btid, r.device_id, r.label, why, why_size);
	json_decref(root);
	if (ret)
		return ret;
	*req = r;
	return 0;
}

int ks_local_request_build(const struct ks_local_request *req, char **text,
			   char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_ids(req->btid, req->device_id, req->label, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "btid", req->btid);
	json_builder_string(&b, "device-id", req->device_id);
	json_builder_string(&b, "label", req->label);
	return json_builder_finish(&b, text);
}

/* LDH and dots: the FQDN part of a NAF_Id. */
static bool naf_id_valid(const uint8_t *naf_id, size_t len)
{
	size_t i;

	if (len <= GBA_UA_ID_LEN || len > KS_LOCAL_NAF_ID_MAX)
		return false;
	for (i = 0; i < len - GBA_UA_ID_LEN; i++) {
		uint8_t c = naf_id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int check_response(const struct ks_local_response *resp, char *why,
			  size_t why_size)
{
	char text[UTC_TEXT_LEN + 1];

	if (check_ids(resp->btid, resp->device_id, resp->label, why,
		      why_size))
		return -EINVAL;
	if (!naf_id_valid(resp->naf_id, resp->naf_id_len)) {
		ub_why(why, why_size,
		       "\"naf-id\" is not an FQDN and a 5-octet Ua protocol id");
		return -EINVAL;
	}
	if (utc_format(text, resp->expires)) {
		ub_why(why, why_size, "\"expires\" is out of range");
		return -EINVAL;
	}
	if (!resp->lifetime) {
		ub_why(why, why_size, "\"lifetime\" is not 1 to %u seconds",
		       UINT32_MAX);
		return -EINVAL;
	}
	return 0;
}

int ks_local_response_build(const struct ks_local_response *resp,
			    char **text, char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_response(resp, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "btid", resp->btid);
	json_builder_string(&b, "device-id", resp->device_id);
	json_builder_string(&b, "label", resp->label);
	json_builder_hex(&b, "naf-id", resp->naf_id, resp->naf_id_len);
	json_builder_hex(&b, "ks-local", resp->ks_local, KS_LOCAL_LEN);
	json_builder_time(&b, "expires", resp->expires);
	json_builder_set(&b, "lifetime",
			 json_integer((json_int_t)resp->lifetime));
	return json_builder_finish(&b, text);
}

static int read_lifetime(const json_t *root, uint32_t *lifetime, char *why,
			 size_t why_size)
{
	const json_t *value = json_object_get(root, "lifetime");
	json_int_t n;

	if (!value) {
		ub_why(why, why_size, "\"lifetime\" missing");
		return -EINVAL;
	}
	n = json_is_integer(value) ? json_integer_value(value) : 0;
	if (n < 1 || n > (json_int_t)UINT32_MAX) {
		ub_why(why, why_size, "\"lifetime\" is not 1 to %u seconds",
		       UINT32_MAX);
		return -EINVAL;
	}
	*lifetime = (uint32_t)n;
	return 0;
}

int ks_local_response_parse(const char *text, size_t len,
			    struct ks_local_response *resp, char *why,
			    size_t why_size)
{
	struct ks_local_response r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = read_ids(root, r.btid, r.device_id, r.label, why, why_size);
	if (ret >= 0)
		ret = json_field_hex_var(root, "naf-id", r.naf_id,
					 sizeof(r.naf_id), &r.naf_id_len, why,
					 why_size);
	if (ret >= 0 && !naf_id_valid(r.naf_id, r.naf_id_len)) {
		ub_why(why, why_size,
		       "\"naf-id\" is not an FQDN and a 5-octet Ua protocol id");
		ret = -EINVAL;
	}
	if (ret >= 0)
		ret = json_field_hex(root, "ks-local", true, r.ks_local,
				     KS_LOCAL_LEN, why, why_size);
	if (ret >= 0)
		ret = json_field_time(root, "expires", &r.expires, why,
				      why_size);
	if (ret >= 0)
		ret = read_lifetime(root, &r.lifetime, why, why_size);
	json_decref(root);
	if (ret >= 0)
		*resp = r;
	ks_local_response_wipe(&r);
	return ret < 0 ? ret : 0;
}

void ks_local_response_wipe(struct ks_local_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
