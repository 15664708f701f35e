// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF's enrolment request, see mef_enrol.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "crypto/onem2m_tls.h"
#include "daemon/log.h"
#include "mef_enrol.h"
#include "proto/onem2m/enrol_msg.h"
#include "role_mef.h"

#define ROLE	"mef"

static void refuse(struct mef *mef, struct mef_origin *o, int status,
		   const char *token, const char *detail)
{
	const char *kpm_id = o->kpm_id;
	struct log_line line;
	char *text;

	mef->counters.refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "ke-refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		log_str(&line, "kpm-id", kpm_id);
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", o->peer);
		log_end(&line);
	}
	if (ub_error_build(token, detail, &text)) {
		o->reply(o, status, token, NULL, 0);
		return;
	}
	o->reply(o, status, token, text, strlen(text));
	ub_json_text_free(text);
}

static bool same_config(const struct store_onem2m_config *a,
			const struct store_onem2m_config *b)
{
	return !strcmp(a->enrolee_id, b->enrolee_id) &&
	       a->target_kind == b->target_kind &&
	       !strcmp(a->target_id, b->target_id);
}

/* The configuration of kpm_id: 0, or the answer was made. */
static int check_config(struct mef *mef, struct mef_origin *o,
			const struct onem2m_enrol_request *req,
			struct store_onem2m_ke *ke)
{
	struct store_onem2m_kpm kpm;
	int ret = store_onem2m_kpm_get(mef->daemon->store, o->kpm_id, &kpm);

	if (ret == -ENOENT) {
		refuse(mef, o, 403, ONEM2M_ERR_NOT_CONFIGURED,
		       "the KpmId has no Kpm any more");
	} else if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Kpm: %s",
			store_strerror(ret));
		refuse(mef, o, 500, UB_ERR_INTERNAL, NULL);
	} else if (!same_config(&kpm.pub.config, &req->config)) {
		refuse(mef, o, 403, ONEM2M_ERR_NOT_CONFIGURED,
		       kpm.pub.config.target_kind == STORE_ONEM2M_MAF ?
		       "the Enrolee-ID and MAF-ID are not the ones configured for this KpmId" :
		       "the Enrolee-ID and Enrolee-B-ID are not the ones configured for this KpmId");
		ret = -EPERM;
	} else {
		ke->pub.config = kpm.pub.config;
	}
	store_onem2m_kpm_wipe(&kpm);
	return ret;
}

/* Ke and KeId of the session into ke: 0, or the answer was made. */
static int derive(struct mef *mef, struct mef_origin *o,
		  struct store_onem2m_ke *ke)
{
	time_t now = time(NULL);

	if (!o->ssl || !onem2m_tls_version_ok(o->ssl)) {
		refuse(mef, o, 403, ONEM2M_ERR_WRONG_VERSION,
		       "the framework takes TLS 1.2 or DTLS 1.2");
		return -EPROTO;
	}
	if (onem2m_ke_export(o->ssl, ke->ke) ||
	    onem2m_ke_id(ke->pub.ke_id, sizeof(ke->pub.ke_id), ke->ke,
			 mef->conf->name)) {
		refuse(mef, o, 500, UB_ERR_INTERNAL, NULL);
		return -EIO;
	}
	snprintf(ke->pub.kpm_id, sizeof(ke->pub.kpm_id), "%s", o->kpm_id);
	snprintf(ke->pub.mef, sizeof(ke->pub.mef), "%s", mef->conf->name);
	ke->pub.created = (int64_t)now;
	ke->pub.expires = (int64_t)now + mef->conf->key_lifetime;
	return 0;
}

static void answer(struct mef *mef, struct mef_origin *o,
		   const struct store_onem2m_ke *ke)
{
	struct onem2m_enrol_response resp = {
		.expires = ke->pub.expires,
		.lifetime = (uint32_t)(ke->pub.expires - ke->pub.created),
	};
	char why[160], *text = NULL;
	struct log_line line;

	snprintf(resp.ke_id, sizeof(resp.ke_id), "%s", ke->pub.ke_id);
	if (onem2m_enrol_response_build(&resp, &text, why, sizeof(why))) {
		refuse(mef, o, 500, UB_ERR_INTERNAL, NULL);
		return;
	}
	mef->counters.issued++;
	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "ke-issued")) {
		log_str(&line, "kpm-id", ke->pub.kpm_id);
		log_str(&line, "ke-id", ke->pub.ke_id);
		log_str(&line, "enrolee-id", ke->pub.config.enrolee_id);
		log_str(&line, store_onem2m_target_name(
				       ke->pub.config.target_kind),
			ke->pub.config.target_id);
		log_int(&line, "lifetime", resp.lifetime);
		log_str(&line, "transport", o->transport);
		log_str(&line, "peer", o->peer);
		log_end(&line);
	}
	o->reply(o, 200, NULL, text, strlen(text));
	ub_json_text_free(text);
}

void mef_enrol_handle(struct mef *mef, struct mef_origin *o, bool json,
		      const char *body, size_t len)
{
	struct onem2m_enrol_request req;
	struct store_onem2m_ke ke;
	char why[160];
	int ret;

	memset(&ke, 0, sizeof(ke));
	if (!json) {
		refuse(mef, o, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "the body must be application/json");
		return;
	}
	if (!body || onem2m_enrol_request_parse(body, len, &req, why,
						sizeof(why))) {
		refuse(mef, o, 400, UB_ERR_BAD_REQUEST,
		       body ? why : "out of memory");
		return;
	}
	if (check_config(mef, o, &req, &ke) || derive(mef, o, &ke))
		goto out;
	/* Stored before the answer: an Enrolee never holds a Ke we lack. */
	ret = store_onem2m_ke_add(mef->daemon->store, &ke);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Ke: %s",
			store_strerror(ret));
		refuse(mef, o, 500, UB_ERR_INTERNAL, NULL);
		goto out;
	}
	answer(mef, o, &ke);
out:
	store_onem2m_ke_wipe(&ke);
}

struct http_origin {
	struct mef_origin o;		/* first */
	struct http_exchange *ex;
};

static void http_answer(struct mef_origin *o, int status, const char *token,
			const char *body, size_t len)
{
	struct http_exchange *ex = ((struct http_origin *)o)->ex;

	if (token)
		http_exchange_note_refusal(ex, token);
	http_reply(ex, status, body ? UB_JSON_CONTENT_TYPE : NULL, body, len);
}

void mef_enrol_request(struct http_exchange *ex, void *arg)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	struct http_origin h = {
		.o = {
			.ssl = http_exchange_ssl(ex),
			.kpm_id = peer ? peer->psk_identity : "-",
			.peer = http_exchange_remote(ex),
			.transport = "tls",
			.reply = http_answer,
		},
		.ex = ex,
	};
	const char *body;
	size_t len;

	http_exchange_add_header(ex, "Connection", "close");
	body = http_exchange_body(ex, &len);
	mef_enrol_handle(arg, &h.o,
			 http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE),
			 body, len);
}
