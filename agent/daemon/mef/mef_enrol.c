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

static void refuse(struct mef *mef, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *kpm_id)
{
	struct log_line line;

	mef->counters.refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "ke-refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		log_str(&line, "kpm-id", kpm_id);
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", http_exchange_remote(ex));
		log_end(&line);
	}
	http_reply_error(ex, status, token, detail);
}

static bool same_config(const struct store_onem2m_config *a,
			const struct store_onem2m_config *b)
{
	return !strcmp(a->enrolee_id, b->enrolee_id) &&
	       a->target_kind == b->target_kind &&
	       !strcmp(a->target_id, b->target_id);
}

/* The configuration of kpm_id: 0, or the answer was made. */
static int check_config(struct mef *mef, struct http_exchange *ex,
			const char *kpm_id,
			const struct onem2m_enrol_request *req,
			struct store_onem2m_ke *ke)
{
	struct store_onem2m_kpm kpm;
	int ret = store_onem2m_kpm_get(mef->daemon->store, kpm_id, &kpm);

	if (ret == -ENOENT) {
		refuse(mef, ex, 403, ONEM2M_ERR_NOT_CONFIGURED,
		       "the KpmId has no Kpm any more", kpm_id);
	} else if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Kpm: %s",
			store_strerror(ret));
		refuse(mef, ex, 500, UB_ERR_INTERNAL, NULL, kpm_id);
	} else if (!same_config(&kpm.pub.config, &req->config)) {
		refuse(mef, ex, 403, ONEM2M_ERR_NOT_CONFIGURED,
		       kpm.pub.config.target_kind == STORE_ONEM2M_MAF ?
		       "the Enrolee-ID and MAF-ID are not the ones configured for this KpmId" :
		       "the Enrolee-ID and Enrolee-B-ID are not the ones configured for this KpmId",
		       kpm_id);
		ret = -EPERM;
	} else {
		ke->pub.config = kpm.pub.config;
	}
	store_onem2m_kpm_wipe(&kpm);
	return ret;
}

/* Ke and KeId of the session into ke: 0, or the answer was made. */
static int derive(struct mef *mef, struct http_exchange *ex,
		  const char *kpm_id, struct store_onem2m_ke *ke)
{
	SSL *ssl = http_exchange_ssl(ex);
	time_t now = time(NULL);

	if (!ssl || !onem2m_tls_version_ok(ssl)) {
		refuse(mef, ex, 403, ONEM2M_ERR_WRONG_VERSION,
		       "the framework takes TLS 1.2 or DTLS 1.2", kpm_id);
		return -EPROTO;
	}
	if (onem2m_ke_export(ssl, ke->ke) ||
	    onem2m_ke_id(ke->pub.ke_id, sizeof(ke->pub.ke_id), ke->ke,
			 mef->conf->name)) {
		refuse(mef, ex, 500, UB_ERR_INTERNAL, NULL, kpm_id);
		return -EIO;
	}
	snprintf(ke->pub.kpm_id, sizeof(ke->pub.kpm_id), "%s", kpm_id);
	snprintf(ke->pub.mef, sizeof(ke->pub.mef), "%s", mef->conf->name);
	ke->pub.created = (int64_t)now;
	ke->pub.expires = (int64_t)now + mef->conf->key_lifetime;
	return 0;
}

static void answer(struct mef *mef, struct http_exchange *ex,
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
		refuse(mef, ex, 500, UB_ERR_INTERNAL, NULL, ke->pub.kpm_id);
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
		log_str(&line, "peer", http_exchange_remote(ex));
		log_end(&line);
	}
	http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

void mef_enrol_request(struct http_exchange *ex, void *arg)
{
	struct mef *mef = arg;
	const struct tls_peer *peer = http_exchange_peer(ex);
	const char *kpm_id = peer ? peer->psk_identity : "-";
	struct onem2m_enrol_request req;
	struct store_onem2m_ke ke;
	const char *body;
	char why[160];
	size_t len;
	int ret;

	memset(&ke, 0, sizeof(ke));
	http_exchange_add_header(ex, "Connection", "close");
	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(mef, ex, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "the body must be application/json", kpm_id);
		return;
	}
	body = http_exchange_body(ex, &len);
	if (!body || onem2m_enrol_request_parse(body, len, &req, why,
						sizeof(why))) {
		refuse(mef, ex, 400, UB_ERR_BAD_REQUEST,
		       body ? why : "out of memory", kpm_id);
		return;
	}
	if (check_config(mef, ex, kpm_id, &req, &ke) ||
	    derive(mef, ex, kpm_id, &ke))
		goto out;
	/* Stored before the answer: an Enrolee never holds a Ke we lack. */
	ret = store_onem2m_ke_add(mef->daemon->store, &ke);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Ke: %s",
			store_strerror(ret));
		refuse(mef, ex, 500, UB_ERR_INTERNAL, NULL, kpm_id);
		goto out;
	}
	answer(mef, ex, &ke);
out:
	store_onem2m_ke_wipe(&ke);
}
