// SPDX-License-Identifier: GPL-2.0
/*
 * Step 6 of a long-term key update at the HSS: see hss_keyupdate.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/peer_list.h"
#include "daemon/store_refusal.h"
#include "hss_keyupdate.h"
#include "proto/gba/ub_json.h"
#include "proto/keyupdate/hss_update_msg.h"
#include "role_hss.h"

#define ROLE	"hss"
#define EVENT_REFUSED	"key-update-refused"

struct hss_keyupdate {
	struct daemon *daemon;
	const struct config_hss *conf;	/* re-pointed on reload */
	unsigned long long switched;	/* updates that switched keys */
	unsigned long long again;	/* the same update sent again */
	unsigned long long refused;
};

static void refuse(struct hss_keyupdate *ku, struct http_exchange *ex,
		   int status, const char *token, const char *detail,
		   const char *imsi)
{
	ku->refused++;
	hss_refuse(ex, EVENT_REFUSED, status, token, detail, "imsi", imsi);
}

/* The body of a request from a client in hss.prov-clients, else NULL. */
static const char *request_body(struct hss_keyupdate *ku,
				struct http_exchange *ex, size_t *len)
{
	const char *body;

	/* Keys go into the HSS here: an empty list lets no one in. */
	if (!ku->conf->prov_clients.count) {
		refuse(ku, ex, 403, ZH_ERR_FORBIDDEN,
		       "hss.prov-clients is empty", NULL);
		return NULL;
	}
	if (!peer_listed(&ku->conf->prov_clients, http_exchange_peer(ex))) {
		refuse(ku, ex, 403, ZH_ERR_FORBIDDEN,
		       "client not in hss.prov-clients", NULL);
		return NULL;
	}
	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(ku, ex, 415, ZH_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return NULL;
	}
	body = http_exchange_body(ex, len);
	if (!body)
		refuse(ku, ex, 500, UB_ERR_INTERNAL, "out of memory", NULL);
	return body;
}

static void log_updated(struct http_exchange *ex,
			const struct ku_hss_response *resp)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "keys-updated"))
		return;
	log_str(&line, "imsi", resp->imsi);
	log_u64(&line, "counter", resp->counter);
	log_int(&line, "switched", resp->switched);
	log_str(&line, "peer", peer ? tls_peer_name(peer) : "-");
	log_end(&line);
}

/* The 200 once the store has switched (or already held) the keys. */
static void answer(struct hss_keyupdate *ku, struct http_exchange *ex,
		   const struct ku_hss_request *req, bool switched)
{
	struct ku_hss_response resp = { .counter = req->counter,
					.switched = switched };
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;

	strcpy(resp.imsi, req->imsi);
	if (ku_kcv(req->k, resp.kcv_k) || ku_kcv(req->opc, resp.kcv_opc)) {
		refuse(ku, ex, 500, UB_ERR_INTERNAL, "KCV", req->imsi);
		return;
	}
	if (ku_hss_response_build(&resp, &text, why, sizeof(why))) {
		refuse(ku, ex, 500, UB_ERR_INTERNAL, why, req->imsi);
		return;
	}
	if (switched)
		ku->switched++;
	else
		ku->again++;
	log_updated(ex, &resp);
	http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

static void refuse_store_error(struct hss_keyupdate *ku,
			       struct http_exchange *ex, int err,
			       const char *imsi)
{
	struct store_refusal r = store_refusal(ex, err);

	refuse(ku, ex, r.status, r.token, hss_error_detail(err), imsi);
}

static void switch_keys(struct hss_keyupdate *ku, struct http_exchange *ex,
			const struct ku_hss_request *req)
{
	int ret = store_subscriber_update_keys(ku->daemon->store, req->imsi,
					       req->counter, req->k, req->opc);

	if (ret == 0 || ret == 1)
		answer(ku, ex, req, ret == 0);
	else if (ret == -ENOENT)
		refuse(ku, ex, 404, UB_ERR_UNKNOWN_SUBSCRIBER, NULL, req->imsi);
	else if (ret == -ESTALE)
		refuse(ku, ex, 409, KU_ERR_STALE_COUNTER,
		       "counter not above the last one accepted", req->imsi);
	else
		refuse_store_error(ku, ex, ret, req->imsi);
}

static void keyupdate_keys(struct http_exchange *ex, void *arg)
{
	struct hss_keyupdate *ku = arg;
	struct ku_hss_request req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len;

	body = request_body(ku, ex, &len);
	if (!body)
		return;
	if (ku_hss_request_parse(body, len, &req, why, sizeof(why))) {
		refuse(ku, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	switch_keys(ku, ex, &req);
	ku_hss_request_wipe(&req);
}

/* ---- the part ------------------------------------------------------------ */

int hss_keyupdate_new(struct hss_keyupdate **out, struct daemon *daemon,
		      const struct config_hss *conf, struct http_server *zh)
{
	struct hss_keyupdate *ku = calloc(1, sizeof(*ku));
	int ret;

	*out = NULL;
	if (!ku)
		return -ENOMEM;
	ku->daemon = daemon;
	ku->conf = conf;
	ret = http_server_route(zh, KU_HSS_PATH, EVHTTP_REQ_POST,
				keyupdate_keys, ku);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed",
			"key update: %s", strerror(-ret));
		free(ku);
		return ret;
	}
	*out = ku;
	return 0;
}

void hss_keyupdate_reload(struct hss_keyupdate *ku,
			  const struct config_hss *conf)
{
	ku->conf = conf;
}

int hss_keyupdate_status(const struct hss_keyupdate *ku, json_t *counters)
{
	json_t *more = json_pack("{s:I, s:I, s:I}",
		"keys-switched", (json_int_t)ku->switched,
		"key-updates-again", (json_int_t)ku->again,
		"key-updates-refused", (json_int_t)ku->refused);

	if (!more || json_object_update(counters, more)) {
		json_decref(more);
		return -ENOMEM;
	}
	json_decref(more);
	return 0;
}

void hss_keyupdate_free(struct hss_keyupdate *ku)
{
	free(ku);
}
