// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing the members of the Zh and Zn JSON bodies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hex.h"
#include "json_field.h"
#include "proto/gba/ub_json.h"
#include "utc.h"
#include "why.h"

json_t *json_field_load(const char *text, size_t len, char *why,
			size_t why_size)
{
	json_error_t error;
	json_t *root;

	ub_json_wipe_on_free();
	if (!text || !len) {
		ub_why(why, why_size, "empty body");
		return NULL;
	}
	if (len > UB_JSON_MAX) {
		ub_why(why, why_size, "body longer than %d octets",
		       UB_JSON_MAX);
		return NULL;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
	if (!root) {
		/* jansson's text names the fault, never the value. */
		ub_why(why, why_size, "not JSON: line %d: %s", error.line,
		       error.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		ub_why(why, why_size, "body is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

int json_field_read(const json_t *root, json_field_read_fn reader, void *out,
		    size_t size, char *why, size_t why_size)
{
	void *copy;
	int ret;

	if (!json_is_object(root)) {
		ub_why(why, why_size, "body is not a JSON object");
		return -EINVAL;
	}
	copy = calloc(1, size);
	if (!copy) {
		ub_why(why, why_size, "out of memory");
		return -ENOMEM;
	}
	ret = reader(root, copy, why, why_size);
	if (ret >= 0)
		memcpy(out, copy, size);
	OPENSSL_clear_free(copy, size);
	return ret < 0 ? ret : 0;
}

int json_field_parse(const char *text, size_t len, json_field_read_fn reader,
		     void *out, size_t size, char *why, size_t why_size)
{
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	ret = json_field_read(root, reader, out, size, why, why_size);
	json_decref(root);
	return ret;
}

/* The member, or NULL; -EINVAL in *ret when it is required. */
static json_t *member(const json_t *obj, const char *key, bool required,
		      int *ret, char *why, size_t why_size)
{
	json_t *value = json_object_get(obj, key);

	*ret = 0;
	if (!value && required) {
		ub_why(why, why_size, "\"%s\" missing", key);
		*ret = -EINVAL;
	}
	return value;
}

static int wrong_type(const char *key, const char *type, char *why,
		      size_t why_size)
{
	ub_why(why, why_size, "\"%s\" is not %s", key, type);
	return -EINVAL;
}

int json_field_string(const json_t *obj, const char *key, bool required,
		      char *out, size_t size, char *why, size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, required, &ret, why, why_size);
	size_t len;

	if (!value)
		return ret;
	if (!json_is_string(value))
		return wrong_type(key, "a string", why, why_size);
	len = json_string_length(value);
	if (len == 0 || len >= size) {
		ub_why(why, why_size, "\"%s\" is empty or longer than %zu",
		       key, size - 1);
		return -EINVAL;
	}
	memcpy(out, json_string_value(value), len + 1);
	return 1;
}

int json_check_impi(const char *impi, char *why, size_t why_size)
{
	if (!store_impi_valid(impi)) {
		ub_why(why, why_size, "\"impi\" is not an IMPI");
		return -EINVAL;
	}
	return 0;
}

int json_field_impi(const json_t *obj, char out[STORE_IMPI_MAX + 1],
		    char *why, size_t why_size)
{
	char impi[STORE_IMPI_MAX + 1];
	int ret;

	ret = json_field_string(obj, "impi", true, impi, sizeof(impi), why,
				why_size);
	if (ret >= 0)
		ret = json_check_impi(impi, why, why_size);
	if (ret >= 0)
		memcpy(out, impi, sizeof(impi));
	return ret;
}

int json_field_hex_var(const json_t *obj, const char *key, uint8_t *out,
		       size_t max, size_t *out_len, char *why,
		       size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, true, &ret, why, why_size);
	enum hex_error error;

	if (!value)
		return ret;
	if (!json_is_string(value))
		return wrong_type(key, "a string", why, why_size);
	error = hex_decode(out, max, out_len, json_string_value(value));
	if (error == HEX_OK && *out_len == 0)
		error = HEX_WRONG_LENGTH;
	if (error != HEX_OK) {
		ub_why(why, why_size, "\"%s\": %s", key, hex_strerror(error));
		return -EINVAL;
	}
	return 1;
}

int json_field_hex(const json_t *obj, const char *key, bool required,
		   uint8_t *out, size_t len, char *why, size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, required, &ret, why, why_size);
	enum hex_error error;
	uint8_t buf[64];

	if (!value)
		return ret;
	if (!json_is_string(value))
		return wrong_type(key, "a string", why, why_size);
	if (len > sizeof(buf))
		return -EINVAL;
	/* Decoded aside, so that out is untouched when the hex is bad. */
	error = hex_decode_exact(buf, len, json_string_value(value));
	if (error != HEX_OK) {
		ub_why(why, why_size, "\"%s\": %s, not %zu octets of hex",
		       key, hex_strerror(error), len);
		return -EINVAL;
	}
	memcpy(out, buf, len);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 1;
}

int json_field_bool(const json_t *obj, const char *key, bool required,
		    bool *out, char *why, size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, required, &ret, why, why_size);

	if (!value)
		return ret;
	if (!json_is_boolean(value))
		return wrong_type(key, "true or false", why, why_size);
	*out = json_is_true(value);
	return 1;
}

int json_field_object(const json_t *obj, const char *key, bool required,
		      const json_t **out, char *why, size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, required, &ret, why, why_size);

	*out = NULL;
	if (!value)
		return ret;
	if (!json_is_object(value))
		return wrong_type(key, "an object", why, why_size);
	*out = value;
	return 1;
}

int json_field_uss(const json_t *obj, const char *key, char *out,
		   size_t size, char *why, size_t why_size)
{
	json_t *value = json_object_get(obj, key);
	char *text;
	size_t len;

	if (!value || json_is_null(value)) {
		out[0] = '\0';
		return value ? 1 : 0;
	}
	if (!json_is_object(value))
		return wrong_type(key, "an object or null", why, why_size);
	text = json_dumps(value, JSON_COMPACT);
	if (!text) {
		ub_why(why, why_size, "\"%s\" cannot be written back", key);
		return -ENOMEM;
	}
	len = strlen(text);
	if (len >= size) {
		ub_why(why, why_size, "\"%s\" longer than %zu octets", key,
		       size - 1);
		free(text);
		return -EINVAL;
	}
	memcpy(out, text, len + 1);
	free(text);
	return 1;
}

int json_field_time(const json_t *obj, const char *key, int64_t *out,
		    char *why, size_t why_size)
{
	int ret;
	json_t *value = member(obj, key, true, &ret, why, why_size);

	if (!value)
		return ret;
	if (!json_is_string(value))
		return wrong_type(key, "a string", why, why_size);
	if (utc_parse(json_string_value(value), out)) {
		ub_why(why, why_size, "\"%s\" is not YYYY-MM-DDThh:mm:ssZ",
		       key);
		return -EINVAL;
	}
	return 1;
}

/* The builder. */

int json_builder_init(struct json_builder *b, char *why, size_t why_size)
{
	b->why = why;
	b->why_size = why_size;
	b->error = 0;
	ub_json_wipe_on_free();
	b->obj = json_object();
	if (!b->obj) {
		ub_why(why, why_size, "out of memory");
		b->error = -ENOMEM;
	}
	return b->error;
}

void json_builder_fail(struct json_builder *b, const char *fmt, ...)
{
	va_list ap;

	if (b->error)
		return;
	b->error = -EINVAL;
	if (b->why && b->why_size) {
		va_start(ap, fmt);
		vsnprintf(b->why, b->why_size, fmt, ap);
		va_end(ap);
	}
}

void json_builder_set(struct json_builder *b, const char *key, json_t *value)
{
	if (b->error) {
		json_decref(value);
		return;
	}
	if (!value || json_object_set_new(b->obj, key, value)) {
		b->error = -ENOMEM;
		ub_why(b->why, b->why_size, "cannot add \"%s\"", key);
	}
}

void json_builder_string(struct json_builder *b, const char *key,
			 const char *value)
{
	/* json_string() refuses text that is not UTF-8. */
	json_t *string = b->error ? NULL : json_string(value);

	if (!b->error && !string) {
		json_builder_fail(b, "\"%s\" is not UTF-8", key);
		return;
	}
	json_builder_set(b, key, string);
}

void json_builder_hex(struct json_builder *b, const char *key,
		      const uint8_t *in, size_t len)
{
	/* Sized to the value: a NAF_Id runs to 260 octets. */
	size_t size = 2 * len + 1;
	char *buf;

	if (b->error)
		return;
	if (len > UB_JSON_MAX) {
		json_builder_fail(b, "\"%s\" too long", key);
		return;
	}
	buf = malloc(size);
	if (!buf) {
		json_builder_set(b, key, NULL);
		return;
	}
	hex_encode(buf, in, len);
	json_builder_set(b, key, json_string(buf));
	OPENSSL_cleanse(buf, size);
	free(buf);
}

void json_builder_bool(struct json_builder *b, const char *key, bool value)
{
	json_builder_set(b, key, b->error ? NULL : json_boolean(value));
}

void json_builder_time(struct json_builder *b, const char *key, int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t)) {
		json_builder_fail(b, "\"%s\" out of range", key);
		return;
	}
	json_builder_set(b, key, b->error ? NULL : json_string(text));
}

void json_builder_uss(struct json_builder *b, const char *key,
		      const char *uss)
{
	json_t *value;

	if (b->error)
		return;
	if (!uss[0]) {
		json_builder_set(b, key, json_null());
		return;
	}
	value = json_loads(uss, JSON_REJECT_DUPLICATES, NULL);
	if (!value || !json_is_object(value)) {
		json_decref(value);
		json_builder_fail(b, "\"%s\" is not a JSON object", key);
		return;
	}
	json_builder_set(b, key, value);
}

int json_builder_finish(struct json_builder *b, char **text)
{
	*text = NULL;
	if (!b->error) {
		*text = json_dumps(b->obj, JSON_COMPACT);
		if (!*text) {
			b->error = -ENOMEM;
			ub_why(b->why, b->why_size, "out of memory");
		}
	}
	json_decref(b->obj);
	b->obj = NULL;
	return b->error;
}

int json_builder_take(struct json_builder *b, json_t **obj)
{
	*obj = NULL;
	if (!b->error)
		*obj = b->obj;
	else
		json_decref(b->obj);
	b->obj = NULL;
	return b->error;
}
