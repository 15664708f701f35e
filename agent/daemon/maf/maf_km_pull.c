// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Km-Id listener whose handshakes pull Km from the MEF, see
 * maf_km_pull.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "daemon/log.h"
#include "maf_fetch.h"
#include "maf_km_pull.h"
#include "net/http_server.h"
#include "proto/gba/ub_json.h"
#include "proto/onem2m/km_msg.h"
#include "role_maf.h"

#define ROLE	"maf"

/* One handshake's MEF call. */
struct pull {
	struct maf *maf;
	struct psk_await *await;	/* the handshake's, TLS or DTLS */
	struct https_call *call;
	char km_id[STORE_ONEM2M_KE_ID_MAX + 1];
};

static void pull_failed(struct pull *p, int status, const char *token,
			const char *detail)
{
	struct log_line line;

	p->maf->counters.fetch_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "km-fetch-failed")) {
		log_str(&line, "km-id", p->km_id);
		if (status)
			log_int(&line, "status", status);
		if (token)
			log_str(&line, "error", token);
		if (detail && *detail)
			log_str(&line, "detail", detail);
		log_str(&line, "via", "handshake");
		log_end(&line);
	}
}

/* Why the MEF gave no Km, for the tls-refused line (static text). */
static const char *refusal_reason(int status, const char *token)
{
	if (status == 404 && !strcmp(token, ONEM2M_ERR_UNKNOWN_KM_ID))
		return "the MEF knows no Ke of this Km-Id for this MAF (unknown-km-id)";
	if (status == 404 && !strcmp(token, ONEM2M_ERR_EXPIRED_KE))
		return "the Ke of this Km-Id has expired (expired-ke)";
	return "the MEF refused the Km";
}

/* The MEF's 200 kept: 0, or why not (static text, logged). */
static const char *keep(struct pull *p, const struct https_response *r,
			struct store_onem2m_km *km)
{
	struct maf *maf = p->maf;
	int64_t now = (int64_t)time(NULL);
	struct onem2m_km_response resp;
	struct log_line line;
	char why[160] = "";
	const char *store_why;

	if (onem2m_km_response_parse(r->body, r->body_len, &resp, why,
				     sizeof(why)) ||
	    !resp.ke_id[0] || !resp.enrolee_id[0]) {
		OPENSSL_cleanse(&resp, sizeof(resp));
		pull_failed(p, r->status, NULL, why[0] ? why :
			    "the answer names no ke-id and enrolee-id");
		return "the MEF's answer is not a Km answer";
	}
	memcpy(km->km, resp.km, sizeof(km->km));
	km->pub.created = now;
	km->pub.expires = resp.expires;
	strcpy(km->pub.ke_id, resp.ke_id);
	strcpy(km->pub.enrolee_id, resp.enrolee_id);
	OPENSSL_cleanse(&resp, sizeof(resp));
	/* maf_km_store() derives the Km-Id: it must be the one asked. */
	if (maf_key_id(maf, km->pub.km_id, sizeof(km->pub.km_id), km->km) ||
	    strcmp(km->pub.km_id, p->km_id)) {
		pull_failed(p, r->status, NULL, "the MEF's Km has another Km-Id");
		return "the MEF's Km has another Km-Id";
	}
	if (maf_km_store(maf, km, now, &store_why)) {
		pull_failed(p, 0, NULL, store_why);
		return "the Km could not be kept";
	}
	maf->counters.fetched++;
	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "km-fetched")) {
		log_str(&line, "km-id", km->pub.km_id);
		log_str(&line, "ke-id", km->pub.ke_id);
		log_str(&line, "enrolee-id", km->pub.enrolee_id);
		log_str(&line, "via", "handshake");
		log_end(&line);
	}
	return NULL;
}

/* The MEF answered: the paused handshake resumes with Km, or fails. */
static void pulled(const struct https_response *r, void *arg)
{
	struct pull *p = arg;
	struct psk_await *await = p->await;
	struct store_onem2m_km km;
	struct ub_error err = { "", "" };
	const char *reason = NULL;

	memset(&km, 0, sizeof(km));
	*psk_await_owner(await) = NULL;
	if (r->error) {
		pull_failed(p, 0, NULL, r->why);
		reason = "MEF unavailable";
	} else if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		pull_failed(p, r->status, err.error[0] ? err.error : NULL,
			    err.detail);
		reason = refusal_reason(r->status, err.error);
	} else {
		reason = keep(p, r, &km);
	}
	free(p);
	/* May end (free) the connection: nothing of it is touched after. */
	if (reason)
		psk_await_key(await, NULL, 0, reason);
	else
		psk_await_key(await, km.km, sizeof(km.km), NULL);
	store_onem2m_km_wipe(&km);
}

/* Whether km_id ends in "@" this MAF's name: else not ours to ask for. */
static bool ours(const struct maf *maf, const char *km_id)
{
	const char *at = strrchr(km_id, '@');

	return at && !strcmp(at + 1, maf->conf->name);
}

/* The MEF call of one handshake: 0, or a negative errno (logged). */
static int ask_mef(struct maf *maf, struct psk_await *await,
		   const char *km_id)
{
	struct onem2m_km_request req;
	char why[160], *text = NULL;
	struct pull *p = calloc(1, sizeof(*p));

	memset(&req, 0, sizeof(req));
	strcpy(req.km_id, km_id);
	if (!p || onem2m_km_request_build(&req, &text, why, sizeof(why))) {
		free(p);
		return -ENOMEM;
	}
	p->maf = maf;
	p->await = await;
	strcpy(p->km_id, km_id);
	p->call = https_post(maf->mef, ONEM2M_KM_PATH, UB_JSON_CONTENT_TYPE,
			     text, strlen(text), pulled, p);
	ub_json_text_free(text);
	if (!p->call) {
		pull_failed(p, 0, NULL, "the MEF cannot be asked");
		free(p);
		return -EIO;
	}
	maf->counters.km_pulls++;
	*psk_await_owner(await) = p;
	return 0;
}

/* The PSK callback's key (net/psk_await.h get_key). */
static int get_key(void *arg, struct psk_await *await, const char *identity)
{
	struct maf *maf = arg;
	struct store_onem2m_km km;
	int ret;

	maf->counters.km_lookups++;
	if (!onem2m_key_id_valid(identity) || !ours(maf, identity)) {
		psk_await_key(await, NULL, 0, "unknown PSK identity");
		return 0;
	}
	ret = maf_km_find(maf, identity, &km);
	if (!ret)
		psk_await_key(await, km.km, sizeof(km.km), NULL);
	store_onem2m_km_wipe(&km);
	if (ret == -ENOENT)
		return ask_mef(maf, await, identity);
	if (ret)
		psk_await_key(await, NULL, 0, "store failed");
	return 0;
}

static void cancel(void *arg, struct psk_await *await)
{
	struct pull *p = *psk_await_owner(await);

	(void)arg;
	if (!p)
		return;
	https_call_cancel(p->call);
	free(p);
	*psk_await_owner(await) = NULL;
}

struct psk_source maf_km_pull_source(struct maf *maf)
{
	return (struct psk_source){
		.get_key = get_key,
		.cancel = cancel,
		.arg = maf,
		.max_awaited = MAF_KM_PULLS_MAX,
	};
}

/* GET /onem2m/v1/association: the Km the handshake ran on. */
static void handle(void *arg, struct gba_listener_conn *conn,
		   const struct http_request *req, const char *body)
{
	struct maf *maf = arg;
	char *text = NULL;
	int status;

	(void)req;
	(void)body;
	maf->counters.requests++;
	status = maf_association_answer(maf, gba_listener_btid(conn), &text);
	if (status == 200)
		gba_listener_answer(conn, 200, text, strlen(text));
	else
		gba_listener_refuse(conn, status, status == 403 ?
				    MAF_ERR_KM_GONE : UB_ERR_INTERNAL, NULL);
	ub_json_text_free(text);
}

int maf_km_pull_new(struct gba_listener **listener, struct maf *maf,
		    char *why, size_t why_size)
{
	const struct gba_listener_conf conf = {
		.role = ROLE,
		.refused_event = "association-refused",
		.listen = &maf->conf->listen,
		.daemon = maf->daemon,
		.path = ONEM2M_ASSOCIATION_PATH,
		.method = "GET",
		.tls12_only_suites = MAF_TLS12_SUITES,
		.arg = maf,
		.keys = maf_km_pull_source(maf),
		.handle = handle,
	};

	return gba_listener_new(listener, &conf, why, why_size);
}
