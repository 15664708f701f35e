// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS role: Zh over HTTPS, see role_hss.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "daemon/daemon.h"
#include "store/store_group.h"
#include "store/store_sqn_reserve.h"
#include "hss_admin.h"
#include "hss_best.h"
#include "hss_keyupdate.h"
#include "net/http_server.h"
#include "net/json_error.h"
#include "daemon/log.h"
#include "daemon/peer_list.h"
#include "daemon/store_refusal.h"
#include "role_hss.h"
#include "proto/gba/guss.h"
#include "proto/gba/ub_json.h"
#include "proto/gba/zh_msg.h"

#define ROLE	"hss"

struct hss {
	struct daemon *daemon;
	const struct config_hss *conf;	/* re-pointed on reload */
	struct http_server *zh;
	struct hss_best *best;		/* /e2m/v1/av and /e2m/v1/keyset */
	struct hss_keyupdate *keyupdate;	/* /keyupdate/v1/keys */
	unsigned long long vectors;	/* issued */
	unsigned long long resyncs;	/* that moved or kept SEQ_HE */
	unsigned long long refused;	/* requests answered with an error */
};

/* ---- answers ------------------------------------------------------------- */

void hss_log_refusal(struct http_exchange *ex, const char *event,
		     int status, const char *token, const char *detail,
		     const char *id_key, const char *id)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	struct log_line line;

	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, event)) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (id)
			log_str(&line, id_key, id);
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", peer ? tls_peer_name(peer) : "-");
		log_str(&line, "remote", http_exchange_remote(ex));
		log_end(&line);
	}
}

void hss_refuse(struct http_exchange *ex, const char *event, int status,
		const char *token, const char *detail, const char *id_key,
		const char *id)
{
	hss_log_refusal(ex, event, status, token, detail, id_key, id);
	json_error_reply(ex, status, token, detail);
}

static void refuse(struct hss *hss, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *impi)
{
	hss->refused++;
	hss_refuse(ex, "av-refused", status, token, detail, "impi", impi);
}

/* ---- the subscriber's GBA settings --------------------------------------- */

/* The subscriber's flags and GUSS: 0, -ENOENT, or another error. */
static int gba_settings(struct hss *hss, const char *impi,
			struct zh_av_response *resp)
{
	struct store_subscriber *sub = malloc(sizeof(*sub));
	int ret;

	if (!sub)
		return -ENOMEM;
	ret = store_subscriber_get(hss->daemon->store, impi, sub);
	if (!ret) {
		resp->gba_u = sub->pub.flags & STORE_SUB_GBA_U;
		ret = guss_from_uss(sub->pub.uss, resp->uss, sizeof(resp->uss));
		/* -ENOSPC is the store's full disk: this one is the USS's. */
		if (ret == -ENOSPC)
			ret = -EMSGSIZE;
	}
	store_subscriber_wipe(sub);
	free(sub);
	return ret;
}

/* ---- POST /zh/v1/av ------------------------------------------------------ */

static void log_issued(struct http_exchange *ex, const char *impi,
		       uint64_t sqn, bool resync)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "av-issued"))
		return;
	log_str(&line, "impi", impi);
	log_u64(&line, "sqn", sqn);
	if (resync)
		log_int(&line, "resync", 1);
	log_str(&line, "peer", peer ? tls_peer_name(peer) : "-");
	log_end(&line);
}

/* The store's error as a Zh answer. */
static void refuse_store_error(struct hss *hss, struct http_exchange *ex,
			       int err, const char *impi)
{
	struct store_refusal r;

	if (err == -ENOENT) {
		refuse(hss, ex, 404, UB_ERR_UNKNOWN_SUBSCRIBER, NULL, impi);
		return;
	}
	r = store_refusal(ex, err);
	refuse(hss, ex, r.status, r.token, hss_error_detail(err), impi);
}

const char *hss_error_detail(int err)
{
	if (err == -EOVERFLOW)
		return "SQN exhausted";
	if (err == -EMSGSIZE)
		return "USS too large for Zh";
	return store_strerror(err);
}

static int make_answer(struct hss *hss, const struct zh_av_request *req,
		       struct auc_vector *v, struct zh_av_response *resp)
{
	int ret;

	memset(resp, 0, sizeof(*resp));
	strcpy(resp->impi, req->impi);
	ret = gba_settings(hss, req->impi, resp);
	if (ret)
		return ret;
	ret = auc_vector(hss->daemon->store, req->impi, 0, v);
	if (ret)
		return ret;
	memcpy(resp->rand, v->rand, sizeof(resp->rand));
	memcpy(resp->autn, v->autn, sizeof(resp->autn));
	memcpy(resp->xres, v->xres, sizeof(resp->xres));
	memcpy(resp->ck, v->ck, sizeof(resp->ck));
	memcpy(resp->ik, v->ik, sizeof(resp->ik));
	return 0;
}

/*
 * A vector made, its SQN written in the store's group (store_group.h):
 * it goes out once that write is on disk, never before.
 */
struct pending_vector {
	struct hss *hss;
	struct http_exchange *ex;
	char *text;			/* the 200's body (CK, IK: wiped) */
	char impi[STORE_IMPI_MAX + 1];
	uint64_t sqn;
	bool resync;
};

static void vector_durable(int ret, void *arg)
{
	struct pending_vector *p = arg;

	if (ret) {
		refuse_store_error(p->hss, p->ex, ret, p->impi);
	} else {
		p->hss->vectors++;
		log_issued(p->ex, p->impi, p->sqn, p->resync);
		http_reply(p->ex, 200, UB_JSON_CONTENT_TYPE, p->text,
			   strlen(p->text));
	}
	ub_json_text_free(p->text);
	free(p);
}

/* 0 once the answer waits for its SQN to be durable, else answered. */
static int send_vector(struct hss *hss, struct http_exchange *ex,
		       const struct zh_av_request *req,
		       struct pending_vector **pending)
{
	struct zh_av_response *resp = malloc(sizeof(*resp));
	struct pending_vector *p = calloc(1, sizeof(*p));
	struct auc_vector v;
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	int ret = resp && p ? make_answer(hss, req, &v, resp) : -ENOMEM;

	if (ret) {
		refuse_store_error(hss, ex, ret, req->impi);
		goto out;
	}
	ret = zh_av_response_build(resp, &text, why, sizeof(why));
	if (ret) {
		refuse(hss, ex, 500, UB_ERR_INTERNAL, why, req->impi);
	} else {
		*p = (struct pending_vector){
			.hss = hss, .ex = ex, .text = text,
			.sqn = sqn_value(v.sqn), .resync = req->resync,
		};
		strcpy(p->impi, req->impi);
		*pending = p;
		p = NULL;
		text = NULL;
	}
	auc_vector_wipe(&v);
out:
	free(p);
	ub_json_text_free(text);
	if (resp) {
		zh_av_response_wipe(resp);
		free(resp);
	}
	return ret;
}

/* 0 to go on to a fresh vector; else the exchange has been answered. */
static int resync(struct hss *hss, struct http_exchange *ex,
		  const struct zh_av_request *req)
{
	int ret = auc_resync(hss->daemon->store, req->impi, req->rand,
			     req->auts);

	if (ret == -EBADMSG) {
		refuse(hss, ex, 403, UB_ERR_RESYNC_FAILED,
		       "AUTS does not verify", req->impi);
		return ret;
	}
	if (ret) {
		refuse_store_error(hss, ex, ret, req->impi);
		return ret;
	}
	hss->resyncs++;
	log_msg(LOG_LEVEL_INFO, ROLE, "resync", "SQN resynchronised for %s",
		req->impi);
	return 0;
}

static void zh_av(struct http_exchange *ex, void *arg)
{
	struct hss *hss = arg;
	struct pending_vector *pending = NULL;
	struct zh_av_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len;

	if (!peer_listed(&hss->conf->clients, http_exchange_peer(ex))) {
		refuse(hss, ex, 403, ZH_ERR_FORBIDDEN,
		       "client not in hss.clients", NULL);
		return;
	}
	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(hss, ex, 415, ZH_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return;
	}
	body = http_exchange_body(ex, &len);
	if (!body) {
		refuse(hss, ex, 500, UB_ERR_INTERNAL, "out of memory", NULL);
		return;
	}
	if (zh_av_request_parse(body, len, &req, why, sizeof(why))) {
		refuse(hss, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	/* The resync's SEQ_HE and the vector's SQN: one group's writes. */
	store_group_begin(hss->daemon->store);
	if (!req.resync || !resync(hss, ex, &req))
		send_vector(hss, ex, &req, &pending);
	OPENSSL_cleanse(&req, sizeof(req));
	/* Inside a mark already on disk: nothing to wait for. */
	if (pending && store_sqn_reserve_durable(hss->daemon->store)) {
		store_group_end(hss->daemon->store, NULL, NULL);
		vector_durable(0, pending);
		return;
	}
	store_group_end(hss->daemon->store, pending ? vector_durable : NULL,
			pending);
}

/* ---- the role ------------------------------------------------------------ */

static int hss_start(struct daemon *daemon, void **state)
{
	struct hss *hss = calloc(1, sizeof(*hss));
	struct http_server_conf conf = {
		.role = ROLE,
		.name = "zh",
		.tls = daemon->tls,
		.max_body = UB_JSON_MAX,
		.limits = &daemon->config->listeners,
		.error = json_error_reply,
	};
	char why[256];
	int ret;

	if (!hss)
		return -ENOMEM;
	hss->daemon = daemon;
	hss->conf = config_hss(daemon->config);
	conf.listen = &hss->conf->listen;
	/* Most vectors inside an SQN range already on disk: no fsync each. */
	ret = store_sqn_reserve_on(daemon->store, STORE_SQN_WINDOW);
	if (!ret)
		ret = http_server_new(&hss->zh, daemon->base, &conf, why,
				      sizeof(why));
	if (!ret)
		ret = http_server_route(hss->zh, ZH_PATH_AV, EVHTTP_REQ_POST,
					zh_av, hss);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "Zh: %s",
			ret == -EEXIST || ret == -ENOMEM ? strerror(-ret) : why);
		http_server_free(hss->zh);
		free(hss);
		return ret;
	}
	ret = hss_best_new(&hss->best, daemon, hss->conf, hss->zh);
	if (!ret)
		ret = hss_keyupdate_new(&hss->keyupdate, daemon, hss->conf,
					hss->zh);
	if (ret) {
		http_server_free(hss->zh);
		hss_best_free(hss->best);
		free(hss);
		return ret;
	}
	*state = hss;
	return 0;
}

static void hss_stop(void *state)
{
	struct hss *hss = state;

	http_server_stop(hss->zh);
}

static bool hss_busy(void *state)
{
	struct hss *hss = state;

	return http_server_busy(hss->zh);
}

static const char *hss_restart_key(const struct config *old,
				   const struct config *new_config)
{
	if (strcmp(config_hss(old)->listen.text,
		   config_hss(new_config)->listen.text))
		return "roles.hss.listen";
	return NULL;
}

static void hss_reload(void *state, const struct config *new_config)
{
	struct hss *hss = state;

	hss->conf = config_hss(new_config);
	hss_best_reload(hss->best, hss->conf);
	hss_keyupdate_reload(hss->keyupdate, hss->conf);
}

static size_t hss_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct hss *hss = state;

	if (!max)
		return 0;
	out[0] = (struct role_listener){ "zh", http_server_address(hss->zh) };
	return 1;
}

static int hss_status(void *state, json_t *obj)
{
	struct hss *hss = state;
	json_t *counters = json_pack("{s:I, s:I, s:I, s:I}",
		"requests", (json_int_t)http_server_requests(hss->zh),
		"vectors-issued", (json_int_t)hss->vectors,
		"resyncs", (json_int_t)hss->resyncs,
		"refused", (json_int_t)hss->refused);

	if (counters && (hss_best_status(hss->best, counters) ||
			 hss_keyupdate_status(hss->keyupdate, counters))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void hss_free(void *state)
{
	struct hss *hss = state;

	if (!hss)
		return;
	http_server_free(hss->zh);
	hss_best_free(hss->best);
	hss_keyupdate_free(hss->keyupdate);
	free(hss);
}

static const char *const hss_refusal_tokens[] = { ZH_ERR_FORBIDDEN, NULL };

const struct role_ops role_hss = {
	.name = ROLE,
	.parse_config = hss_config_parse,
	.free_config = hss_config_free,
	.config_listens = hss_config_listens,
	.workers_refused = hss_workers_refused,
	.store_keeps = "subscribers and sessions",
	.store_families = STORE_FAMILY_SUBSCRIBERS,
	.needs_tls = true,
	.admin_commands = hss_admin_commands,
	.refusal_tokens = hss_refusal_tokens,
	.start = hss_start,
	.stop = hss_stop,
	.busy = hss_busy,
	.restart_key = hss_restart_key,
	.reload = hss_reload,
	.listeners = hss_listeners,
	.status = hss_status,
	.free = hss_free,
};
