// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST batch envelope (proto/best/batch_msg.h) on arbitrary octets:
 * a batch that splits must build again from its items and split back into
 * the same items; results that read must build again into the same ones.
 */
#include <stdbool.h>

#include "proto/best/batch_msg.h"
#include "fuzz.h"
#include "proto/gba/ub_json.h"

/* Whether a and b are the same JSON, as text. */
static bool same_item(const json_t *a, const json_t *b)
{
	char *ta = best_batch_item_text(a), *tb = best_batch_item_text(b);
	bool same = ta && tb && !strcmp(ta, tb);

	ub_json_text_free(ta);
	ub_json_text_free(tb);
	return same;
}

static void batch(const uint8_t *data, size_t size)
{
	struct best_batch_values in, back;
	char *text;
	size_t i;
	bool objects = true;

	if (best_batch_load((const char *)data, size, "pulls", &in, NULL, 0))
		return;
	FUZZ_ASSERT(in.count >= 1 && in.count <= BEST_BATCH_MAX);
	for (i = 0; i < in.count; i++)
		objects = objects && json_is_object(in.items[i]);
	/* Only objects build: an item that is not one is its own 400. */
	if (objects) {
		FUZZ_ASSERT(!best_batch_build_values("pulls", in.items,
						     in.count, &text, NULL, 0));
		FUZZ_ASSERT(!best_batch_load(text, strlen(text), "pulls",
					     &back, NULL, 0));
		FUZZ_ASSERT(back.count == in.count);
		for (i = 0; i < in.count; i++)
			FUZZ_ASSERT(same_item(in.items[i], back.items[i]));
		best_batch_values_free(&back);
		ub_json_text_free(text);
	}
	best_batch_values_free(&in);
}

static void results(const uint8_t *data, size_t size)
{
	struct best_result in[3], back[3];
	struct best_results r;
	char *text;
	size_t i;

	if (best_results_parse((const char *)data, size, 3, in, NULL, 0))
		return;
	FUZZ_ASSERT(!best_results_init(&r));
	for (i = 0; i < 3; i++)
		best_results_add_value(&r, in[i].status,
				       json_loads(in[i].body, 0, NULL));
	FUZZ_ASSERT(!best_results_finish(&r, &text));
	FUZZ_ASSERT(!best_results_parse(text, strlen(text), 3, back, NULL,
					 0));
	for (i = 0; i < 3; i++)
		FUZZ_ASSERT(in[i].status == back[i].status &&
			    !strcmp(in[i].body, back[i].body));
	best_results_free(in, 3);
	best_results_free(back, 3);
	ub_json_text_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	batch(data, size);
	results(data, size);
	return 0;
}
