// SPDX-License-Identifier: GPL-2.0
/*
 * The envelope of BEST's batched messages: see batch_msg.h.
 */
#include <errno.h>
#include <string.h>

#include "batch_msg.h"
#include "proto/gba/ub_json.h"
#include "util/json_field.h"
#include "util/why.h"

/* Compact text of one element, as the single endpoint would read it. */
static char *element_text(const json_t *element)
{
	return json_dumps(element, JSON_COMPACT | JSON_ENCODE_ANY);
}

void best_batch_free(struct best_batch *batch)
{
	size_t i;

	for (i = 0; i < batch->count; i++)
		ub_json_text_free(batch->items[i]);
	memset(batch, 0, sizeof(*batch));
}

static int split(const json_t *array, struct best_batch *batch, char *why,
		 size_t why_size)
{
	size_t i;

	for (i = 0; i < json_array_size(array); i++) {
		batch->items[i] = element_text(json_array_get(array, i));
		if (!batch->items[i]) {
			best_batch_free(batch);
			ub_why(why, why_size, "out of memory");
			return -ENOMEM;
		}
		batch->count = i + 1;
	}
	return 0;
}

int best_batch_parse(const char *text, size_t len, const char *member,
		     struct best_batch *batch, char *why, size_t why_size)
{
	json_t *root = json_field_load(text, len, why, why_size);
	const json_t *array;
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
		ret = split(array, batch, why, why_size);
	json_decref(root);
	return ret;
}

int best_batch_build(const char *member, char *const *items, size_t n,
		     char **text, char *why, size_t why_size)
{
	json_t *array = json_array();
	json_t *item;
	json_error_t error;
	struct json_builder b;
	size_t i;

	*text = NULL;
	if (!n || n > BEST_BATCH_MAX) {
		json_decref(array);
		ub_why(why, why_size, "%zu items, not 1..%d", n,
		       BEST_BATCH_MAX);
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size) || !array) {
		json_decref(array);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		item = json_loads(items[i], JSON_REJECT_DUPLICATES, &error);
		if (!json_is_object(item) ||
		    json_array_append_new(array, item)) {
			json_decref(item);
			json_builder_fail(&b, "item %zu is not one object", i);
			break;
		}
	}
	json_builder_set(&b, member, array);
	return json_builder_finish(&b, text);
}

int best_results_init(struct best_results *r)
{
	r->array = json_array();
	r->error = r->array ? 0 : -ENOMEM;
	return r->error;
}

void best_results_add(struct best_results *r, int status, const char *body,
		      size_t len)
{
	json_t *obj;

	if (r->error)
		return;
	obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(obj) ||
	    json_object_set_new(obj, "status", json_integer(status)) ||
	    json_array_append_new(r->array, obj)) {
		json_decref(obj);
		r->error = -ENOMEM;
	}
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

/* One result: its status out, the rest into res->body. */
static int read_result(json_t *obj, struct best_result *res, size_t i,
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
	res->body = json_dumps(obj, JSON_COMPACT);
	if (!res->body) {
		ub_why(why, why_size, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int best_results_parse(const char *text, size_t len, size_t n,
		       struct best_result *results, char *why,
		       size_t why_size)
{
	json_t *root = json_field_load(text, len, why, why_size);
	json_t *array;
	size_t i;
	int ret = -EINVAL;

	memset(results, 0, n * sizeof(*results));
	if (!root)
		return -EINVAL;
	array = json_object_get(root, BEST_BATCH_RESULTS);
	if (!json_is_array(array) || json_array_size(array) != n) {
		ub_why(why, why_size, "not %zu results", n);
	} else {
		for (i = 0, ret = 0; i < n && !ret; i++)
			ret = read_result(json_array_get(array, i), &results[i],
					  i, why, why_size);
		if (ret)
			best_results_free(results, n);
	}
	json_decref(root);
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
