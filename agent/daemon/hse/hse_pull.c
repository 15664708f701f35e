// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's key set pull, see hse_pull.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proto/best/av_msg.h"
#include "hse_pull.h"
#include "net/https_client.h"
#include "daemon/log.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

struct hse_pull {
	struct hse *hse;
	struct https_call *call;
	uint32_t teid;
	struct keyset_request req;	/* what the answer must match */
	hse_pull_done done;
	void *arg;
	struct hse_pull *next;
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

static void answered(struct hse_pull *pull, const struct https_response *r)
{
	struct keyset_response *ks = malloc(sizeof(*ks));
	char why[UB_WHY_MAX];

	if (!ks) {
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "out of memory");
		return;
	}
	if (keyset_response_parse(r->body, r->body_len, ks, why, sizeof(why)))
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
static void refused(struct hse_pull *pull, const struct https_response *r)
{
	struct ub_error err = { "", "" };
	char full[sizeof(err) + 32], detail[UB_ERROR_DETAIL_MAX + 1];
	size_t len;

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	snprintf(full, sizeof(full), "HSS: %d %s%s%s", r->status,
		 err.error[0] ? err.error : "(no error body)",
		 err.detail[0] ? ": " : "", err.detail);
	/* An error body refuses a longer detail: the end goes. */
	len = strnlen(full, UB_ERROR_DETAIL_MAX);
	memcpy(detail, full, len);
	detail[len] = '\0';
	finish(pull, r->status == 404 && !strcmp(err.error, BEST_ERR_NO_KEYSET)
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
		refused(pull, r);
	} else {
		answered(pull, r);
	}
}

int hse_pull_start(struct hse *hse, uint32_t teid,
		   const struct keyset_request *req, hse_pull_done done,
		   void *arg)
{
	struct hse_pull *pull;
	char *text = NULL;

	if (hse_pull_running(hse, teid))
		return -EBUSY;
	pull = calloc(1, sizeof(*pull));
	if (!pull || keyset_request_build(req, &text, NULL, 0)) {
		free(pull);
		return -ENOMEM;
	}
	pull->hse = hse;
	pull->teid = teid;
	pull->req = *req;
	pull->done = done;
	pull->arg = arg;
	pull->call = https_post(hse->hss, BEST_PATH_KEYSET,
				UB_JSON_CONTENT_TYPE, text, strlen(text),
				pulled, pull);
	ub_json_text_free(text);
	if (!pull->call) {
		free(pull);
		return -ENOMEM;
	}
	pull->next = hse->pulls;
	hse->pulls = pull;
	return 0;
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
	https_call_cancel(pull->call);
	finish(pull, HSE_PULL_UNAVAILABLE, NULL, "superseded by a triplet");
	return true;
}

void hse_pull_cancel_all(struct hse *hse)
{
	struct hse_pull *pull;

	while ((pull = hse->pulls)) {
		hse->pulls = pull->next;
		https_call_cancel(pull->call);
		finish(pull, HSE_PULL_UNAVAILABLE, NULL, "the HSE is stopping");
	}
}
