/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The batched messages of BEST (Documentation/best.md, "Batches"): several
 * key set pulls or triplets in one request, one result per item in one
 * answer, so a burst costs one TLS record, one HTTP exchange and one
 * loopback round trip in place of one per item.
 *
 *	request	{"<member>": [ item, ... ]}	1..BEST_BATCH_MAX of them
 *	200	{"results": [ result, ... ]}	one per item, in order
 *
 * An item is the body the single endpoint takes; a result is the body the
 * single endpoint would have answered, with its status added as "status":
 * {"status": 200, ...the 200's members} or {"status": 404, "error":
 * token, "detail": ...}. Only the envelope is this module's: a request
 * that is not one object with member an array of 1..BEST_BATCH_MAX
 * elements is refused as a whole (400 bad-request); an element that is
 * not a good item (not an object, a member wrong) is that item's 400.
 * The JSON rules are ub_json.h's: one object of at most UB_JSON_MAX
 * octets, no member twice. BEST_BATCH_MAX keeps both bodies under that
 * bound: 32 results of at most ~330 octets (an error with the longest
 * detail) is ~10.5 KiB.
 *
 * Item and result texts are handed out as the caller's to free with
 * ub_json_text_free() (a key set's result holds keys: it is wiped).
 */
#ifndef E2M_BEST_BATCH_MSG_H
#define E2M_BEST_BATCH_MSG_H

#include <stddef.h>

#include <jansson.h>

#define BEST_BATCH_MAX		32	/* items in one request */
#define BEST_BATCH_RESULTS	"results"

/*
 * Splits text, a batch whose items are in member, into batch (zeroed
 * first), for a role that reads each item with its message's _read()
 * (triplet_request_read(), keyset_request_read()): items[i] are the
 * elements themselves, borrowed from root, which best_batch_values_free()
 * lets go. 0, -EINVAL (with why: the envelope is bad) or -ENOMEM; on
 * error batch holds nothing. An item that is not an object is read from
 * its text (best_batch_item_text()), so that it is refused with the
 * single endpoint's words.
 */
struct best_batch_values {
	json_t *root;
	size_t count;
	json_t *items[BEST_BATCH_MAX];
};

int best_batch_load(const char *text, size_t len, const char *member,
		    struct best_batch_values *batch, char *why,
		    size_t why_size);
void best_batch_values_free(struct best_batch_values *batch);

/* The compact text of an item (ub_json_text_free()); or NULL. */
char *best_batch_item_text(const json_t *item);

/* The batch of n (1..BEST_BATCH_MAX) item texts, each one JSON object. */
int best_batch_build(const char *member, char *const *items, size_t n,
		     char **text, char *why, size_t why_size);

/* The same from n objects (the caller's still: they are not taken). */
int best_batch_build_values(const char *member, json_t *const *items,
			    size_t n, char **text, char *why,
			    size_t why_size);

/* The answer, built result by result. */
struct best_results {
	json_t *array;
	int error;		/* the first error, sticky */
};

int best_results_init(struct best_results *r);

/*
 * Appends the result of one item: body (a JSON object, the single
 * endpoint's answer, taken) with "status" added. An error (body NULL or
 * not an object, out of memory) is kept for finish.
 */
void best_results_add_value(struct best_results *r, int status, json_t *body);

/* The answer's text into *text; 0, or the first error (text NULL). */
int best_results_finish(struct best_results *r, char **text);

/* One result read back: status, and the body without "status". */
struct best_result {
	int status;
	char *body;		/* ub_json_text_free() */
};

/*
 * Reads an answer that must have exactly n results, each an object with
 * an integer "status" 100..599, into results[0..n-1]. 0, -EINVAL (with
 * why) or -ENOMEM; on error nothing is left to free.
 */
int best_results_parse(const char *text, size_t len, size_t n,
		       struct best_result *results, char *why,
		       size_t why_size);

void best_results_free(struct best_result *results, size_t n);

/*
 * The same without the texts: each body is the result's object itself
 * (its "status" removed), borrowed from *root, for the caller to read
 * with its message's _read() (keyset_response_read()) and then let go
 * with json_decref(*root). On error *root is NULL.
 */
struct best_result_value {
	int status;
	json_t *body;
};

int best_results_load(const char *text, size_t len, size_t n, json_t **root,
		      struct best_result_value *results, char *why,
		      size_t why_size);

#endif /* E2M_BEST_BATCH_MSG_H */
