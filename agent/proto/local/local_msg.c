// SPDX-License-Identifier: GPL-2.0
/*
 * The local interface's messages, see local_msg.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "local_msg.h"
#include "util/why.h"

static const char *const type_names[] = {
	[LOCAL_NAF_ID_LIST_REQUEST] = "naf-id-list-request",
	[LOCAL_NAF_ID_LIST] = "naf-id-list",
	[LOCAL_BTID_REQUEST] = "btid-request",
	[LOCAL_BTID] = "btid",
	[LOCAL_COMPLETE] = "complete",
	[LOCAL_COMPLETE_ACK] = "complete-ack",
	[LOCAL_ERROR] = "error",
	[LOCAL_REKEY_WATCH] = "rekey-watch",
	[LOCAL_REKEY_REQUEST] = "rekey-request",
};

#define N_TYPES	(sizeof(type_names) / sizeof(type_names[0]))

const char *local_type_name(enum local_type type)
{
	if (type <= LOCAL_NONE || (size_t)type >= N_TYPES)
		return NULL;
	return type_names[type];
}

const char *local_msg_error_token(int err)
{
	switch (err) {
	case -EBADMSG:
		return LOCAL_ERR_BAD_JSON;
	case -EOPNOTSUPP:
		return LOCAL_ERR_UNKNOWN_TYPE;
	case -EINVAL:
		return LOCAL_ERR_BAD_REQUEST;
	default:
		return LOCAL_ERR_INTERNAL;
	}
}

/* An error token: 1..LOCAL_ERROR_MAX of a-z and '-'. */
static bool token_valid(const char *token)
{
	size_t len = strnlen(token, LOCAL_ERROR_MAX + 1), i;

	if (!len || len > LOCAL_ERROR_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((token[i] >= 'a' && token[i] <= 'z') || token[i] == '-'))
			return false;
	return true;
}

/* ---- parsing -------------------------------------------------------- */

/* A string member of 1..size-1 octets without NUL: 0, -ENOENT, -EINVAL. */
static int get_string(const json_t *obj, const char *key, char *out,
		      size_t size, char *why, size_t why_size)
{
	const json_t *value = json_object_get(obj, key);
	size_t len;

	if (!value) {
		ub_why(why, why_size, "\"%s\" is missing", key);
		return -ENOENT;
	}
	if (!json_is_string(value)) {
		ub_why(why, why_size, "\"%s\" is not a string", key);
		return -EINVAL;
	}
	len = json_string_length(value);
	if (!len || len >= size || memchr(json_string_value(value), 0, len)) {
		ub_why(why, why_size, "\"%s\" is empty, too long or has a NUL",
		       key);
		return -EINVAL;
	}
	memcpy(out, json_string_value(value), len + 1);
	return 0;
}

static int get_naf_id(const json_t *obj, char *out, char *why,
		      size_t why_size)
{
	int ret = get_string(obj, "naf-id", out, DNS_NAME_MAX + 1, why,
			     why_size);

	if (!ret && !dns_name_valid(out)) {
		ub_why(why, why_size, "\"naf-id\" is not an FQDN");
		ret = -EINVAL;
	}
	return ret;
}

static int get_device_id(const json_t *obj, char *out, char *why,
			 size_t why_size)
{
	int ret = get_string(obj, "device-id", out, STORE_DEVICE_ID_MAX + 1,
			     why, why_size);

	if (!ret && !store_device_id_valid(out)) {
		ub_why(why, why_size, "\"device-id\" is not a Device_ID");
		ret = -EINVAL;
	}
	return ret;
}

static int get_btid(const json_t *obj, char *out, char *why, size_t why_size)
{
	int ret = get_string(obj, "btid", out, STORE_BTID_MAX + 1, why,
			     why_size);

	if (!ret && !store_btid_valid(out)) {
		ub_why(why, why_size, "\"btid\" is not a B-TID");
		ret = -EINVAL;
	}
	return ret;
}

static int get_naf_ids(const json_t *obj, struct local_msg *msg, char *why,
		       size_t why_size)
{
	const json_t *list = json_object_get(obj, "naf-ids");
	size_t i, n;

	if (!json_is_array(list) || !json_array_size(list) ||
	    json_array_size(list) > LOCAL_NAF_IDS_MAX) {
		ub_why(why, why_size, "\"naf-ids\" is not a list of 1 to %d",
		       LOCAL_NAF_IDS_MAX);
		return -EINVAL;
	}
	n = json_array_size(list);
	for (i = 0; i < n; i++) {
		const json_t *item = json_array_get(list, i);
		size_t len = json_string_length(item);

		if (!json_is_string(item) || !len || len > DNS_NAME_MAX ||
		    memchr(json_string_value(item), 0, len) ||
		    !dns_name_valid(json_string_value(item))) {
			ub_why(why, why_size, "\"naf-ids\"[%zu] is not an FQDN",
			       i);
			return -EINVAL;
		}
		memcpy(msg->naf_ids[i], json_string_value(item), len + 1);
	}
	msg->n_naf_ids = n;
	return 0;
}

static int get_error(const json_t *obj, struct local_msg *msg, char *why,
		     size_t why_size)
{
	int ret = get_string(obj, "error", msg->error, sizeof(msg->error),
			     why, why_size);

	if (!ret && !token_valid(msg->error)) {
		ub_why(why, why_size, "\"error\" is not a token");
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	ret = get_string(obj, "detail", msg->detail, sizeof(msg->detail), why,
			 why_size);
	return ret == -ENOENT ? 0 : ret;
}

static int get_reason(const json_t *obj, struct local_msg *msg, char *why,
		      size_t why_size)
{
	int ret = get_string(obj, "reason", msg->reason, sizeof(msg->reason),
			     why, why_size);

	if (!ret && !token_valid(msg->reason)) {
		ub_why(why, why_size, "\"reason\" is not a token");
		ret = -EINVAL;
	}
	return ret;
}

/* The MT's Key ID of a btid: optional, an integer 0..LOCAL_KEY_ID_MAX. */
static int get_key_id(const json_t *obj, struct local_msg *msg, char *why,
		      size_t why_size)
{
	const json_t *key_id = json_object_get(obj, "key-id");
	json_int_t value;

	if (!key_id)
		return 0;
	value = json_is_integer(key_id) ? json_integer_value(key_id) : -1;
	if (value < 0 || value > LOCAL_KEY_ID_MAX) {
		ub_why(why, why_size, "\"key-id\" is not an integer 0 to %d",
		       LOCAL_KEY_ID_MAX);
		return -EINVAL;
	}
	msg->key_id = (uint8_t)value;
	msg->has_key_id = true;
	return 0;
}

static int get_id(const json_t *obj, struct local_msg *msg, char *why,
		  size_t why_size)
{
	const json_t *id = json_object_get(obj, "id");
	json_int_t value;

	if (!id && msg->type == LOCAL_ERROR)
		return 0;
	if (!json_is_integer(id)) {
		ub_why(why, why_size, "\"id\" is missing or not an integer");
		return -EINVAL;
	}
	value = json_integer_value(id);
	if (value < 0 || value > (json_int_t)LOCAL_ID_MAX) {
		ub_why(why, why_size, "\"id\" is out of range");
		return -EINVAL;
	}
	msg->id = (uint32_t)value;
	msg->has_id = true;
	return 0;
}

static int get_type(const json_t *obj, struct local_msg *msg, char *why,
		    size_t why_size)
{
	const json_t *type = json_object_get(obj, "type");
	size_t i;

	if (!json_is_string(type)) {
		ub_why(why, why_size, "\"type\" is missing or not a string");
		return -EINVAL;
	}
	for (i = 1; i < N_TYPES; i++) {
		if (!strcmp(json_string_value(type), type_names[i]) &&
		    strlen(type_names[i]) == json_string_length(type)) {
			msg->type = (enum local_type)i;
			return 0;
		}
	}
	ub_why(why, why_size, "\"type\" is not one this MT knows");
	return -EOPNOTSUPP;
}

static int get_members(const json_t *obj, struct local_msg *msg, char *why,
		       size_t why_size)
{
	int ret = 0;

	switch (msg->type) {
	case LOCAL_NAF_ID_LIST_REQUEST:
	case LOCAL_COMPLETE_ACK:
		return 0;
	case LOCAL_NAF_ID_LIST:
		return get_naf_ids(obj, msg, why, why_size);
	case LOCAL_BTID_REQUEST:
		ret = get_naf_id(obj, msg->naf_id, why, why_size);
		return ret ? ret : get_device_id(obj, msg->device_id, why,
						 why_size);
	case LOCAL_BTID:
		ret = get_btid(obj, msg->btid, why, why_size);
		if (!ret)
			ret = get_naf_id(obj, msg->naf_id, why, why_size);
		return ret ? ret : get_key_id(obj, msg, why, why_size);
	case LOCAL_COMPLETE:
		ret = get_btid(obj, msg->btid, why, why_size);
		if (!ret)
			ret = get_naf_id(obj, msg->naf_id, why, why_size);
		return ret ? ret : get_device_id(obj, msg->device_id, why,
						 why_size);
	case LOCAL_REKEY_WATCH:
		ret = get_naf_id(obj, msg->naf_id, why, why_size);
		return ret ? ret : get_device_id(obj, msg->device_id, why,
						 why_size);
	case LOCAL_REKEY_REQUEST:
		ret = get_btid(obj, msg->btid, why, why_size);
		if (!ret)
			ret = get_naf_id(obj, msg->naf_id, why, why_size);
		if (!ret)
			ret = get_device_id(obj, msg->device_id, why,
					    why_size);
		return ret ? ret : get_reason(obj, msg, why, why_size);
	case LOCAL_ERROR:
		return get_error(obj, msg, why, why_size);
	default:
		return -EINVAL;
	}
}

int local_msg_parse(const uint8_t *payload, size_t len,
		    struct local_msg *msg, char *why, size_t why_size)
{
	json_error_t error;
	json_t *obj;
	int ret, id_ret;

	memset(msg, 0, sizeof(*msg));
	if (!len || len > LOCAL_FRAME_MAX) {
		ub_why(why, why_size, "payload of %zu octets", len);
		return -EBADMSG;
	}
	obj = json_loadb((const char *)payload, len, JSON_REJECT_DUPLICATES,
			 &error);
	if (!obj || !json_is_object(obj)) {
		ub_why(why, why_size, obj ? "not a JSON object" :
		       "not JSON: %s", error.text);
		json_decref(obj);
		return -EBADMSG;
	}
	/* The id first, so that every later error can name it. */
	ret = get_type(obj, msg, why, why_size);
	id_ret = get_id(obj, msg, ret ? NULL : why, why_size);
	if (!ret)
		ret = id_ret;
	if (!ret)
		ret = get_members(obj, msg, why, why_size);
	json_decref(obj);
	if (ret == -ENOENT)
		ret = -EINVAL;
	return ret;
}

/* ---- building ------------------------------------------------------- */

static int check_members(const struct local_msg *msg, char *why,
			 size_t why_size)
{
	bool naf = dns_name_valid(msg->naf_id);
	bool device = store_device_id_valid(msg->device_id);
	bool btid = store_btid_valid(msg->btid);
	size_t i;

	switch (msg->type) {
	case LOCAL_NAF_ID_LIST:
		if (!msg->n_naf_ids || msg->n_naf_ids > LOCAL_NAF_IDS_MAX)
			goto bad;
		for (i = 0; i < msg->n_naf_ids; i++)
			if (!dns_name_valid(msg->naf_ids[i]))
				goto bad;
		return 0;
	case LOCAL_BTID_REQUEST:
		return naf && device ? 0 : -EINVAL;
	case LOCAL_BTID:
		return naf && btid && (!msg->has_key_id ||
				       msg->key_id <= LOCAL_KEY_ID_MAX) ?
		       0 : -EINVAL;
	case LOCAL_COMPLETE:
		return naf && device && btid ? 0 : -EINVAL;
	case LOCAL_REKEY_WATCH:
		return naf && device ? 0 : -EINVAL;
	case LOCAL_REKEY_REQUEST:
		return naf && device && btid && token_valid(msg->reason) ?
		       0 : -EINVAL;
	case LOCAL_ERROR:
		return token_valid(msg->error) &&
		       strnlen(msg->detail, sizeof(msg->detail)) <
			       sizeof(msg->detail) ? 0 : -EINVAL;
	default:
		return 0;
	}
bad:
	ub_why(why, why_size, "naf-ids: 1 to %d FQDNs", LOCAL_NAF_IDS_MAX);
	return -EINVAL;
}

static json_t *members(const struct local_msg *msg)
{
	json_t *obj = json_object(), *list;
	size_t i;
	int bad;

	if (!obj)
		return NULL;
	bad = json_object_set_new(obj, "type",
				  json_string(local_type_name(msg->type)));
	if (msg->has_id)
		bad |= json_object_set_new(obj, "id", json_integer(msg->id));
	switch (msg->type) {
	case LOCAL_NAF_ID_LIST:
		list = json_array();
		for (i = 0; list && i < msg->n_naf_ids; i++)
			bad |= json_array_append_new(list,
					json_string(msg->naf_ids[i]));
		bad |= json_object_set_new(obj, "naf-ids", list);
		break;
	case LOCAL_BTID_REQUEST:
	case LOCAL_REKEY_WATCH:
		bad |= json_object_set_new(obj, "naf-id",
					   json_string(msg->naf_id));
		bad |= json_object_set_new(obj, "device-id",
					   json_string(msg->device_id));
		break;
	case LOCAL_BTID:
		bad |= json_object_set_new(obj, "btid", json_string(msg->btid));
		bad |= json_object_set_new(obj, "naf-id",
					   json_string(msg->naf_id));
		if (msg->has_key_id)
			bad |= json_object_set_new(obj, "key-id",
						   json_integer(msg->key_id));
		break;
	case LOCAL_COMPLETE:
	case LOCAL_REKEY_REQUEST:
		bad |= json_object_set_new(obj, "btid", json_string(msg->btid));
		bad |= json_object_set_new(obj, "naf-id",
					   json_string(msg->naf_id));
		bad |= json_object_set_new(obj, "device-id",
					   json_string(msg->device_id));
		if (msg->type == LOCAL_REKEY_REQUEST)
			bad |= json_object_set_new(obj, "reason",
						   json_string(msg->reason));
		break;
	case LOCAL_ERROR:
		bad |= json_object_set_new(obj, "error",
					   json_string(msg->error));
		if (msg->detail[0])
			bad |= json_object_set_new(obj, "detail",
						   json_string(msg->detail));
		break;
	default:
		break;
	}
	if (bad) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int local_msg_frame(const struct local_msg *msg, uint8_t *out, size_t size,
		    char *why, size_t why_size)
{
	json_t *obj;
	char *text;
	size_t len;
	int ret;

	if (!local_type_name(msg->type) ||
	    (!msg->has_id && msg->type != LOCAL_ERROR)) {
		ub_why(why, why_size, "no type or no id");
		return -EINVAL;
	}
	ret = check_members(msg, why, why_size);
	if (ret) {
		ub_why(why, why_size, "a member of %s is not valid",
		       local_type_name(msg->type));
		return ret;
	}
	obj = members(msg);
	text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	if (len > LOCAL_FRAME_MAX || size < LOCAL_FRAME_HEADER + len) {
		ub_why(why, why_size, "%s does not fit",
		       local_type_name(msg->type));
		ret = -EMSGSIZE;
	} else {
		local_frame_header(out, len);
		memcpy(out + LOCAL_FRAME_HEADER, text, len);
		ret = (int)(LOCAL_FRAME_HEADER + len);
	}
	free(text);
	return ret;
}
