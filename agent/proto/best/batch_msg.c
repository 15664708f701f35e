// SPDX-License-Identifier: GPL-2.0
/*
 * The envelope of BEST's batched messages: see batch_msg.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch_msg.h"
#include "proto/gba/ub_json.h"
#include "util/json_field.h"
#include "util/why.h"

/* Compact text of one element, as the single endpoint would read it. */
char *best_batch_item_text(const json_t *item)
{
	return json_dumps(item, JSON_COMPACT | JSON_ENCODE_ANY);
}

void best_batch_values_free(struct best_batch_values *batch)
{
	json_decref(batch->root);
	memset(batch, 0, sizeof(*batch));
}

int best_batch_load(const char *text, size_t len, const char *member,
		    struct best_batch_values *batch, char *why,
		    size_t why_size)
{
	json_t *root = json_field_load(text, len, why, why_size);
	json_t *array;
	size_t i;
	int ret = -EINVAL;

	memset(batch, 0, sizeof(*batch));
	if (!root)
		return -EINVAL;
	array = json_object_get(root, member);
	if (!array)
		ub_why(why, why_size, "\"%s\" missing", member);
	else if (!json_is_array(array))
		ub_why(why, why_size, "\"%s\" is not an array", member);
	else if (!json_array_size(array))
		ub_why(why, why_size, "\"%s\" is empty", member);
	else if (json_array_size(array) > BEST_BATCH_MAX)
		ub_why(why, why_size, "\"%s\" has more than %d items", member,
		       BEST_BATCH_MAX);
	else
		ret = 0;
	if (ret) {
		json_decref(root);
		return ret;
	}
	batch->root = root;
	batch->count = json_array_size(array);
	for (i = 0; i < batch->count; i++)
		batch->items[i] = json_array_get(array, i);
	return 0;
}

/* The request of the items array, taken (whatever happens). */
static int build(const char *member, json_t *array, char **text, char *why,
		 size_t why_size)
{
	struct json_builder b;

	if (json_builder_init(&b, why, why_size) || !array) {
		json_decref(array);
		json_builder_take(&b, &array);
		json_decref(array);
		return -ENOMEM;
	}
	json_builder_set(&b, member, array);
	return json_builder_finish(&b, text);
}

static int check_count(size_t n, char *why, size_t why_size)
{
	if (n && n <= BEST_BATCH_MAX)
		return 0;
	ub_why(why, why_size, "%zu items, not 1..%d", n, BEST_BATCH_MAX);
	return -EINVAL;
}

int best_batch_build(const char *member, char *const *items, size_t n,
		     char **text, char *why, size_t why_size)
{
	json_t *values[BEST_BATCH_MAX] = { NULL };
	json_error_t error;
	size_t i;
	int ret;

	*text = NULL;
	if (check_count(n, why, why_size))
		return -EINVAL;
	ub_json_wipe_on_free();
	/* An item that does not parse is NULL: not one object, below. */
	for (i = 0; i < n; i++)
		values[i] = json_loads(items[i], JSON_REJECT_DUPLICATES, &error);
	ret = best_batch_build_values(member, values, n, text, why, why_size);
	for (i = 0; i < n; i++)
		json_decref(values[i]);
	return ret;
}

int best_batch_build_values(const char *member, json_t *const *items,
			    size_t n, char **text, char *why,
			    size_t why_size)
{
	json_t *array;
	size_t i;

	*text = NULL;
	if (check_count(n, why, why_size))
		return -EINVAL;
	ub_json_wipe_on_free();
	array = json_array();
	for (i = 0; array && i < n; i++) {
		if (!json_is_object(items[i]) ||
		    json_array_append(array, items[i])) {
			json_decref(array);
			ub_why(why, why_size, "item %zu is not one object", i);
			return -EINVAL;
		}
	}
	return build(member, array, text, why, why_size);
}

int best_results_init(struct best_results *r)
{
	r->array = json_array();
	r->error = r->array ? 0 : -ENOMEM;
	return r->error;
}

void best_results_add_value(struct best_results *r, int status, json_t *body)
{
	if (r->error || !json_is_object(body) ||
	    json_object_set_new(body, "status", json_integer(status))) {
		json_decref(body);
		r->error = r->error ? r->error : -ENOMEM;
		return;
	}
	/* It takes body, even when it fails. */
	if (json_array_append_new(r->array, body))
		r->error = -ENOMEM;
}

int best_results_finish(struct best_results *r, char **text)
{
	json_t *root = NULL;

	*text = NULL;
	if (!r->error) {
		root = json_object();
		if (!root ||
		    json_object_set(root, BEST_BATCH_RESULTS, r->array))
			r->error = -ENOMEM;
		else
			*text = json_dumps(root, JSON_COMPACT);
		if (!r->error && !*text)
			r->error = -ENOMEM;
	}
	json_decref(root);
	json_decref(r->array);
	r->array = NULL;
	return r->error;
}

/* One result: its status out, the rest left in res->body. */
static int read_result(json_t *obj, struct best_result_value *res, size_t i,
		       char *why, size_t why_size)
{
	json_t *status = json_object_get(obj, "status");

	if (!json_is_object(obj) || !json_is_integer(status) ||
	    json_integer_value(status) < 100 ||
	    json_integer_value(status) > 599) {
		ub_why(why, why_size, "result %zu has no good \"status\"", i);
		return -EINVAL;
	}
	res->status = (int)json_integer_value(status);
	json_object_del(obj, "status");
	res->body = obj;
	return 0;
}

int best_results_load(const char *text, size_t len, size_t n, json_t **root,
		      struct best_result_value *results, char *why,
		      size_t why_size)
{
	json_t *array;
	size_t i;
	int ret = -EINVAL;

	memset(results, 0, n * sizeof(*results));
	*root = json_field_load(text, len, why, why_size);
	if (!*root)
		return -EINVAL;
	array = json_object_get(*root, BEST_BATCH_RESULTS);
	if (!json_is_array(array) || json_array_size(array) != n) {
		ub_why(why, why_size, "not %zu results", n);
	} else {
		for (i = 0, ret = 0; i < n && !ret; i++)
			ret = read_result(json_array_get(array, i), &results[i],
					  i, why, why_size);
	}
	if (ret) {
		json_decref(*root);
		*root = NULL;
	}
	return ret;
}

int best_results_parse(const char *text, size_t len, size_t n,
		       struct best_result *results, char *why,
		       size_t why_size)
{
	struct best_result_value *values = calloc(n ? n : 1, sizeof(*values));
	json_t *root = NULL;
	size_t i;
	int ret;

	memset(results, 0, n * sizeof(*results));
	if (!values) {
		ub_why(why, why_size, "out of memory");
		return -ENOMEM;
	}
	ret = best_results_load(text, len, n, &root, values, why, why_size);
	for (i = 0; !ret && i < n; i++) {
		results[i].status = values[i].status;
		results[i].body = json_dumps(values[i].body, JSON_COMPACT);
		if (!results[i].body) {
			ub_why(why, why_size, "out of memory");
			best_results_free(results, n);
			ret = -ENOMEM;
		}
	}
	json_decref(root);
	free(values);
	return ret;
}

void best_results_free(struct best_result *results, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ub_json_text_free(results[i].body);
		results[i].body = NULL;
	}
}
