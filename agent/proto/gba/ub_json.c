// SPDX-License-Identifier: GPL-2.0
/*
 * The error body of Zh and Zn, and wiping what held keys.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "util/json_field.h"
#include "ub_json.h"
#include "util/why.h"

static void *wiping_malloc(size_t size)
{
	return malloc(size);
}

/*
 * jansson frees the strings it copied hex keys into, and the buffers it
 * printed them to, with this. malloc_usable_size() covers the whole block
 * whoever allocated it, so it is safe on blocks from before the switch.
 */
static void wiping_free(void *p)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

/* Before main, so no block is ever freed without; again by each user. */
__attribute__((constructor)) void ub_json_wipe_on_free(void)
{
	json_set_alloc_funcs(wiping_malloc, wiping_free);
}

void ub_json_text_free(char *text)
{
	if (!text)
		return;
	OPENSSL_cleanse(text, strlen(text));
	free(text);
}

/* Lower-case letters, digits and '-', 1..UB_ERROR_TOKEN_MAX of them. */
static bool error_token_valid(const char *token)
{
	size_t i;

	for (i = 0; token[i]; i++) {
		char c = token[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return i > 0 && i <= UB_ERROR_TOKEN_MAX;
}

/* One line: no control character (UTF-8 is jansson's to check). */
static bool detail_valid(const char *detail)
{
	size_t i;

	for (i = 0; detail[i]; i++) {
		unsigned char c = (unsigned char)detail[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return i <= UB_ERROR_DETAIL_MAX;
}

static int build_error(struct json_builder *b, const char *error,
		       const char *detail)
{
	if (!error || !error_token_valid(error) ||
	    (detail && !detail_valid(detail)))
		return -EINVAL;
	if (json_builder_init(b, NULL, 0))
		return -ENOMEM;
	json_builder_string(b, "error", error);
	if (detail && detail[0])
		json_builder_string(b, "detail", detail);
	return 0;
}

int ub_error_build(const char *error, const char *detail, char **text)
{
	struct json_builder b;
	int ret;

	*text = NULL;
	ret = build_error(&b, error, detail);
	return ret ? ret : json_builder_finish(&b, text);
}

int ub_error_object(const char *error, const char *detail, json_t **obj)
{
	struct json_builder b;
	int ret;

	*obj = NULL;
	ret = build_error(&b, error, detail);
	return ret ? ret : json_builder_take(&b, obj);
}

int ub_error_parse(const char *text, size_t len, struct ub_error *err,
		   char *why, size_t why_size)
{
	struct ub_error e = { "", "" };
	json_t *root = json_field_load(text, len, why, why_size);
	json_t *detail;
	int ret;

	if (!root)
		return -EINVAL;
	ret = json_field_string(root, "error", true, e.error,
				sizeof(e.error), why, why_size);
	if (ret >= 0 && !error_token_valid(e.error)) {
		ub_why(why, why_size, "\"error\" is not a token");
		ret = -EINVAL;
	}
	/* An empty detail is as good as none. */
	detail = json_object_get(root, "detail");
	if (ret >= 0 && detail && json_is_string(detail) &&
	    json_string_length(detail) == 0)
		detail = NULL;
	if (ret >= 0 && detail)
		ret = json_field_string(root, "detail", true, e.detail,
					sizeof(e.detail), why, why_size);
	if (ret >= 0 && !detail_valid(e.detail)) {
		ub_why(why, why_size, "\"detail\" is not one line of text");
		ret = -EINVAL;
	}
	json_decref(root);
	if (ret < 0)
		return -EINVAL;
	*err = e;
	return 0;
}
