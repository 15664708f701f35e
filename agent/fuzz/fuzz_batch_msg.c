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

static void batch(const uint8_t *data, size_t size)
{
	struct best_batch in, back;
	char *text;
	size_t i;
	bool objects = true;

	if (best_batch_parse((const char *)data, size, "pulls", &in, NULL, 0))
		return;
	FUZZ_ASSERT(in.count >= 1 && in.count <= BEST_BATCH_MAX);
	for (i = 0; i < in.count; i++)
		objects = objects && in.items[i][0] == '{';
	/* Only objects build: an item that is not one is its own 400. */
	if (objects) {
		FUZZ_ASSERT(!best_batch_build("pulls", in.items, in.count,
					      &text, NULL, 0));
		FUZZ_ASSERT(!best_batch_parse(text, strlen(text), "pulls",
					      &back, NULL, 0));
		FUZZ_ASSERT(back.count == in.count);
		for (i = 0; i < in.count; i++)
			FUZZ_ASSERT(!strcmp(in.items[i], back.items[i]));
		best_batch_free(&back);
		ub_json_text_free(text);
	}
	best_batch_free(&in);
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
		best_results_add(&r, in[i].status, in[i].body,
				 strlen(in[i].body));
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
