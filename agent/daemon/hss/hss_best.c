// SPDX-License-Identifier: GPL-2.0
/*
 * BEST at the HSS: vectors for SGWs, key sets for HSEs. See hss_best.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "proto/best/av_msg.h"
#include "aka/e2m_aka.h"
#include "proto/best/batch_msg.h"
#include "proto/best/keyset_msg.h"
#include "daemon/daemon.h"
#include "store/store_group.h"
#include "store/store_sqn_reserve.h"
#include "hss_best.h"
#include "hss_window.h"
#include "daemon/log.h"
#include "daemon/peer_list.h"
#include "daemon/store_refusal.h"
#include "util/mono_clock.h"
#include "role_hss.h"
#include "proto/gba/ub_json.h"

#define ROLE		"hss"
#define PURGE_SECONDS	1	/* a key set is wiped at most this late */

struct hss_best {
	struct daemon *daemon;
	const struct config_hss *conf;	/* re-pointed on reload */
	struct hss_window *window;
	struct event *timer;
	unsigned long long vectors;	/* issued on /e2m/v1/av */
	unsigned long long vectors_e2m;	/* of which marked for e2m */
	unsigned long long resyncs;
	unsigned long long av_refused;
	unsigned long long pulled;
	unsigned long long pulls_refused;
	unsigned long long evicted;	/* live key sets dropped at the bound */
	unsigned long long expired;	/* key sets whose window ended */
};

/* The window's clock, in the int64_t milliseconds hss_window.h takes. */
static int64_t now_ms(void)
{
	return (int64_t)mono_clock_ms();
}

static const char *peer_name(struct http_exchange *ex)
{
	const struct tls_peer *peer = http_exchange_peer(ex);

	return peer ? tls_peer_name(peer) : "-";
}

/* The parts every BEST request shares: client listed, JSON, a body. */
/*
 * The body of a request from a client listed in hss.LIST_NAME. An empty
 * list admits no one: sn-clients cannot be empty (the configuration
 * requires it), hse-clients may (a key set is the device's traffic keys
 * themselves, so an HSS whose hse-clients is empty hands them to nobody).
 */
static const char *request_body(struct http_exchange *ex,
				const struct config_names *clients,
				const char *list_name, const char *event,
				size_t *len)
{
	char detail[64];
	const char *body;

	if (!clients->count) {
		snprintf(detail, sizeof(detail), "hss.%s is empty", list_name);
		hss_refuse(ex, event, 403, BEST_ERR_FORBIDDEN, detail, NULL,
			   NULL);
		return NULL;
	}
	if (!peer_listed(clients, http_exchange_peer(ex))) {
		snprintf(detail, sizeof(detail), "client not in hss.%s",
			 list_name);
		hss_refuse(ex, event, 403, BEST_ERR_FORBIDDEN, detail, NULL,
			   NULL);
		return NULL;
	}
	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		hss_refuse(ex, event, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
			   "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL,
			   NULL);
		return NULL;
	}
	body = http_exchange_body(ex, len);
	if (!body)
		hss_refuse(ex, event, 500, UB_ERR_INTERNAL, "out of memory",
			   NULL, NULL);
	return body;
}

/* ---- POST /e2m/v1/av ----------------------------------------------------- */

static void av_refuse(struct hss_best *best, struct http_exchange *ex,
		      int status, const char *token, const char *detail,
		      const char *imsi)
{
	best->av_refused++;
	hss_refuse(ex, "av-refused", status, token, detail, "imsi", imsi);
}

static void av_refuse_error(struct hss_best *best, struct http_exchange *ex,
			    int err, const char *imsi)
{
	struct store_refusal r;

	if (err == -ENOENT) {
		av_refuse(best, ex, 404, UB_ERR_UNKNOWN_SUBSCRIBER, NULL, imsi);
		return;
	}
	r = store_refusal(ex, err);
	av_refuse(best, ex, r.status, r.token, hss_error_detail(err), imsi);
}

/* Whether the subscriber has the e2m flag: 0/1, or a negative errno. */
static int subscriber_e2m(struct hss_best *best, const char *imsi)
{
	struct store_subscriber *sub = malloc(sizeof(*sub));
	int ret;

	if (!sub)
		return -ENOMEM;
	ret = store_subscriber_get(best->daemon->store, imsi, sub);
	if (!ret)
		ret = (sub->pub.flags & STORE_SUB_E2M) ? 1 : 0;
	store_subscriber_wipe(sub);
	free(sub);
	return ret;
}

/* The run of vector v as e2m_aka.h takes it. */
static struct e2m_aka_input vector_input(const struct hss_best *best,
					 const struct av_request *req,
					 const struct auc_vector *v)
{
	return (struct e2m_aka_input){
		.kind = req->aka, .ck = v->ck, .ik = v->ik, .rand = v->rand,
		.sqn_xor_ak = v->autn, .sn_id = req->sn_id, .snn = req->snn,
		.res = v->xres,
		.alg = (enum e2m_alg)best->conf->e2m.algorithm,
	};
}

/*
 * What the serving network gets of a vector not marked for e2m: CK, IK,
 * KASME, or 5G AKA's XRES* and K_AUSF (which it gets for e2m too).
 */
static int plain_keys(const struct e2m_aka_input *in,
		      struct av_response *resp)
{
	switch (in->kind) {
	case E2M_AKA_UMTS:
		memcpy(resp->ck, in->ck, sizeof(resp->ck));
		memcpy(resp->ik, in->ik, sizeof(resp->ik));
		return 0;
	case E2M_AKA_EPS:
		return kasme_derive(resp->kasme, in->ck, in->ik, in->sn_id,
				    in->sqn_xor_ak);
	case E2M_AKA_5G:
		return e2m_aka_5g_serving_keys(in, resp->xres_star,
					       resp->kausf);
	}
	return -EINVAL;
}

/*
 * The e2m keys of the vector: CK', IK', KASME' or XRES*, K_AUSF into resp,
 * the key set into ks.
 */
static int e2m_keys(const struct e2m_aka_input *in,
		    const struct av_request *req, const struct auc_vector *v,
		    struct av_response *resp, struct keyset_response *ks)
{
	struct e2m_aka_keys keys;
	int ret = e2m_aka_derive(in, &keys);

	if (!ret) {
		memcpy(resp->ck, keys.ck_prime, sizeof(resp->ck));
		memcpy(resp->ik, keys.ik_prime, sizeof(resp->ik));
		memcpy(resp->kasme, keys.kasme_prime, sizeof(resp->kasme));
		memcpy(resp->xres_star, keys.res_star, sizeof(resp->xres_star));
		memcpy(resp->kausf, keys.kausf, sizeof(resp->kausf));
		memcpy(ks->k_enc, keys.k_enc, sizeof(ks->k_enc));
		memcpy(ks->k_int, keys.k_int, sizeof(ks->k_int));
		ks->enc_alg = ks->int_alg = in->alg;
		memcpy(ks->imsi, req->imsi, sizeof(ks->imsi));
		memcpy(ks->rand, v->rand, sizeof(ks->rand));
		memcpy(ks->sqn, v->sqn, sizeof(ks->sqn));
	}
	e2m_aka_keys_wipe(&keys);
	return ret;
}

/* One vector into resp, and for e2m its key set into ks. */
static int make_vector(struct hss_best *best, const struct av_request *req,
		       struct av_response *resp, struct keyset_response *ks,
		       uint64_t *sqn)
{
	struct e2m_aka_input in;
	struct auc_vector v;
	uint16_t amf_bits;
	int e2m = subscriber_e2m(best, req->imsi);
	int ret;

	if (e2m < 0)
		return e2m;
	/* Separation bit: E-UTRAN, TS 33.401 6.1.1; 5G, TS 33.501 6.1.3.2. */
	amf_bits = (e2m ? AUC_AMF_E2M : 0) |
		   (req->aka != E2M_AKA_UMTS ? AUC_AMF_SEPARATION : 0);
	ret = auc_vector(best->daemon->store, req->imsi, amf_bits, &v);
	if (ret)
		return ret;
	memcpy(resp->imsi, req->imsi, sizeof(resp->imsi));
	resp->aka = req->aka;
	resp->e2m = e2m;
	memcpy(resp->rand, v.rand, sizeof(resp->rand));
	memcpy(resp->autn, v.autn, sizeof(resp->autn));
	/* 5G hands out XRES* only: the table of av_msg.c leaves xres out. */
	memcpy(resp->xres, v.xres, sizeof(resp->xres));
	*sqn = sqn_value(v.sqn);
	in = vector_input(best, req, &v);
	ret = e2m ? e2m_keys(&in, req, &v, resp, ks) : plain_keys(&in, resp);
	auc_vector_wipe(&v);
	return ret;
}

/* Into the window; 0 or -ENOMEM. */
static int keep_keyset(struct hss_best *best, struct keyset_response *ks)
{
	uint32_t window = best->conf->e2m.window;
	bool evicted;
	int ret;

	ks->window_expires = (int64_t)time(NULL) + window;
	ret = hss_window_add(best->window, ks, now_ms() + 1000 * (int64_t)window,
			     now_ms(), &evicted);
	if (evicted) {
		best->evicted++;
		log_msg(LOG_LEVEL_WARNING, ROLE, "keyset-evicted",
			"the window is full (%d key sets): the oldest went",
			HSS_WINDOW_CAPACITY);
	}
	return ret;
}

static void log_av_issued(struct http_exchange *ex,
			  const struct av_request *req, uint64_t sqn, bool e2m)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "av-issued"))
		return;
	log_str(&line, "imsi", req->imsi);
	log_u64(&line, "sqn", sqn);
	log_str(&line, "aka", e2m_aka_kind_name(req->aka));
	log_int(&line, "e2m", e2m);
	if (req->resync)
		log_int(&line, "resync", 1);
	log_str(&line, "peer", peer_name(ex));
	log_end(&line);
}

/*
 * A vector made, its SQN written in the store's group (store_group.h):
 * it goes out once that write is on disk, never before.
 */
struct pending_av {
	struct hss_best *best;
	struct http_exchange *ex;
	char *text;			/* the 200's body (keys: wiped) */
	struct av_request req;		/* for the log line */
	uint64_t sqn;
	bool e2m;
};

static void av_durable(int ret, void *arg)
{
	struct pending_av *p = arg;

	if (ret) {
		av_refuse_error(p->best, p->ex, ret, p->req.imsi);
	} else {
		p->best->vectors++;
		p->best->vectors_e2m += p->e2m;
		log_av_issued(p->ex, &p->req, p->sqn, p->e2m);
		http_reply(p->ex, 200, UB_JSON_CONTENT_TYPE, p->text,
			   strlen(p->text));
	}
	ub_json_text_free(p->text);
	OPENSSL_cleanse(&p->req, sizeof(p->req));
	free(p);
}

/* Answered, or the answer in *pending waits for its SQN on disk. */
static void send_vector(struct hss_best *best, struct http_exchange *ex,
			const struct av_request *req,
			struct pending_av **pending)
{
	struct av_response *resp = calloc(1, sizeof(*resp));
	struct keyset_response *ks = calloc(1, sizeof(*ks));
	struct pending_av *p = calloc(1, sizeof(*p));
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	uint64_t sqn = 0;
	int ret = resp && ks && p ? make_vector(best, req, resp, ks, &sqn) :
				    -ENOMEM;

	/* The key set is kept before the vector leaves: the UE may be fast. */
	if (!ret && resp->e2m)
		ret = keep_keyset(best, ks);
	if (ret) {
		av_refuse_error(best, ex, ret, req->imsi);
	} else if (av_response_build(resp, &text, why, sizeof(why))) {
		av_refuse(best, ex, 500, UB_ERR_INTERNAL, why, req->imsi);
	} else {
		*p = (struct pending_av){
			.best = best, .ex = ex, .text = text, .req = *req,
			.sqn = sqn, .e2m = resp->e2m,
		};
		*pending = p;
		p = NULL;
		text = NULL;
	}
	free(p);
	ub_json_text_free(text);
	if (resp)
		av_response_wipe(resp);
	if (ks)
		keyset_response_wipe(ks);
	free(resp);
	free(ks);
}

/* 0 to go on to a fresh vector; else the exchange has been answered. */
static int resync(struct hss_best *best, struct http_exchange *ex,
		  const struct av_request *req)
{
	int ret = auc_resync(best->daemon->store, req->imsi, req->rand,
			     req->auts);

	if (ret == -EBADMSG) {
		av_refuse(best, ex, 403, UB_ERR_RESYNC_FAILED,
			  "AUTS does not verify", req->imsi);
		return ret;
	}
	if (ret) {
		av_refuse_error(best, ex, ret, req->imsi);
		return ret;
	}
	best->resyncs++;
	log_msg(LOG_LEVEL_INFO, ROLE, "resync", "SQN resynchronised for %s",
		req->imsi);
	return 0;
}

static void best_av(struct http_exchange *ex, void *arg)
{
	struct hss_best *best = arg;
	struct pending_av *pending = NULL;
	struct av_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len;

	body = request_body(ex, &best->conf->sn_clients, "sn-clients",
			    "av-refused", &len);
	if (!body) {
		best->av_refused++;
		return;
	}
	if (av_request_parse(body, len, &req, why, sizeof(why))) {
		av_refuse(best, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	/* The resync's SEQ_HE and the vector's SQN: one group's writes. */
	store_group_begin(best->daemon->store);
	if (!req.resync || !resync(best, ex, &req))
		send_vector(best, ex, &req, &pending);
	OPENSSL_cleanse(&req, sizeof(req));
	/* Inside a mark already on disk: nothing to wait for. */
	if (pending && store_sqn_reserve_durable(best->daemon->store)) {
		store_group_end(best->daemon->store, NULL, NULL);
		av_durable(0, pending);
		return;
	}
	store_group_end(best->daemon->store, pending ? av_durable : NULL,
			pending);
}

/* ---- POST /e2m/v1/keyset ------------------------------------------------- */

static void log_pull(struct http_exchange *ex,
		     const struct keyset_request *req,
		     const struct keyset_response *ks)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "keyset-pulled"))
		return;
	log_str(&line, "imsi", ks->imsi);
	log_u64(&line, "sqn", sqn_value(ks->sqn));
	log_str(&line, "by", req->by == KEYSET_BY_RAND ? "rand" : "sqn");
	log_str(&line, "peer", peer_name(ex));
	log_end(&line);
}

static void pull_refuse(struct hss_best *best, struct http_exchange *ex,
			int status, const char *token, const char *detail,
			const char *imsi)
{
	best->pulls_refused++;
	hss_refuse(ex, "keyset-refused", status, token, detail, "imsi", imsi);
}

/*
 * The key set req names, as its 200 body: its text in *text, or for a
 * batch its object in *obj, whichever is asked for (the other NULL); 0,
 * the pull logged and counted. Else the refusal's status, with *token
 * and detail set.
 */
static int find_keyset(struct hss_best *best, struct http_exchange *ex,
		       const struct keyset_request *req, char **text,
		       json_t **obj, const char **token, char *detail,
		       size_t detail_size)
{
	struct keyset_response ks;
	int status = 0, ret;

	if (hss_window_find(best->window, req, now_ms(), &ks)) {
		*token = BEST_ERR_NO_KEYSET;
		snprintf(detail, detail_size, "%s",
			 req->by == KEYSET_BY_RAND ?
			 "no key set for that IMSI and RAND" :
			 "no key set for that IMSI and SQN");
		return 404;
	}
	if (text)
		ret = keyset_response_build(&ks, text, detail, detail_size);
	else
		ret = keyset_response_object(&ks, obj, detail, detail_size);
	if (ret) {
		*token = UB_ERR_INTERNAL;
		status = 500;
	} else {
		best->pulled++;
		log_pull(ex, req, &ks);
	}
	keyset_response_wipe(&ks);
	return status;
}

static void send_keyset(struct hss_best *best, struct http_exchange *ex,
			const struct keyset_request *req)
{
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	const char *token;
	int status = find_keyset(best, ex, req, &text, NULL, &token, why,
				 sizeof(why));

	if (status)
		pull_refuse(best, ex, status, token, why, req->imsi);
	else
		http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

static void best_keyset(struct http_exchange *ex, void *arg)
{
	struct hss_best *best = arg;
	struct keyset_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len;

	body = request_body(ex, &best->conf->hse_clients, "hse-clients",
			    "keyset-refused", &len);
	if (!body) {
		best->pulls_refused++;
		return;
	}
	if (keyset_request_parse(body, len, &req, why, sizeof(why))) {
		pull_refuse(best, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	send_keyset(best, ex, &req);
}

/* ---- POST /e2m/v1/keysets ------------------------------------------------ */

/* One item's refusal: logged and counted as on /e2m/v1/keyset. */
static void add_refusal(struct hss_best *best, struct http_exchange *ex,
			struct best_results *results, int status,
			const char *token, const char *detail,
			const char *imsi)
{
	json_t *body;

	best->pulls_refused++;
	hss_log_refusal(ex, "keyset-refused", status, token, detail, "imsi",
			imsi);
	ub_error_object(token, detail, &body);
	best_results_add_value(results, status, body);
}

/*
 * A pull of a batch, read where it lies. An item that is not an object
 * is read from its text, so that it is refused with the single
 * endpoint's words (best_batch_load()).
 */
static int read_pull(const json_t *item, struct keyset_request *req,
		     char *why, size_t why_size)
{
	char *text;
	int ret;

	if (json_is_object(item))
		return keyset_request_read(item, req, why, why_size);
	text = best_batch_item_text(item);
	if (!text) {
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	ret = keyset_request_parse(text, strlen(text), req, why, why_size);
	ub_json_text_free(text);
	return ret;
}

/* The result of one pull of the batch, as /e2m/v1/keyset answers it. */
static void add_pull(struct hss_best *best, struct http_exchange *ex,
		     struct best_results *results, const json_t *item)
{
	struct keyset_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	json_t *body = NULL;
	const char *token;
	int ret, status;

	ret = read_pull(item, &req, why, sizeof(why));
	if (ret) {
		add_refusal(best, ex, results, ret == -ENOMEM ? 500 : 400,
			    ret == -ENOMEM ? UB_ERR_INTERNAL :
			    UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	status = find_keyset(best, ex, &req, NULL, &body, &token, why,
			     sizeof(why));
	if (status)
		add_refusal(best, ex, results, status, token, why, req.imsi);
	else
		best_results_add_value(results, 200, body);
}

static void best_keysets(struct http_exchange *ex, void *arg)
{
	struct hss_best *best = arg;
	struct best_batch_values batch;
	struct best_results results;
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	const char *body;
	size_t len, i;

	body = request_body(ex, &best->conf->hse_clients, "hse-clients",
			    "keyset-refused", &len);
	if (!body) {
		best->pulls_refused++;
		return;
	}
	/* Each pull is read where it lies, and answered as an object. */
	if (best_batch_load(body, len, KEYSETS_MEMBER, &batch, why,
			    sizeof(why))) {
		pull_refuse(best, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	best_results_init(&results);
	for (i = 0; i < batch.count; i++)
		add_pull(best, ex, &results, batch.items[i]);
	best_batch_values_free(&batch);
	if (best_results_finish(&results, &text))
		pull_refuse(best, ex, 500, UB_ERR_INTERNAL, "out of memory",
			    NULL);
	else
		http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

/* ---- the window's timer, the module -------------------------------------- */

static void purge(evutil_socket_t fd, short what, void *arg)
{
	struct hss_best *best = arg;
	size_t n;

	(void)fd;
	(void)what;
	n = hss_window_purge(best->window, now_ms());
	best->expired += n;
	if (n)
		log_msg(LOG_LEVEL_DEBUG, ROLE, "keysets-expired",
			"%zu key sets wiped at the end of their window", n);
}

/* Says at start and on every reload that no HSE can pull. */
static void warn_no_hse_clients(const struct config_hss *conf)
{
	if (!conf->hse_clients.count)
		log_msg(LOG_LEVEL_WARNING, ROLE, "no-hse-clients",
			"hss.hse-clients is empty: every key set pull is refused");
}

int hss_best_new(struct hss_best **out, struct daemon *daemon,
		 const struct config_hss *conf, struct http_server *zh)
{
	struct hss_best *best = calloc(1, sizeof(*best));
	struct timeval every = { PURGE_SECONDS, 0 };
	int ret = -ENOMEM;

	*out = NULL;
	if (!best)
		return ret;
	best->daemon = daemon;
	best->conf = conf;
	best->window = hss_window_new(HSS_WINDOW_CAPACITY);
	best->timer = event_new(daemon->base, -1, EV_PERSIST, purge, best);
	if (best->window && best->timer && !event_add(best->timer, &every))
		ret = http_server_route(zh, BEST_PATH_AV, EVHTTP_REQ_POST,
					best_av, best);
	if (!ret)
		ret = http_server_route(zh, BEST_PATH_KEYSET, EVHTTP_REQ_POST,
					best_keyset, best);
	if (!ret)
		ret = http_server_route(zh, BEST_PATH_KEYSETS, EVHTTP_REQ_POST,
					best_keysets, best);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "BEST: %s",
			strerror(-ret));
		hss_best_free(best);
		return ret;
	}
	warn_no_hse_clients(conf);
	*out = best;
	return 0;
}

void hss_best_reload(struct hss_best *best, const struct config_hss *conf)
{
	best->conf = conf;
	warn_no_hse_clients(conf);
}

int hss_best_status(const struct hss_best *best, json_t *counters)
{
	json_t *more = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"best-vectors", (json_int_t)best->vectors,
		"vectors-e2m", (json_int_t)best->vectors_e2m,
		"best-resyncs", (json_int_t)best->resyncs,
		"av-refused", (json_int_t)best->av_refused,
		"keysets-pulled", (json_int_t)best->pulled,
		"pulls-refused", (json_int_t)best->pulls_refused,
		"keysets-evicted", (json_int_t)best->evicted,
		"keysets-expired", (json_int_t)best->expired,
		"window", (json_int_t)hss_window_count(best->window));

	if (!more || json_object_update(counters, more)) {
		json_decref(more);
		return -ENOMEM;
	}
	json_decref(more);
	return 0;
}

void hss_best_free(struct hss_best *best)
{
	if (!best)
		return;
	if (best->timer)
		event_free(best->timer);
	hss_window_free(best->window);
	free(best);
}
