// SPDX-License-Identifier: GPL-2.0
/*
 * A device's Ks_local request: the checks, the Zn pull, the derivation
 * and the stored key, see nafkc_request.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "daemon/log.h"
#include "nafkc_request.h"
#include "nafkc_zn_cache.h"
#include "net/json_error.h"
#include "proto/gba/zn_msg.h"
#include "store/store_group.h"

#define ROLE	"nafkc"

struct nafkc_call {
	struct nafkc *nafkc;
	struct nafkc_origin *origin;
	struct https_call *call;
	struct nafkc_call *prev, *next;
	struct ks_local_request req;
};

/* The error body of a refusal, or none when it cannot be made. */
static void answer_error(struct nafkc_origin *origin, int status,
			 const char *token, const char *detail)
{
	char *text = NULL;

	if (ub_error_build(token, detail, &text)) {
		origin->answer(origin, status, NULL, 0);
		return;
	}
	origin->answer(origin, status, text, strlen(text));
	ub_json_text_free(text);
}

/* Every refusal: counted, logged, answered, and the session closed. */
static void refuse(struct nafkc *nafkc, struct nafkc_origin *origin,
		   int status, const char *token, const char *detail,
		   const struct ks_local_request *req)
{
	struct log_line line;

	nafkc->counters.refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "ks-local-refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (req) {
			log_str(&line, "btid", req->btid);
			log_str(&line, "device", req->device_id);
			log_str(&line, "label", req->label);
		}
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", origin->peer);
		log_end(&line);
	}
	answer_error(origin, status, token, detail);
}

/* ---- after the Zn answer ------------------------------------------------ */

/* NULL when the USS lets the subscriber have the label's key, else why. */
static const char *uss_refusal(const struct zn_key_response *zn,
			       const struct ks_local_request *req)
{
	int flag = strcmp(req->label, LABEL_KS_LOCAL_MT) ?
		   NAFKC_USS_FLAG_KS_LOCAL_DEVICE : NAFKC_USS_FLAG_KS_LOCAL_MT;

	if (!zn->uss[0])
		return "the subscriber has no USS entry for the NAF Key Centre";
	if (!store_uss_entry_has_flag(zn->uss, flag))
		return flag == NAFKC_USS_FLAG_KS_LOCAL_MT ?
		       "the USS entry lacks flag 2 (ks_local_mt)" :
		       "the USS entry lacks flag 1 (ks_local_device)";
	return NULL;
}

static void log_issued(const struct nafkc_origin *origin,
		       const struct ks_local_response *resp)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "ks-local-issued"))
		return;
	log_str(&line, "btid", resp->btid);
	log_str(&line, "device", resp->device_id);
	log_str(&line, "label", resp->label);
	log_int(&line, "lifetime", resp->lifetime);
	log_str(&line, "peer", origin->peer);
	log_end(&line);
}

/*
 * A key issued, its row written in the store's group (store_group.h):
 * the 200 goes out once the row is on disk.
 */
struct pending_key {
	struct nafkc *nafkc;
	struct nafkc_origin *origin;
	char *text;			/* the 200's body (Ks_local: wiped) */
	struct ks_local_response resp;	/* for the log (wiped) */
	struct ks_local_request req;	/* for a refusal's log */
};

static void key_durable(int ret, void *arg)
{
	struct pending_key *p = arg;

	if (ret) {
		refuse(p->nafkc, p->origin, 500, UB_ERR_INTERNAL,
		       store_strerror(ret), &p->req);
	} else {
		p->nafkc->counters.issued++;
		log_issued(p->origin, &p->resp);
		p->origin->answer(p->origin, 200, p->text, strlen(p->text));
	}
	ub_json_text_free(p->text);
	ks_local_response_wipe(&p->resp);
	free(p);
}

/*
 * Derives, stores, answers: steps 15b and 16; the answer, unless a
 * refusal, in *pending until the row is durable.
 */
static void issue(struct nafkc *nafkc, struct nafkc_origin *origin,
		  const struct ks_local_request *req,
		  const struct zn_key_response *zn,
		  struct ks_local_response *resp, struct store_ks_local *row,
		  struct pending_key **pending)
{
	int64_t now = (int64_t)time(NULL), left = zn->expires - now;
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	int ret;

	if (left < 1) {
		refuse(nafkc, origin, 404, UB_ERR_EXPIRED_BTID,
		       "the bootstrap's key lifetime is over", req);
		return;
	}
	strcpy(resp->btid, req->btid);
	strcpy(resp->device_id, req->device_id);
	strcpy(resp->label, req->label);
	memcpy(resp->naf_id, nafkc->naf_id, nafkc->naf_id_len);
	resp->naf_id_len = nafkc->naf_id_len;
	resp->lifetime = left < nafkc->conf->key_lifetime ?
			 (uint32_t)left : nafkc->conf->key_lifetime;
	resp->expires = now + resp->lifetime;
	ret = ks_local_derive(resp->ks_local, zn->ks_ext_naf, req->label,
			      req->btid, nafkc->naf_id, nafkc->naf_id_len,
			      req->device_id);
	if (ret) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
		       "cannot derive the key", req);
		return;
	}
	strcpy(row->pub.btid, req->btid);
	strcpy(row->pub.device_id, req->device_id);
	strcpy(row->pub.label, req->label);
	memcpy(row->pub.naf_id, nafkc->naf_id, nafkc->naf_id_len);
	row->pub.naf_id_len = nafkc->naf_id_len;
	row->pub.issued = now;
	row->pub.expires = resp->expires;
	memcpy(row->key, resp->ks_local, sizeof(row->key));
	ret = store_ks_local_put(nafkc->daemon->store, row);
	if (ret == -EKEYREVOKED) {
		refuse(nafkc, origin, 403, KS_LOCAL_ERR_KEY_REVOKED,
		       "this key was revoked; bootstrap again", req);
		return;
	}
	if (ret) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
		       store_strerror(ret), req);
		return;
	}
	if (ks_local_response_build(resp, &text, why, sizeof(why))) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
		       "cannot make the answer", req);
		return;
	}
	*pending = malloc(sizeof(**pending));
	if (!*pending) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
		       "out of memory", req);
		ub_json_text_free(text);
		return;
	}
	**pending = (struct pending_key){
		.nafkc = nafkc, .origin = origin, .text = text,
		.resp = *resp, .req = *req,
	};
}

/* The BSF's refusal, as the device's answer. */
static void zn_refused(struct nafkc *nafkc, struct nafkc_call *call,
		       const struct https_response *r)
{
	struct ub_error err = { "", "" };
	char detail[UB_ERROR_DETAIL_MAX + 1];

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	if (r->status == 404 && (!strcmp(err.error, UB_ERR_UNKNOWN_BTID) ||
				 !strcmp(err.error, UB_ERR_EXPIRED_BTID))) {
		refuse(nafkc, call->origin, 404, err.error,
		       err.detail[0] ? err.detail : NULL, &call->req);
		return;
	}
	if (r->status == 403 &&
	    !strcmp(err.error, UB_ERR_NAF_NOT_AUTHORISED)) {
		snprintf(detail, sizeof(detail), "the BSF refused: %.200s",
			 err.detail[0] ? err.detail : err.error);
		refuse(nafkc, call->origin, 403, KS_LOCAL_ERR_NOT_ALLOWED, detail,
		       &call->req);
		return;
	}
	nafkc->counters.zn_failures++;
	snprintf(detail, sizeof(detail), "the BSF answered %d %.60s",
		 r->status, err.error[0] ? err.error : "(no error body)");
	refuse(nafkc, call->origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE, detail,
	       &call->req);
}

/*
 * Steps 15a to 16 on the BSF's answer for req's B-TID, pulled now or kept
 * (nafkc_zn_cache.h): the same decisions either way.
 */
static void answer_with(struct nafkc *nafkc, struct nafkc_origin *origin,
			const struct ks_local_request *req,
			const struct zn_key_response *zn)
{
	struct ks_local_response *resp = calloc(1, sizeof(*resp));
	struct store_ks_local *row = calloc(1, sizeof(*row));
	struct pending_key *pending = NULL;
	const char *denied;

	if (!resp || !row) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL, "out of memory",
		       req);
	} else if ((denied = uss_refusal(zn, req))) {
		refuse(nafkc, origin, 403, KS_LOCAL_ERR_NOT_ALLOWED, denied,
		       req);
	} else {
		store_group_begin(nafkc->daemon->store);
		issue(nafkc, origin, req, zn, resp, row, &pending);
		store_group_end(nafkc->daemon->store,
				pending ? key_durable : NULL, pending);
	}
	if (resp) {
		ks_local_response_wipe(resp);
		free(resp);
	}
	if (row) {
		store_ks_local_wipe(row);
		free(row);
	}
}

static void zn_answered(struct nafkc *nafkc, struct nafkc_call *call,
			const struct https_response *r)
{
	struct zn_key_response *zn = malloc(sizeof(*zn));
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (!zn) {
		refuse(nafkc, call->origin, 500, UB_ERR_INTERNAL, "out of memory",
		       &call->req);
		return;
	}
	if (zn_key_response_parse(r->body, r->body_len, zn, why,
				  sizeof(why)) ||
	    strcmp(zn->btid, call->req.btid)) {
		nafkc->counters.zn_failures++;
		refuse(nafkc, call->origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE,
		       "the BSF's answer is not a Zn answer for this B-TID",
		       &call->req);
	} else {
		/* Kept before it is judged: the next request judges anew. */
		nafkc_zn_cache_put(nafkc->zn_cache, nafkc->naf_id,
				   nafkc->naf_id_len, zn, (int64_t)time(NULL));
		answer_with(nafkc, call->origin, &call->req, zn);
	}
	zn_key_response_wipe(zn);
	free(zn);
}

static void unlink_call(struct nafkc *nafkc, struct nafkc_call *call)
{
	nafkc->n_calls--;
	if (call->prev)
		call->prev->next = call->next;
	else
		nafkc->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
}

static void zn_done(const struct https_response *r, void *arg)
{
	struct nafkc_call *call = arg;
	struct nafkc *nafkc = call->nafkc;
	char detail[UB_ERROR_DETAIL_MAX + 1];

	unlink_call(nafkc, call);
	if (r->error) {
		nafkc->counters.zn_failures++;
		snprintf(detail, sizeof(detail), "Zn: %.200s", r->why);
		refuse(nafkc, call->origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE,
		       detail, &call->req);
	} else if (r->status != 200) {
		zn_refused(nafkc, call, r);
	} else {
		zn_answered(nafkc, call, r);
	}
	free(call);
}

/* ---- before the Zn call ------------------------------------------------ */

/*
 * Whether the session authenticated device_id: NULL when it did, else
 * why not. A PSK session is its identity's; a certificate names its
 * Device_ID as its one subjectAltName URI (e2m profile).
 */
static const char *device_mismatch(const struct tls_peer *peer,
				   const char *device_id)
{
	if (!peer)
		return "the session authenticated no device";
	if (peer->psk_identity[0])
		return strcmp(peer->psk_identity, device_id) ?
		       "\"device-id\" is not the PSK identity of the session" :
		       NULL;
	if (peer->n_uri != 1 || !store_device_id_valid(peer->uri))
		return "the certificate names no Device_ID (one subjectAltName URI)";
	return strcmp(peer->uri, device_id) ?
	       "\"device-id\" is not the Device_ID of the certificate" : NULL;
}

/* The checks of steps 11-12 (and revocation); 0 when the pull may go. */
static int check_device(struct nafkc *nafkc, struct nafkc_origin *origin,
			const struct ks_local_request *req)
{
	const char *mismatch;
	struct store_ks_local *old;
	int ret;

	if (origin->gba_btid && strcmp(origin->gba_btid, req->btid)) {
		refuse(nafkc, origin, 403, KS_LOCAL_ERR_BTID_MISMATCH,
		       "\"btid\" is not the B-TID of the GBA session", req);
		return -EPERM;
	}
	mismatch = origin->gba_btid ? NULL :
		   device_mismatch(origin->tls, req->device_id);
	if (mismatch) {
		refuse(nafkc, origin, 403, KS_LOCAL_ERR_DEVICE_MISMATCH,
		       mismatch, req);
		return -EPERM;
	}
	ret = store_device_blocked(nafkc->daemon->store, req->device_id);
	if (ret) {
		if (ret > 0)
			refuse(nafkc, origin, 403, KS_LOCAL_ERR_DEVICE_BLOCKED,
			       "the Device_ID is blocked", req);
		else
			refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
			       store_strerror(ret), req);
		return -EPERM;
	}
	old = malloc(sizeof(*old));
	ret = old ? store_ks_local_get(nafkc->daemon->store, req->btid,
				       req->device_id, req->label, old) :
		    -ENOMEM;
	if (!ret && old->pub.revoked) {
		refuse(nafkc, origin, 403, KS_LOCAL_ERR_KEY_REVOKED,
		       "this key was revoked; bootstrap again", req);
		ret = -EPERM;
	} else if (ret && ret != -ENOENT) {
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL, store_strerror(ret),
		       req);
	} else {
		ret = 0;
	}
	if (old) {
		store_ks_local_wipe(old);
		free(old);
	}
	return ret;
}

/*
 * Step 13 from the Zn cache: 0 when the B-TID's answer for the Key
 * Centre's NAF_Id is kept (the request then answered as on a pull),
 * -ENOENT when the BSF must be asked.
 */
static int kept_answer(struct nafkc *nafkc, struct nafkc_origin *origin,
		       const struct ks_local_request *req)
{
	struct zn_key_response *zn;
	int ret;

	if (!nafkc->zn_cache)
		return -ENOENT;
	zn = malloc(sizeof(*zn));
	if (!zn)
		return -ENOENT;		/* the pull then, as without a cache */
	ret = nafkc_zn_cache_get(nafkc->zn_cache, req->btid, nafkc->naf_id,
				 nafkc->naf_id_len, false, (int64_t)time(NULL),
				 zn);
	if (!ret)
		answer_with(nafkc, origin, req, zn);
	zn_key_response_wipe(zn);
	free(zn);
	return ret;
}

/* Step 13: asks the BSF for Ks_(ext)_NAF of the B-TID, or the cache. */
static void pull(struct nafkc *nafkc, struct nafkc_origin *origin,
		 const struct ks_local_request *req)
{
	struct zn_key_request zn = { 0 };
	struct nafkc_call *call;
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;

	if (!kept_answer(nafkc, origin, req))
		return;
	if (nafkc->n_calls >= NAFKC_ZN_CALLS_MAX) {
		refuse(nafkc, origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE,
		       "too many requests to the BSF in flight", req);
		return;
	}
	strcpy(zn.btid, req->btid);
	memcpy(zn.naf_id, nafkc->naf_id, nafkc->naf_id_len);
	zn.naf_id_len = nafkc->naf_id_len;
	call = calloc(1, sizeof(*call));
	if (!call || zn_key_request_build(&zn, &text, why, sizeof(why))) {
		free(call);
		refuse(nafkc, origin, 500, UB_ERR_INTERNAL,
		       "cannot make the Zn request", req);
		return;
	}
	call->nafkc = nafkc;
	call->origin = origin;
	call->req = *req;
	call->call = https_post(nafkc->zn, ZN_PATH_NAF_KEY,
				UB_JSON_CONTENT_TYPE, text, strlen(text),
				zn_done, call);
	ub_json_text_free(text);
	if (!call->call) {
		free(call);
		nafkc->counters.zn_failures++;
		refuse(nafkc, origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE,
		       "cannot start the Zn call", req);
		return;
	}
	call->next = nafkc->calls;
	if (nafkc->calls)
		nafkc->calls->prev = call;
	nafkc->calls = call;
	nafkc->n_calls++;
}

void nafkc_ks_local_handle(struct nafkc *nafkc, struct nafkc_origin *origin,
			   bool json, const char *body, size_t len)
{
	struct ks_local_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (!json) {
		refuse(nafkc, origin, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return;
	}
	if (!body ||
	    ks_local_request_parse(body, len, &req, why, sizeof(why))) {
		refuse(nafkc, origin, 400, UB_ERR_BAD_REQUEST,
		       body ? why : "out of memory", NULL);
		return;
	}
	if (!check_device(nafkc, origin, &req))
		pull(nafkc, origin, &req);
}

/* ---- the devices' listener (evhttp) ----------------------------------- */

struct http_origin {
	struct nafkc_origin origin;	/* first: the answer casts back */
	struct http_exchange *ex;
};

static void http_answer(struct nafkc_origin *origin, int status,
			const char *body, size_t len)
{
	struct http_origin *h = (struct http_origin *)origin;

	if (status != 200)
		http_exchange_add_header(h->ex, "Connection", "close");
	http_reply(h->ex, status, body ? UB_JSON_CONTENT_TYPE : NULL, body,
		   len);
	free(h);
}

void nafkc_ks_local_request(struct http_exchange *ex, void *arg)
{
	struct nafkc *nafkc = arg;
	struct http_origin *h = calloc(1, sizeof(*h));
	const char *body;
	size_t len = 0;
	bool json;

	if (!h) {
		json_error_reply(ex, 500, UB_ERR_INTERNAL, "out of memory");
		return;
	}
	h->ex = ex;
	h->origin.answer = http_answer;
	h->origin.tls = http_exchange_peer(ex);
	h->origin.peer = h->origin.tls ? tls_peer_name(h->origin.tls) : "-";
	json = http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE);
	body = http_exchange_body(ex, &len);
	nafkc_ks_local_handle(nafkc, &h->origin, json, body, len);
}

void nafkc_cancel_calls(struct nafkc *nafkc)
{
	struct nafkc_call *call;

	while ((call = nafkc->calls)) {
		unlink_call(nafkc, call);
		https_call_cancel(call->call);
		answer_error(call->origin, 503, KS_LOCAL_ERR_BSF_UNAVAILABLE,
			     "stopping");
		free(call);
	}
}
