// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's key set pull, see hse_pull.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "proto/best/av_msg.h"
#include "proto/best/batch_msg.h"
#include "daemon/daemon.h"
#include "hse_pull.h"
#include "net/https_client.h"
#include "daemon/log.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

struct pull_batch;

/*
 * A pull is queued (call and batch NULL) until the end of the loop's
 * turn, then sent: alone (call) or with the others of the turn (batch).
 */
struct hse_pull {
	struct hse *hse;
	struct https_call *call;
	struct pull_batch *batch;
	size_t slot;			/* in batch->pulls */
	uint32_t teid;
	struct keyset_request req;	/* what the answer must match */
	hse_pull_done done;
	void *arg;
	struct hse_pull *next;
};

/*
 * One POST /e2m/v1/keysets: the pulls it carries, in order; a slot is
 * NULL once its pull has ended early (superseded, cancelled). It lives
 * until its answer, or until its last pull has ended (then the call is
 * cancelled).
 */
struct pull_batch {
	struct hse *hse;
	struct https_call *call;
	size_t count, live;
	struct hse_pull *pulls[BEST_BATCH_MAX];
};

bool hse_pull_running(const struct hse *hse, uint32_t teid)
{
	const struct hse_pull *p;

	for (p = hse->pulls; p; p = p->next)
		if (p->teid == teid)
			return true;
	return false;
}

static void unlink_pull(struct hse *hse, struct hse_pull *pull)
{
	struct hse_pull **at;

	for (at = &hse->pulls; *at; at = &(*at)->next)
		if (*at == pull) {
			*at = pull->next;
			return;
		}
}

/* A key set for another run than the one asked for is no answer. */
static bool answer_matches(const struct keyset_request *req,
			   const struct keyset_response *ks)
{
	if (strcmp(req->imsi, ks->imsi))
		return false;
	if (req->by == KEYSET_BY_RAND)
		return !memcmp(req->rand, ks->rand, sizeof(ks->rand));
	return !memcmp(req->sqn, ks->sqn, sizeof(ks->sqn));
}

static void finish(struct hse_pull *pull, enum hse_pull_result result,
		   const struct keyset_response *ks, const char *detail)
{
	struct hse *hse = pull->hse;

	if (result == HSE_PULL_OK)
		hse->counters.pulls++;
	else
		hse->counters.pulls_failed++;
	pull->done(hse, result, ks, detail, pull->arg);
	free(pull);
}

/* A 200: the key set in body, len (text), else in obj (a batch's result). */
static void answered(struct hse_pull *pull, const char *body, size_t len,
		     const json_t *obj)
{
	struct keyset_response *ks = malloc(sizeof(*ks));
	char why[UB_WHY_MAX];
	int ret;

	if (!ks) {
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "out of memory");
		return;
	}
	ret = obj ? keyset_response_read(obj, ks, why, sizeof(why)) :
		    keyset_response_parse(body, len, ks, why, sizeof(why));
	if (ret)
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "bad answer");
	else if (!answer_matches(&pull->req, ks))
		finish(pull, HSE_PULL_UNAVAILABLE, NULL,
		       "answer for another AKA run");
	else
		finish(pull, HSE_PULL_OK, ks, "");
	keyset_response_wipe(ks);
	free(ks);
}

/* The HSS's error, "404 no-keyset: <detail>", as the triplet's detail. */
static void refused(struct hse_pull *pull, int status, const char *body,
		    size_t body_len)
{
	struct ub_error err = { "", "" };
	char full[sizeof(err) + 32], detail[UB_ERROR_DETAIL_MAX + 1];
	size_t len;

	ub_error_parse(body, body_len, &err, NULL, 0);
	snprintf(full, sizeof(full), "HSS: %d %s%s%s", status,
		 err.error[0] ? err.error : "(no error body)",
		 err.detail[0] ? ": " : "", err.detail);
	/* An error body refuses a longer detail: the end goes. */
	len = strnlen(full, UB_ERROR_DETAIL_MAX);
	memcpy(detail, full, len);
	detail[len] = '\0';
	finish(pull, status == 404 && !strcmp(err.error, BEST_ERR_NO_KEYSET)
		     ? HSE_PULL_NO_KEYSET : HSE_PULL_REFUSED, NULL, detail);
}

static void pulled(const struct https_response *r, void *arg)
{
	struct hse_pull *pull = arg;
	char detail[UB_ERROR_DETAIL_MAX + 1];

	unlink_pull(pull->hse, pull);
	if (r->error) {
		snprintf(detail, sizeof(detail), "HSS: %s", r->why);
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, detail);
	} else if (r->status != 200) {
		refused(pull, r->status, r->body, r->body_len);
	} else {
		answered(pull, r->body, r->body_len, NULL);
	}
}

/* ---- several pulls in one request ---------------------------------------- */

/* pull leaves its batch early; the batch goes with its last pull. */
static void leave_batch(struct hse_pull *pull)
{
	struct pull_batch *batch = pull->batch;

	batch->pulls[pull->slot] = NULL;
	pull->batch = NULL;
	if (!--batch->live) {
		if (batch->call)
			https_call_cancel(batch->call);
		free(batch);
	}
}

/* A result that is not a 200: refused as its text would have been. */
static void result_refused(struct hse_pull *pull, int status,
			   const json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	if (!text)
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "out of memory");
	else
		refused(pull, status, text, strlen(text));
	ub_json_text_free(text);
}

/*
 * The batch's answer: each pull ends as it would have on /e2m/v1/keyset
 * with its result's status and body (read where it lies in the answer,
 * not written out and parsed again); an answer that is not a batch's
 * ends each as that answer would have ended a single pull.
 */
static void batch_pulled(const struct https_response *r, void *arg)
{
	struct pull_batch *batch = arg;
	struct best_result_value res[BEST_BATCH_MAX];
	char detail[UB_ERROR_DETAIL_MAX + 1];
	json_t *root = NULL;
	bool parsed = !r->error && r->status == 200 &&
		      !best_results_load(r->body, r->body_len, batch->count,
					 &root, res, NULL, 0);
	struct hse_pull *pull;
	size_t i;

	/*
	 * The call is over; the batch is held while its pulls end, since a
	 * pull's done may end another of them (a triplet superseding).
	 */
	batch->call = NULL;
	batch->live++;
	if (r->error)
		snprintf(detail, sizeof(detail), "HSS: %s", r->why);
	for (i = 0; i < batch->count; i++) {
		pull = batch->pulls[i];
		if (!pull)
			continue;
		leave_batch(pull);
		unlink_pull(batch->hse, pull);
		if (r->error)
			finish(pull, HSE_PULL_UNAVAILABLE, NULL, detail);
		else if (r->status != 200)
			refused(pull, r->status, r->body, r->body_len);
		else if (!parsed)
			finish(pull, HSE_PULL_UNAVAILABLE, NULL, "bad answer");
		else if (res[i].status != 200)
			result_refused(pull, res[i].status, res[i].body);
		else
			answered(pull, NULL, 0, res[i].body);
	}
	json_decref(root);	/* the key sets' text wiped (ub_json.h) */
	if (!--batch->live)
		free(batch);
}

/* The text of pull's request; 0 or -ENOMEM. */
static int request_text(const struct hse_pull *pull, char **text)
{
	return keyset_request_build(&pull->req, text, NULL, 0) ? -ENOMEM : 0;
}

static int send_one(struct hse_pull *pull)
{
	char *text = NULL;

	if (request_text(pull, &text))
		return -ENOMEM;
	pull->call = https_post(pull->hse->hss, BEST_PATH_KEYSET,
				UB_JSON_CONTENT_TYPE, text, strlen(text),
				pulled, pull);
	ub_json_text_free(text);
	return pull->call ? 0 : -ENOMEM;
}

/* pulls[0..n-1] (2..BEST_BATCH_MAX) in one batch. */
static int send_batch(struct hse *hse, struct hse_pull **pulls, size_t n)
{
	struct pull_batch *batch = calloc(1, sizeof(*batch));
	json_t *items[BEST_BATCH_MAX] = { NULL };
	char *text = NULL;
	size_t i;
	int ret = batch ? 0 : -ENOMEM;

	/* The requests as objects, written out once, with the batch. */
	for (i = 0; i < n && !ret; i++)
		ret = keyset_request_object(&pulls[i]->req, &items[i], NULL, 0) ?
		      -ENOMEM : 0;
	if (!ret && best_batch_build_values(KEYSETS_MEMBER, items, n, &text,
					    NULL, 0))
		ret = -ENOMEM;
	if (!ret) {
		batch->call = https_post(hse->hss, BEST_PATH_KEYSETS,
					 UB_JSON_CONTENT_TYPE, text,
					 strlen(text), batch_pulled, batch);
		ret = batch->call ? 0 : -ENOMEM;
	}
	for (i = 0; i < n; i++)
		json_decref(items[i]);
	ub_json_text_free(text);
	if (ret) {
		free(batch);
		return ret;
	}
	hse->counters.pull_batches++;
	batch->hse = hse;
	batch->count = batch->live = n;
	for (i = 0; i < n; i++) {
		batch->pulls[i] = pulls[i];
		pulls[i]->batch = batch;
		pulls[i]->slot = i;
	}
	return 0;
}

/*
 * The end of the loop's turn: the pulls queued in it go out, up to
 * BEST_BATCH_MAX a request (one alone goes to /e2m/v1/keyset, as
 * before). A request that cannot be made ends its pulls, unavailable.
 */
static void send_queued(evutil_socket_t fd, short what, void *arg)
{
	struct hse *hse = arg;
	struct hse_pull *queued[BEST_BATCH_MAX], *p;
	size_t n, i;
	int ret;

	(void)fd;
	(void)what;
	do {
		n = 0;
		for (p = hse->pulls; p && n < BEST_BATCH_MAX; p = p->next)
			if (!p->call && !p->batch)
				queued[n++] = p;
		if (!n)
			break;
		ret = n == 1 ? send_one(queued[0]) :
			       send_batch(hse, queued, n);
		for (i = 0; ret && i < n; i++) {
			unlink_pull(hse, queued[i]);
			finish(queued[i], HSE_PULL_UNAVAILABLE, NULL,
			       "cannot start the pull");
		}
	} while (n == BEST_BATCH_MAX);
}

/* Sends the queue at the end of this turn of the loop. */
static int queue_pull(struct hse *hse)
{
	static const struct timeval now = { 0, 0 };

	if (!hse->pull_send) {
		hse->pull_send = event_new(hse->daemon->base, -1, 0,
					   send_queued, hse);
		if (!hse->pull_send)
			return -ENOMEM;
	}
	if (!event_pending(hse->pull_send, EV_TIMEOUT, NULL) &&
	    event_add(hse->pull_send, &now))
		return -ENOMEM;
	return 0;
}

int hse_pull_start(struct hse *hse, uint32_t teid,
		   const struct keyset_request *req, hse_pull_done done,
		   void *arg)
{
	struct hse_pull *pull;

	if (hse_pull_running(hse, teid))
		return -EBUSY;
	pull = calloc(1, sizeof(*pull));
	if (!pull || queue_pull(hse)) {
		free(pull);
		return -ENOMEM;
	}
	pull->hse = hse;
	pull->teid = teid;
	pull->req = *req;
	pull->done = done;
	pull->arg = arg;
	pull->next = hse->pulls;
	hse->pulls = pull;
	return 0;
}

/* Ends a pull before its answer: its request is cancelled or left. */
static void stop_pull(struct hse_pull *pull)
{
	if (pull->batch)
		leave_batch(pull);
	else if (pull->call)
		https_call_cancel(pull->call);
}

bool hse_pull_supersede(struct hse *hse, uint32_t teid)
{
	struct hse_pull *pull;

	for (pull = hse->pulls; pull; pull = pull->next)
		if (pull->teid == teid)
			break;
	if (!pull)
		return false;
	unlink_pull(hse, pull);
	stop_pull(pull);
	finish(pull, HSE_PULL_UNAVAILABLE, NULL, "superseded by a triplet");
	return true;
}

void hse_pull_cancel_all(struct hse *hse)
{
	struct hse_pull *pull;

	while ((pull = hse->pulls)) {
		hse->pulls = pull->next;
		stop_pull(pull);
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "the HSE is stopping");
	}
	if (hse->pull_send)
		event_free(hse->pull_send);
	hse->pull_send = NULL;
}
