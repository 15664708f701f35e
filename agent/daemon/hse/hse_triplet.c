// SPDX-License-Identifier: GPL-2.0
/*
 * POST /e2m/v1/triplet, see hse_triplet.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "aka/sqn.h"
#include "proto/best/batch_msg.h"
#include "proto/best/triplet_msg.h"
#include "net/json_error.h"
#include "daemon/daemon.h"
#include "hse_commit.h"
#include "hse_install.h"
#include "hse_pull.h"
#include "hse_triplet.h"
#include "daemon/log.h"
#include "daemon/peer_list.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

/* A triplet waiting for its key set, then for its row's commit. */
struct triplet_call {
	struct hse *hse;
	struct http_exchange *ex;
	struct triplet_request req;
	struct hse_installed done;	/* what the install did */
	hse_triplet_answer_fn answer;	/* NULL: reply on ex itself */
	void *answer_arg;
	bool teid_held;			/* hse_teid_take() said yes */
};

/* t is done: its TEID's lock, if it held it, goes back; t is freed. */
static void call_end(struct triplet_call *t)
{
	if (t->teid_held)
		hse_teid_give(t->hse, t->req.teid_hse);
	free(t);
}

static const char *peer_name(struct http_exchange *ex)
{
	const struct tls_peer *peer = http_exchange_peer(ex);

	return peer ? tls_peer_name(peer) : "-";
}

/* Logs event=triplet with the outcome of a refused triplet. */
static void log_refusal(struct http_exchange *ex, int status,
			const char *token, const char *detail,
			const struct triplet_request *req)
{
	struct log_line line;

	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, HSE_ROLE, "triplet")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (req) {
			log_str(&line, "imsi", req->imsi);
			log_u64(&line, "teid", req->teid_hse);
		}
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", peer_name(ex));
		log_str(&line, "remote", http_exchange_remote(ex));
		log_end(&line);
	}
}

/* Logs the refusal of a request, then answers with the error. */
static void refuse(struct http_exchange *ex, int status, const char *token,
		   const char *detail, const struct triplet_request *req)
{
	log_refusal(ex, status, token, detail, req);
	json_error_reply(ex, status, token, detail);
}

void hse_triplet_refuse(struct http_exchange *ex, int status,
			const char *token, const char *detail)
{
	refuse(ex, status, token, detail, NULL);
}

/* Logs the refusal of t (req: its triplet, NULL if unread), answers it. */
static void refuse_call(struct triplet_call *t, int status, const char *token,
			const char *detail, const struct triplet_request *req)
{
	json_t *body;

	if (!t->answer) {
		refuse(t->ex, status, token, detail, req);
		return;
	}
	log_refusal(t->ex, status, token, detail, req);
	ub_error_object(token, detail, &body);
	t->answer(t->answer_arg, status, body);
}

static void log_installed(const struct store_hse_flow *row,
			  const struct hse_installed *done, const char *peer)
{
	static const char *const events[] = {
		[HSE_INSTALL_CREATED] = "flow-created",
		[HSE_INSTALL_REKEYED] = "rekeyed",
		[HSE_INSTALL_REBOUND] = "key-rebound",
	};
	struct log_line line;

	/* A triplet repeated: its event=triplet line says it all. */
	if (done->kind == HSE_INSTALL_ALREADY ||
	    !log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, events[done->kind]))
		return;
	log_str(&line, "imsi", row->imsi);
	log_u64(&line, "teid", row->teid);
	log_int(&line, "key-id", row->ksi);
	log_u64(&line, "serial", (uint64_t)done->serial);
	log_str(&line, "peer", peer);
	log_end(&line);
}

/* The row of the triplet, with the run as the HSS named it. */
static void row_of(const struct triplet_call *t,
		   const struct keyset_response *ks, const char *device,
		   struct store_hse_flow *row)
{
	const struct triplet_request *req = &t->req;

	memset(row, 0, sizeof(*row));
	row->teid = req->teid_hse;
	row->ue_teid = req->teid_ue;
	snprintf(row->imsi, sizeof(row->imsi), "%s", req->imsi);
	memcpy(row->rand, ks->rand, sizeof(row->rand));
	memcpy(row->sqn, ks->sqn, sizeof(row->sqn));
	row->ksi = req->ksi;
	snprintf(row->ue_address, sizeof(row->ue_address), "%s",
		 req->ue.address);
	row->ue_port = req->ue.port;
	snprintf(row->inner_ipv4, sizeof(row->inner_ipv4), "%s",
		 req->ue.inner_ipv4);
	snprintf(row->inner_ipv6, sizeof(row->inner_ipv6), "%s",
		 req->ue.inner_ipv6);
	snprintf(row->device, sizeof(row->device), "%s", device);
	row->created = (int64_t)time(NULL);
	snprintf(row->owner, sizeof(row->owner), "%s", t->hse->conf->instance);
}

static void log_answered(struct http_exchange *ex,
			 const struct store_hse_flow *row)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "triplet"))
		return;
	log_int(&line, "status", 200);
	log_str(&line, "imsi", row->imsi);
	log_u64(&line, "teid", row->teid);
	log_int(&line, "key-id", row->ksi);
	log_str(&line, "peer", peer_name(ex));
	log_end(&line);
}

static void send_answer(struct triplet_call *t,
			const struct store_hse_flow *row)
{
	struct triplet_response resp;
	json_t *body = NULL;
	char *text = NULL;
	int ret;

	memset(&resp, 0, sizeof(resp));
	snprintf(resp.imsi, sizeof(resp.imsi), "%s", row->imsi);
	resp.teid = row->teid;
	resp.key_id = row->ksi;
	ret = triplet_key_description(resp.key_description, row->imsi,
				      row->ksi, row->teid);
	/* A batch's answer is written out once, with the others'. */
	if (!ret)
		ret = t->answer ? triplet_response_object(&resp, &body, NULL, 0) :
				  triplet_response_build(&resp, &text, NULL, 0);
	if (ret) {
		refuse_call(t, 500, UB_ERR_INTERNAL, "cannot build the answer",
			    &t->req);
		return;
	}
	t->hse->counters.triplets++;
	log_answered(t->ex, row);
	if (t->answer)
		t->answer(t->answer_arg, 200, body);
	else
		http_reply(t->ex, 200, UB_JSON_CONTENT_TYPE, text,
			   strlen(text));
	ub_json_text_free(text);
}

/*
 * The committed row of the TEID into *old: 0, -ENOENT (none), -EEXIST
 * (another IMSI's: the P-GW gave the TEID twice) or a store error. A row
 * of the TEID waiting in the group commit is committed first, so the
 * store is the truth here and the install that follows acts on a
 * committed flow.
 */
static int teid_row(struct hse *hse, const struct triplet_request *req,
		    struct store_hse_flow *old)
{
	int ret;

	if (hse_commit_pending(hse, req->teid_hse))
		hse_commit_flush(hse);
	ret = store_hse_flow_get(hse->daemon->store, hse->conf->instance,
				 req->teid_hse, old);
	if (!ret && strcmp(old->imsi, req->imsi))
		return -EEXIST;
	return ret;
}

static bool teid_taken(struct hse *hse, const struct triplet_request *req)
{
	struct store_hse_flow old;

	return teid_row(hse, req, &old) == -EEXIST;
}

/*
 * Whether ks is of the flow's own run (old, when there is a row), of a
 * newer one, or of an older one: the AuC's SQNs only grow, so a key set
 * whose SQN is not above the flow's is a run the flow has left, and
 * binding it again would send its COUNTs again (a replayed triplet).
 */
static int run_of(const struct store_hse_flow *old,
		  const struct keyset_response *ks, enum hse_install_mode *mode,
		  char *why, size_t why_size)
{
	*mode = old ? HSE_INSTALL_NEW_RUN : HSE_INSTALL_NO_ROW;
	if (!old)
		return 0;
	if (!CRYPTO_memcmp(old->rand, ks->rand, sizeof(old->rand))) {
		*mode = HSE_INSTALL_SAME_RUN;
		return 0;
	}
	if (sqn_value(ks->sqn) > sqn_value(old->sqn))
		return 0;
	snprintf(why, why_size, "the flow has a newer AKA run (SQN %llu) "
		 "than this key set (SQN %llu)",
		 (unsigned long long)sqn_value(old->sqn),
		 (unsigned long long)sqn_value(ks->sqn));
	return -ESTALE;
}

/* The row is in the store (ret 0) or not: the answer, at last. */
static void committed(struct hse *hse, int ret,
		      const struct store_hse_flow *row, void *arg)
{
	struct triplet_call *t = arg;

	if (ret) {
		hse_install_undo(hse, row, &t->done);
		refuse_call(t, 500, UB_ERR_INTERNAL, store_strerror(ret),
			    &t->req);
	} else {
		if (t->done.kind == HSE_INSTALL_CREATED)
			hse->counters.installs++;
		else if (t->done.kind != HSE_INSTALL_ALREADY)
			hse->counters.rekeys++;
		log_installed(row, &t->done, peer_name(t->ex));
		send_answer(t, row);
	}
	call_end(t);
}

/* An install refused or failed: the answer says which; t is freed. */
static void refuse_install(struct triplet_call *t, int err, const char *why)
{
	if (err == -ESTALE || err == -EKEYEXPIRED)
		refuse_call(t, 409, TRIPLET_ERR_STALE_RUN, why, &t->req);
	else if (err == -EBUSY)
		refuse_call(t, 409, TRIPLET_ERR_KSI_IN_USE, why, &t->req);
	else
		refuse_call(t, 500, TRIPLET_ERR_KERNEL, why, &t->req);
	call_end(t);
}

/* Into the kernel, then the row into the group commit; t is taken. */
static void install(struct triplet_call *t, const struct keyset_response *ks)
{
	struct hse *hse = t->hse;
	struct store_hse_flow row, old;
	enum hse_install_mode mode;
	char why[UB_ERROR_DETAIL_MAX + 1];
	int ret;

	/* The TEID's from here to the answer (hse_teid_lock.h). */
	ret = hse_teid_take(hse, t->req.teid_hse);
	if (ret) {
		refuse_call(t, 503, TRIPLET_ERR_TEID_BUSY,
			    hse_teid_strerror(ret), &t->req);
		call_end(t);
		return;
	}
	t->teid_held = true;
	/* Checked again: another triplet may have come during the pull. */
	ret = teid_row(hse, &t->req, &old);
	if (ret && ret != -ENOENT) {
		if (ret == -EEXIST)
			refuse_call(t, 409, TRIPLET_ERR_TEID_IN_USE,
				    "another IMSI has that TEID", &t->req);
		else
			refuse_call(t, 500, UB_ERR_INTERNAL,
				    store_strerror(ret), &t->req);
		call_end(t);
		return;
	}
	ret = run_of(ret ? NULL : &old, ks, &mode, why, sizeof(why));
	row_of(t, ks, hse->conf->device, &row);
	if (!ret)
		ret = hse_install(hse, &row, ks, mode, &t->done, why,
				  sizeof(why));
	if (ret) {
		refuse_install(t, ret, why);
		return;
	}
	hse_commit_put(hse, &row, committed, t);
}

static void log_pulled(const struct keyset_response *ks, uint32_t teid,
		       const char *why)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "keyset-pulled"))
		return;
	log_str(&line, "imsi", ks->imsi);
	log_u64(&line, "teid", teid);
	log_str(&line, "for", why);
	log_end(&line);
}

static void pulled(struct hse *hse, enum hse_pull_result result,
		   const struct keyset_response *ks, const char *detail,
		   void *arg)
{
	struct triplet_call *t = arg;

	(void)hse;
	if (result == HSE_PULL_OK) {
		log_pulled(ks, t->req.teid_hse, "triplet");
		install(t, ks);
		return;
	}
	if (result == HSE_PULL_UNAVAILABLE) {
		refuse_call(t, 503, TRIPLET_ERR_HSS_UNAVAILABLE, detail,
			    &t->req);
	} else {
		refuse_call(t, 502, TRIPLET_ERR_KEYSET_UNAVAILABLE, detail,
			    &t->req);
	}
	call_end(t);
}

static void start_pull(struct hse *hse, struct triplet_call *t)
{
	struct keyset_request kreq;
	int ret;

	memset(&kreq, 0, sizeof(kreq));
	snprintf(kreq.imsi, sizeof(kreq.imsi), "%s", t->req.imsi);
	kreq.by = t->req.by_sqn ? KEYSET_BY_SQN : KEYSET_BY_RAND;
	memcpy(kreq.rand, t->req.rand, sizeof(kreq.rand));
	memcpy(kreq.sqn, t->req.sqn, sizeof(kreq.sqn));
	hse_pull_supersede(hse, t->req.teid_hse);
	ret = hse_pull_start(hse, t->req.teid_hse, &kreq, pulled, t);
	if (ret) {
		refuse_call(t, 503, TRIPLET_ERR_HSS_UNAVAILABLE,
			    ret == -EBUSY ?
			    "a pull for that TEID is in flight" :
			    "cannot start the pull", &t->req);
		call_end(t);
	}
}

/* The body of a request from a listed client; else answered, NULL. */
const char *hse_triplet_body(struct hse *hse, struct http_exchange *ex,
			     size_t *len)
{
	const char *body;

	if (!peer_listed(&hse->conf->clients, http_exchange_peer(ex))) {
		refuse(ex, 403, TRIPLET_ERR_FORBIDDEN,
		       "client not in hse.clients", NULL);
		return NULL;
	}
	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(ex, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return NULL;
	}
	body = http_exchange_body(ex, len);
	if (!body)
		refuse(ex, 500, UB_ERR_INTERNAL, "out of memory", NULL);
	return body;
}

/* A call for one triplet; NULL when there is no memory (then refused). */
static struct triplet_call *call_new(struct hse *hse, struct http_exchange *ex,
				     hse_triplet_answer_fn answer, void *arg)
{
	struct triplet_call *t = calloc(1, sizeof(*t));	/* call_end() frees */
	struct triplet_call on_stack = {
		.hse = hse, .ex = ex, .answer = answer, .answer_arg = arg,
	};

	if (!t) {
		refuse_call(&on_stack, 500, UB_ERR_INTERNAL, "out of memory",
			    NULL);
		return NULL;
	}
	*t = on_stack;
	return t;
}

/* t's request read (ret 0) or not (why): on to the pull, or refused. */
static void call_start(struct hse *hse, struct triplet_call *t, int ret,
		       const char *why)
{
	if (ret) {
		refuse_call(t, 400, UB_ERR_BAD_REQUEST, why, NULL);
		call_end(t);
		return;
	}
	if (teid_taken(hse, &t->req)) {
		refuse_call(t, 409, TRIPLET_ERR_TEID_IN_USE,
			    "another IMSI has that TEID", &t->req);
		call_end(t);
		return;
	}
	start_pull(hse, t);
}

void hse_triplet_start(struct hse *hse, struct http_exchange *ex,
		       const char *text, size_t len,
		       hse_triplet_answer_fn answer, void *arg)
{
	struct triplet_call *t = call_new(hse, ex, answer, arg);
	char why[UB_ERROR_DETAIL_MAX + 1];
	int ret;

	if (!t)
		return;
	ret = triplet_request_parse(text, len, &t->req, why, sizeof(why));
	call_start(hse, t, ret, why);
}

void hse_triplet_start_item(struct hse *hse, struct http_exchange *ex,
			    const json_t *item, hse_triplet_answer_fn answer,
			    void *arg)
{
	char why[UB_ERROR_DETAIL_MAX + 1], *text;
	struct triplet_call *t;
	int ret;

	if (!json_is_object(item)) {
		text = best_batch_item_text(item);
		if (text)
			hse_triplet_start(hse, ex, text, strlen(text), answer,
					  arg);
		else if ((t = call_new(hse, ex, answer, arg)))
			call_start(hse, t, -ENOMEM, "out of memory");
		ub_json_text_free(text);
		return;
	}
	t = call_new(hse, ex, answer, arg);
	if (!t)
		return;
	ret = triplet_request_read(item, &t->req, why, sizeof(why));
	call_start(hse, t, ret, why);
}

void hse_triplet_request(struct http_exchange *ex, void *arg)
{
	struct hse *hse = arg;
	const char *body;
	size_t len;

	body = hse_triplet_body(hse, ex, &len);
	if (body)
		hse_triplet_start(hse, ex, body, len, NULL, NULL);
}
