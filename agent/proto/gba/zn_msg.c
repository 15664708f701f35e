// SPDX-License-Identifier: GPL-2.0
/*
 * Zn (e2m profile) bodies: the NAF key request and its answer.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util/json_field.h"
#include "util/why.h"
#include "zn_msg.h"

/* LDH and dots: what a NAF FQDN is made of, in its A-label form. */
static bool fqdn_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.';
}

int zn_naf_id_split(struct zn_key_request *req)
{
	size_t fqdn_len, i;

	if (req->naf_id_len <= GBA_UA_ID_LEN ||
	    req->naf_id_len > ZN_NAF_ID_MAX)
		return -EINVAL;
	fqdn_len = req->naf_id_len - GBA_UA_ID_LEN;
	for (i = 0; i < fqdn_len; i++) {
		if (!fqdn_char(req->naf_id[i]))
			return -EINVAL;
	}
	memcpy(req->naf_fqdn, req->naf_id, fqdn_len);
	req->naf_fqdn[fqdn_len] = '\0';
	memcpy(req->ua_id, req->naf_id + fqdn_len, GBA_UA_ID_LEN);
	return 0;
}

static int check_btid(const char *btid, char *why, size_t why_size)
{
	if (!store_btid_valid(btid)) {
		ub_why(why, why_size, "\"btid\" is not a B-TID");
		return -EINVAL;
	}
	return 0;
}

/* "btid", required: a B-TID. */
static int field_btid(const json_t *root, char *btid, size_t size,
		      char *why, size_t why_size)
{
	int ret = json_field_string(root, "btid", true, btid, size, why,
				    why_size);

	return ret < 0 ? ret : check_btid(btid, why, why_size);
}

static int bad_naf_id(char *why, size_t why_size)
{
	ub_why(why, why_size,
	       "\"naf-id\" is not an FQDN and a 5-octet Ua protocol id");
	return -EINVAL;
}

static int check_naf_id(const struct zn_key_request *req, char *why,
			size_t why_size)
{
	struct zn_key_request copy;

	if (req->naf_id_len > ZN_NAF_ID_MAX)
		return bad_naf_id(why, why_size);
	memcpy(copy.naf_id, req->naf_id, req->naf_id_len);
	copy.naf_id_len = req->naf_id_len;
	return zn_naf_id_split(&copy) ? bad_naf_id(why, why_size) : 0;
}

int zn_key_request_build(const struct zn_key_request *req, char **text,
			 char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_btid(req->btid, why, why_size) ||
	    check_naf_id(req, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "btid", req->btid);
	json_builder_hex(&b, "naf-id", req->naf_id, req->naf_id_len);
	json_builder_bool(&b, "gba-u", req->gba_u);
	return json_builder_finish(&b, text);
}

static int read_zn_key_request(const json_t *root, void *out, char *why,
			       size_t why_size)
{
	struct zn_key_request *r = out;
	int ret;

	ret = field_btid(root, r->btid, sizeof(r->btid), why, why_size);
	if (ret >= 0)
		ret = json_field_hex_var(root, "naf-id", r->naf_id,
					 sizeof(r->naf_id), &r->naf_id_len, why,
					 why_size);
	if (ret >= 0 && zn_naf_id_split(r))
		ret = bad_naf_id(why, why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "gba-u", false, &r->gba_u, why,
				      why_size);
	return ret;
}

int zn_key_request_parse(const char *text, size_t len,
			 struct zn_key_request *req, char *why,
			 size_t why_size)
{
	return json_field_parse(text, len, read_zn_key_request, req,
				sizeof(*req), why, why_size);
}

int zn_key_response_build(const struct zn_key_response *resp, char **text,
			  char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_btid(resp->btid, why, why_size))
		return -EINVAL;
	if (json_check_impi(resp->impi, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "btid", resp->btid);
	json_builder_string(&b, "impi", resp->impi);
	json_builder_hex(&b, "ks-ext-naf", resp->ks_ext_naf, GBA_KEY_LEN);
	if (resp->gba_u)
		json_builder_hex(&b, "ks-int-naf", resp->ks_int_naf,
				 GBA_KEY_LEN);
	json_builder_time(&b, "expires", resp->expires);
	json_builder_uss(&b, "uss", resp->uss);
	return json_builder_finish(&b, text);
}

static int read_zn_key_response(const json_t *root, void *out, char *why,
				size_t why_size)
{
	struct zn_key_response *r = out;
	int ret;

	ret = field_btid(root, r->btid, sizeof(r->btid), why, why_size);
	if (ret >= 0)
		ret = json_field_impi(root, r->impi, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "ks-ext-naf", true, r->ks_ext_naf,
				     GBA_KEY_LEN, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "ks-int-naf", false, r->ks_int_naf,
				     GBA_KEY_LEN, why, why_size);
	if (ret >= 0) {
		r->gba_u = ret > 0;
		ret = json_field_time(root, "expires", &r->expires, why,
				      why_size);
	}
	if (ret >= 0)
		ret = json_field_uss(root, "uss", r->uss, sizeof(r->uss), why,
				     why_size);
	return ret;
}

int zn_key_response_parse(const char *text, size_t len,
			  struct zn_key_response *resp, char *why,
			  size_t why_size)
{
	return json_field_parse(text, len, read_zn_key_response, resp,
				sizeof(*resp), why, why_size);
}

void zn_key_response_wipe(struct zn_key_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
