// SPDX-License-Identifier: GPL-2.0
/*
 * proto/best/batch_msg.c: the envelope of BEST's batches, built byte for
 * byte, split back into its items, its results read back, and every
 * refusal, each leaving nothing behind.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "proto/best/batch_msg.h"
#include "tap.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

/* Whether item i of batch is, as text, want. */
static bool item_is(const struct best_batch_values *batch, size_t i,
		    const char *want)
{
	char *text = best_batch_item_text(batch->items[i]);
	bool same = text && !strcmp(text, want);

	ub_json_text_free(text);
	return same;
}

static void batch_round_trip(void)
{
	char *items[] = { "{\"a\":1}", "{\"b\":\"x\",\"c\":[1,2]}" };
	struct best_batch_values batch;
	char why[UB_WHY_MAX], *text = NULL;

	ok(best_batch_build("pulls", items, 2, &text, why, sizeof(why)) == 0 &&
	   text && !strcmp(text, "{\"pulls\":[{\"a\":1},"
			   "{\"b\":\"x\",\"c\":[1,2]}]}"),
	   "a batch of two built: %s", text ? text : "(null)");
	ok(text && best_batch_load(text, strlen(text), "pulls", &batch, why,
				   sizeof(why)) == 0 &&
	   batch.count == 2 && item_is(&batch, 0, items[0]) &&
	   item_is(&batch, 1, items[1]),
	   "and split back into the same two items");
	best_batch_values_free(&batch);
	ok(batch.count == 0 && !batch.root && !batch.items[0],
	   "best_batch_values_free() empties it");
	ub_json_text_free(text);
	ok(best_batch_load("{\"triplets\":[42,\"s\",[1]],\"x\":0}", 31,
			   "triplets", &batch, why, sizeof(why)) == 0 &&
	   batch.count == 3 && item_is(&batch, 0, "42") &&
	   item_is(&batch, 1, "\"s\"") && item_is(&batch, 2, "[1]"),
	   "elements that are not objects are items still (each its own 400)");
	best_batch_values_free(&batch);
}

static void batch_build_rejects(void)
{
	char *items[BEST_BATCH_MAX + 1];
	char *bad[] = { "{\"a\":1}", "[1]" };
	char why[UB_WHY_MAX], *text;
	size_t i;

	for (i = 0; i <= BEST_BATCH_MAX; i++)
		items[i] = "{}";
	text = why;
	ok(best_batch_build("pulls", items, 0, &text, why, sizeof(why)) ==
	   -EINVAL && !text && !strcmp(why, "0 items, not 1..32"),
	   "no item: not built (%s)", why);
	ok(best_batch_build("pulls", items, BEST_BATCH_MAX + 1, &text, why,
			    sizeof(why)) == -EINVAL && !text,
	   "33 items: not built");
	ok(best_batch_build("pulls", items, BEST_BATCH_MAX, &text, why,
			    sizeof(why)) == 0 && text &&
	   strlen(text) == 11 + 32 * 3,
	   "32 items: built");
	ub_json_text_free(text);
	ok(best_batch_build("pulls", bad, 2, &text, why, sizeof(why)) ==
	   -EINVAL && !text && !strcmp(why, "item 1 is not one object"),
	   "an item that is not an object: not built (%s)", why);
}

struct reject {
	const char *body;
	const char *why;
};

static void batch_parse_rejects(void)
{
	static char many[64 + 33 * 3];
	const struct reject r[] = {
		{ "not json", "not JSON: line 1:" },
		{ "[{}]", "body is not a JSON object" },
		{ "{}", "\"pulls\" missing" },
		{ "{\"pulls\":{}}", "\"pulls\" is not an array" },
		{ "{\"pulls\":[]}", "\"pulls\" is empty" },
		{ "{\"pulls\":[{}],\"pulls\":[{}]}", "not JSON: line 1: duplicate" },
		{ many, "\"pulls\" has more than 32 items" },
	};
	struct best_batch_values batch;
	char why[UB_WHY_MAX];
	size_t i, n;

	n = (size_t)snprintf(many, sizeof(many), "{\"pulls\":[{}");
	for (i = 1; i < 33; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, ",{}");
	snprintf(many + n, sizeof(many) - n, "]}");
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		memset(&batch, 0x5a, sizeof(batch));
		why[0] = '\0';
		ok(best_batch_load(r[i].body, strlen(r[i].body), "pulls",
				   &batch, why, sizeof(why)) == -EINVAL &&
		   !strncmp(why, r[i].why, strlen(r[i].why)) &&
		   batch.count == 0 && !batch.root && !batch.items[0],
		   "batch refused: %s (%s)", r[i].why, why);
	}
}

static void results_round_trip(void)
{
	const char *ks = "{\"imsi\":\"001010000000001\",\"k-enc\":\"00\"}";
	const char *err = "{\"error\":\"no-keyset\",\"detail\":\"none\"}";
	struct best_results results;
	struct best_result back[3];
	char why[UB_WHY_MAX], *text = NULL;

	ok(best_results_init(&results) == 0, "results begun");
	best_results_add_value(&results, 200, json_loads(ks, 0, NULL));
	best_results_add_value(&results, 404, json_loads(err, 0, NULL));
	best_results_add_value(&results, 400,
			       json_loads("{\"error\":\"bad-request\"}", 0,
					  NULL));
	ok(best_results_finish(&results, &text) == 0 && text &&
	   !strcmp(text, "{\"results\":["
		   "{\"imsi\":\"001010000000001\",\"k-enc\":\"00\",\"status\":200},"
		   "{\"error\":\"no-keyset\",\"detail\":\"none\",\"status\":404},"
		   "{\"error\":\"bad-request\",\"status\":400}]}"),
	   "three results, each with its status, in order: %s",
	   text ? text : "(null)");
	ok(text && best_results_parse(text, strlen(text), 3, back, why,
				      sizeof(why)) == 0 &&
	   back[0].status == 200 && !strcmp(back[0].body, ks) &&
	   back[1].status == 404 && !strcmp(back[1].body, err) &&
	   back[2].status == 400 &&
	   !strcmp(back[2].body, "{\"error\":\"bad-request\"}"),
	   "read back: the statuses and the bodies without \"status\"");
	best_results_free(back, 3);
	ok(!back[0].body && !back[2].body, "best_results_free() clears them");
	ok(text && best_results_parse(text, strlen(text), 2, back, why,
				      sizeof(why)) == -EINVAL &&
	   !strcmp(why, "not 2 results") && !back[0].body,
	   "read as two: refused (%s)", why);
	ub_json_text_free(text);

	best_results_init(&results);
	best_results_add_value(&results, 200, json_loads("[1]", 0, NULL));
	text = why;
	ok(best_results_finish(&results, &text) == -ENOMEM && !text,
	   "a result that is not an object: no answer");
}

static void results_parse_rejects(void)
{
	const struct reject r[] = {
		{ "{\"results\":[{\"status\":200},{\"error\":\"x\"}]}",
		  "result 1 has no good \"status\"" },
		{ "{\"results\":[{\"status\":200},{\"status\":99}]}",
		  "result 1 has no good \"status\"" },
		{ "{\"results\":[{\"status\":\"200\"},{\"status\":200}]}",
		  "result 0 has no good \"status\"" },
		{ "{\"results\":[{\"status\":200},7]}",
		  "result 1 has no good \"status\"" },
		{ "{\"results\":{}}", "not 2 results" },
		{ "{\"result\":[]}", "not 2 results" },
	};
	struct best_result back[2];
	char why[UB_WHY_MAX];
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		why[0] = '\0';
		ok(best_results_parse(r[i].body, strlen(r[i].body), 2, back,
				      why, sizeof(why)) == -EINVAL &&
		   !strcmp(why, r[i].why) && !back[0].body && !back[1].body,
		   "results refused: %s (%s)", r[i].why, why);
	}
}

int main(void)
{
	plan(4 + 4 + 7 + 6 + 6);
	batch_round_trip();
	batch_build_rejects();
	batch_parse_rejects();
	results_round_trip();
	results_parse_rejects();
	return done_testing();
}
