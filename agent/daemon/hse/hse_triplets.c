// SPDX-License-Identifier: GPL-2.0
/*
 * POST /e2m/v1/triplets, see hse_triplets.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "proto/best/batch_msg.h"
#include "proto/best/triplet_msg.h"
#include "net/json_error.h"
#include "hse_triplet.h"
#include "hse_triplets.h"
#include "proto/gba/ub_json.h"

struct triplet_batch;

/* One triplet's answer, kept until the last one's. */
struct batch_slot {
	struct triplet_batch *batch;
	int status;
	json_t *body;		/* NULL: no body could be built */
};

/*
 * A batch lives until its last triplet is answered: left counts the
 * triplets not yet answered, plus one held while they are being started
 * (an answer may come before hse_triplet_start() returns, and a commit
 * flushed for one triplet may answer another of the same batch).
 */
struct triplet_batch {
	struct http_exchange *ex;
	size_t count;
	size_t left;
	struct batch_slot slots[BEST_BATCH_MAX];
};

static void batch_free(struct triplet_batch *batch)
{
	size_t i;

	for (i = 0; i < batch->count; i++)
		json_decref(batch->slots[i].body);
	free(batch);
}

/* Every triplet answered: the results, in order, in one answer. */
static void batch_answer(struct triplet_batch *batch)
{
	struct best_results results;
	char *text = NULL;
	size_t i;

	best_results_init(&results);
	for (i = 0; i < batch->count; i++) {
		struct batch_slot *slot = &batch->slots[i];

		/* Taken: NULL (no body) is kept as the answer's error. */
		best_results_add_value(&results, slot->status, slot->body);
		slot->body = NULL;
	}
	if (best_results_finish(&results, &text))
		hse_triplet_refuse(batch->ex, 500, UB_ERR_INTERNAL,
				   "cannot build the answer");
	else
		http_reply(batch->ex, 200, UB_JSON_CONTENT_TYPE, text,
			   strlen(text));
	ub_json_text_free(text);
	batch_free(batch);
}

static void batch_put(struct triplet_batch *batch)
{
	if (!--batch->left)
		batch_answer(batch);
}

static void answered(void *arg, int status, json_t *body)
{
	struct batch_slot *slot = arg;

	slot->status = status;
	slot->body = body;
	batch_put(slot->batch);
}

void hse_triplets_request(struct http_exchange *ex, void *arg)
{
	struct hse *hse = arg;
	struct triplet_batch *batch;
	struct best_batch_values items;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len, i;

	body = hse_triplet_body(hse, ex, &len);
	if (!body)
		return;
	/* Each item is read where it lies (hse_triplet_start_item()). */
	if (best_batch_load(body, len, TRIPLETS_MEMBER, &items, why,
			    sizeof(why))) {
		hse_triplet_refuse(ex, 400, UB_ERR_BAD_REQUEST, why);
		return;
	}
	batch = calloc(1, sizeof(*batch));
	if (!batch) {
		best_batch_values_free(&items);
		hse_triplet_refuse(ex, 500, UB_ERR_INTERNAL, "out of memory");
		return;
	}
	batch->ex = ex;
	batch->count = items.count;
	batch->left = items.count + 1;
	/* The items' TEID checks read the store once (store_reads_begin()). */
	store_reads_begin(hse->daemon->store);
	for (i = 0; i < items.count; i++) {
		batch->slots[i].batch = batch;
		hse_triplet_start_item(hse, ex, items.items[i], answered,
				       &batch->slots[i]);
	}
	store_reads_end(hse->daemon->store);
	best_batch_values_free(&items);
	batch_put(batch);
}
