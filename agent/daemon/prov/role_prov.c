// SPDX-License-Identifier: GPL-2.0
/*
 * The provisioning server role: key update sessions with USIMs over
 * HTTP, see role_prov.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "net/http_server.h"
#include "net/json_error.h"
#include "proto/gba/ub_json.h"
#include "proto/keyupdate/profile_update.h"
#include "prov_admin.h"
#include "prov_creds.h"
#include "prov_hss.h"
#include "prov_metrics.h"
#include "prov_sessions.h"
#include "role_prov.h"

#define ROLE	"prov"

struct prov {
	struct daemon *daemon;
	const struct config_prov *conf;
	struct oce_credentials creds;
	struct http_server *ue;
	struct prov_hss *hss;
	unsigned long long started;	/* sessions */
	unsigned long long usim_done;	/* USIM results verified */
	unsigned long long failed;	/* sessions the USIM refused */
	unsigned long long refused;	/* requests answered with an error */
};

static void refuse(struct prov *prov, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *iccid)
{
	struct log_line line;

	prov->refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "session-refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (iccid)
			log_str(&line, "iccid", iccid);
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "remote", http_exchange_remote(ex));
		log_end(&line);
	}
	json_error_reply(ex, status, token, detail);
}

/* 200 with the next command, or done. */
static void answer(struct prov *prov, struct http_exchange *ex,
		   const struct prov_session *p, const uint8_t *apdu,
		   size_t len)
{
	struct ku_session_response *resp = calloc(1, sizeof(*resp));
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;

	if (!resp) {
		refuse(prov, ex, 500, UB_ERR_INTERNAL, "out of memory",
		       p->iccid);
		return;
	}
	memcpy(resp->session, p->id, KU_SESSION_ID_LEN);
	resp->done = !apdu;
	if (apdu) {
		memcpy(resp->c_apdu, apdu, len);
		resp->c_apdu_len = len;
	}
	if (ku_session_response_build(resp, &text, why, sizeof(why)))
		refuse(prov, ex, 500, UB_ERR_INTERNAL, why, p->iccid);
	else
		http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
	free(resp);
}

/* ---- a USIM starts ------------------------------------------------------- */

/*
 * The session rows whose UE stopped answering, older than
 * session-max-age since their last step, gone: a row otherwise lives
 * until its update ends or the same USIM starts again. At start and
 * before each new session; a store that cannot purge is logged and the
 * session goes on (the rows stay for the next try).
 */
static void purge_sessions(struct prov *prov)
{
	int64_t before = (int64_t)time(NULL) - prov->conf->session_max_age;
	int n = store_prov_session_purge(prov->daemon->store, before);
	struct log_line line;

	if (n < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "sessions-purge-failed", "%s",
			store_strerror(n));
	if (n <= 0 || !log_begin(&line, LOG_LEVEL_INFO, ROLE,
				 "sessions-purged"))
		return;
	log_int(&line, "count", n);
	log_u64(&line, "max-age", prov->conf->session_max_age);
	log_end(&line);
}

static void log_started(struct http_exchange *ex, const struct prov_session *p)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "session-started"))
		return;
	log_str(&line, "iccid", p->iccid);
	log_u64(&line, "counter", p->counter);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

/* The queued update of the ICCID, as the session's: 0 or answered. */
static int queued_update(struct prov *prov, struct http_exchange *ex,
			 const char *iccid, struct oce_update *u)
{
	int ret = prov_queued_update(prov->daemon->store, iccid, 0, u);

	if (ret == -ENOENT)
		refuse(prov, ex, 404, PROV_ERR_NO_UPDATE,
		       "no update queued for this USIM", iccid);
	else if (ret)
		refuse(prov, ex, 500, UB_ERR_INTERNAL, store_strerror(ret),
		       iccid);
	return ret;
}

static void start(struct prov *prov, struct http_exchange *ex,
		  const struct ku_session_request *req)
{
	const uint8_t *der = req->sd_cert;
	uint8_t apdu[OCE_APDU_MAX];
	char why[UB_ERROR_DETAIL_MAX + 1] = "";
	struct oce_session *oce = NULL;
	struct prov_session *p = NULL;
	struct oce_update u;
	X509 *cert;
	size_t len;
	int ret;

	purge_sessions(prov);
	if (queued_update(prov, ex, req->iccid, &u))
		return;
	cert = d2i_X509(NULL, &der, (long)req->sd_cert_len);
	if (!cert || der != req->sd_cert + req->sd_cert_len) {
		X509_free(cert);
		OPENSSL_cleanse(&u, sizeof(u));
		refuse(prov, ex, 400, UB_ERR_BAD_REQUEST,
		       "\"sd-certificate\" is not one DER certificate",
		       req->iccid);
		return;
	}
	ret = oce_session_new(&oce, &prov->creds, &u, cert, NULL, why,
			      sizeof(why));
	X509_free(cert);
	if (ret == -EKEYREJECTED || ret == -EINVAL) {
		OPENSSL_cleanse(&u, sizeof(u));
		refuse(prov, ex, 403, PROV_ERR_SD_CERT,
		       why[0] ? why : "not P-256 with ECDSA-SHA-256",
		       req->iccid);
		return;
	}
	if (!ret)
		ret = oce_session_next(oce, NULL, 0, apdu, sizeof(apdu), &len);
	if (!ret)
		ret = prov_session_new(&p, &u, oce);
	else
		oce_session_free(oce);
	/* The session has its copy of K and OPc. */
	OPENSSL_cleanse(&u, sizeof(u));
	/* Kept before the command goes out: a restart goes on from it. */
	if (!ret)
		ret = prov_session_keep(prov->daemon->store, p);
	if (ret) {
		refuse(prov, ex, 500, UB_ERR_INTERNAL, "session", req->iccid);
		prov_session_free(p);
		return;
	}
	prov->started++;
	log_started(ex, p);
	answer(prov, ex, p, apdu, len);
	prov_session_free(p);
}

/* ---- the USIM answers ---------------------------------------------------- */

static const char *refusal_detail(int err)
{
	switch (err) {
	case -EKEYREJECTED:
		return "the USIM refused our certificate";
	case -EBADMSG:
		return "receipt, R-MAC or result does not verify";
	case -ESTALE:
		return "counter not above the USIM's last";
	case -EBUSY:
		return "an update is pending at the USIM";
	case -ENOENT:
		return "not this USIM's profile";
	}
	return "a malformed or unexpected answer";
}

static void usim_refused(struct prov *prov, struct http_exchange *ex,
			 struct prov_session *p, int err)
{
	char detail[96];

	prov->failed++;
	snprintf(detail, sizeof(detail), "SW %04X: %s",
		 oce_session_sw(p->oce), refusal_detail(err));
	refuse(prov, ex, 409, PROV_ERR_REFUSED, detail, p->iccid);
}

/* The result verified: the record usim-done, then the HSS. */
static void usim_done(struct prov *prov, struct http_exchange *ex,
		      struct prov_session *p)
{
	int ret = store_prov_update_advance(prov->daemon->store, p->iccid,
					    p->counter, STORE_PROV_USIM_DONE);
	struct log_line line;

	if (ret) {
		refuse(prov, ex, 500, UB_ERR_INTERNAL, store_strerror(ret),
		       p->iccid);
		return;
	}
	prov->usim_done++;
	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "usim-done")) {
		log_str(&line, "iccid", p->iccid);
		log_str(&line, "imsi", p->imsi);
		log_u64(&line, "counter", p->counter);
		log_end(&line);
	}
	answer(prov, ex, p, NULL, 0);
	prov_hss_kick(prov->hss);
}

/* The session of the request, from the store: NULL when answered. */
static struct prov_session *load(struct prov *prov, struct http_exchange *ex,
				 const struct ku_session_request *req)
{
	struct prov_session *p;
	int ret = prov_session_load(&p, prov->daemon->store, &prov->creds,
				    req->session);

	if (ret == -ENOENT)
		refuse(prov, ex, 404, PROV_ERR_NO_SESSION, NULL, NULL);
	else if (ret)
		refuse(prov, ex, 500, UB_ERR_INTERNAL, store_strerror(ret),
		       NULL);
	return ret ? NULL : p;
}

static void next(struct prov *prov, struct http_exchange *ex,
		 const struct ku_session_request *req)
{
	struct prov_session *p = load(prov, ex, req);
	struct store *store = prov->daemon->store;
	uint8_t apdu[OCE_APDU_MAX];
	size_t len;
	int ret;

	if (!p)
		return;
	ret = oce_session_next(p->oce, req->r_apdu, req->r_apdu_len, apdu,
			       sizeof(apdu), &len);
	if (!ret) {
		/* Kept before the command goes out: a restart goes on. */
		ret = prov_session_keep(store, p);
		if (!ret) {
			answer(prov, ex, p, apdu, len);
			prov_session_free(p);
			return;
		}
		refuse(prov, ex, 500, UB_ERR_INTERNAL, store_strerror(ret),
		       p->iccid);
	} else if (ret == 1) {
		usim_done(prov, ex, p);
	} else {
		usim_refused(prov, ex, p, ret);
	}
	/* Done, refused or not kept: the session is over. */
	prov_session_end(store, p);
}

static void session(struct http_exchange *ex, void *arg)
{
	struct prov *prov = arg;
	struct ku_session_request *req;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body;
	size_t len;

	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(prov, ex, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return;
	}
	body = http_exchange_body(ex, &len);
	req = malloc(sizeof(*req));
	if (!body || !req) {
		free(req);
		refuse(prov, ex, 500, UB_ERR_INTERNAL, "out of memory", NULL);
		return;
	}
	if (ku_session_request_parse(body, len, req, why, sizeof(why)))
		refuse(prov, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
	else if (req->kind == KU_SESSION_START)
		start(prov, ex, req);
	else
		next(prov, ex, req);
	free(req);
}

/* ---- the role ------------------------------------------------------------ */

static int prov_start(struct daemon *daemon, void **state)
{
	struct prov *prov = calloc(1, sizeof(*prov));
	struct http_server_conf conf = {
		.role = ROLE,
		.name = "ue",
		.tls = NULL,		/* SCP11a protects the session */
		.max_body = UB_JSON_MAX,
		.limits = &daemon->config->listeners,
		.error = json_error_reply,
	};
	char why[256] = "";
	int ret;

	if (!prov)
		return -ENOMEM;
	prov->daemon = daemon;
	prov->conf = config_prov(daemon->config);
	conf.listen = &prov->conf->listen;
	ret = prov_creds_load(&prov->creds, prov->conf, why, sizeof(why));
	if (!ret)
		ret = http_server_new(&prov->ue, daemon->base, &conf, why,
				      sizeof(why));
	if (!ret)
		ret = http_server_route(prov->ue, KU_SESSION_PATH,
					EVHTTP_REQ_POST, session, prov);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			why[0] ? why : strerror(-ret));
	else
		ret = prov_hss_new(&prov->hss, daemon, prov->conf);
	if (!ret)
		purge_sessions(prov);
	if (ret) {
		http_server_free(prov->ue);
		prov_creds_free(&prov->creds);
		free(prov);
		return ret;
	}
	*state = prov;
	return 0;
}

static void prov_stop(void *state)
{
	struct prov *prov = state;

	http_server_stop(prov->ue);
	prov_hss_stop(prov->hss);
}

static bool prov_busy(void *state)
{
	struct prov *prov = state;

	return http_server_busy(prov->ue) || prov_hss_busy(prov->hss);
}

static const char *prov_restart_key(const struct config *old,
				    const struct config *new_config)
{
	const struct config_prov *a = config_prov(old);
	const struct config_prov *b = config_prov(new_config);

	if (strcmp(a->listen.text, b->listen.text))
		return "roles.prov.listen";
	/* The credentials are read at start only. */
	if (strcmp(a->certificate.path, b->certificate.path) ||
	    strcmp(a->private_key.path, b->private_key.path) ||
	    strcmp(a->usim_ca.path, b->usim_ca.path))
		return "roles.prov.certificate, private-key, usim-ca";
	return NULL;
}

static void prov_reload(void *state, const struct config *new_config)
{
	struct prov *prov = state;

	prov->conf = config_prov(new_config);
	prov_hss_reload(prov->hss, prov->conf);
}

static size_t prov_listeners(void *state, struct role_listener *out,
			     size_t max)
{
	struct prov *prov = state;

	if (!max)
		return 0;
	out[0] = (struct role_listener){ "ue", http_server_address(prov->ue) };
	return 1;
}

static int prov_status(void *state, json_t *obj)
{
	struct prov *prov = state;
	int open = store_prov_session_count(prov->daemon->store);
	json_t *counters = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
		"requests", (json_int_t)http_server_requests(prov->ue),
		"sessions", (json_int_t)prov->started,
		/* Kept in the store: -1 when it cannot say. */
		"sessions-open", (json_int_t)(open < 0 ? -1 : open),
		"usim-done", (json_int_t)prov->usim_done,
		"usim-refused", (json_int_t)prov->failed,
		"refused", (json_int_t)prov->refused);

	if (counters && prov_hss_status(prov->hss, counters)) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void prov_metrics(void *state, struct prom_text *text)
{
	struct prov *prov = state;
	struct prov_metrics m = { .failed = prov->failed };

	/* A store that cannot be read leaves the gauge out. */
	prov_metrics_count(prov->daemon->store, &m);
	m.hss = *prov_hss_counts(prov->hss);
	m.retry_delay = prov_hss_retry_delay(prov->hss);
	prov_metrics_write(text, &m);
}

static void prov_free(void *state)
{
	struct prov *prov = state;

	if (!prov)
		return;
	http_server_free(prov->ue);
	prov_hss_free(prov->hss);
	prov_creds_free(&prov->creds);
	free(prov);
}

static const char *const prov_refusal_tokens[] = {
	PROV_ERR_SD_CERT, PROV_ERR_NO_UPDATE, PROV_ERR_NO_SESSION,
	PROV_ERR_REFUSED, NULL,
};

const struct role_ops role_prov = {
	.name = ROLE,
	.parse_config = prov_config_parse,
	.free_config = prov_config_free,
	.config_listens = prov_config_listens,
	.store_keeps = "key updates",
	.needs_tls = true,
	.admin_commands = prov_admin_commands,
	.refusal_tokens = prov_refusal_tokens,
	.metrics = prov_metrics,
	.start = prov_start,
	.stop = prov_stop,
	.busy = prov_busy,
	.restart_key = prov_restart_key,
	.reload = prov_reload,
	.listeners = prov_listeners,
	.status = prov_status,
	.free = prov_free,
};
