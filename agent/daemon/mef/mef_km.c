// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF's Km answer to a MAF and Kpsa answer to an Enrolee B, see
 * mef_km.h: one exchange, two kinds of target.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "daemon/log.h"
#include "daemon/peer_list.h"
#include "mef_km.h"
#include "mef_km_id.h"
#include "net/tls.h"
#include "proto/onem2m/enrol_msg.h"
#include "proto/onem2m/km_msg.h"
#include "role_mef.h"

#define ROLE	"mef"

/* What differs between Km for a MAF and Kpsa for an Enrolee B. */
struct key_kind {
	enum store_onem2m_target target;
	const char *clients_name;	/* of the config key, for refusals */
	const char *empty_detail;
	const char *issued, *refused;	/* log events */
	const char *target_log;		/* log key of the target's id */
	const char *not_configured;
	int (*derive)(uint8_t key[ONEM2M_KEY_LEN],
		      const uint8_t ke[ONEM2M_KEY_LEN], const char *target_id,
		      const char *enrolee_id);
	int (*build)(const struct onem2m_km_response *resp, char **text,
		     char *why, size_t why_size);
};

static const struct key_kind km_kind = {
	.target = STORE_ONEM2M_MAF,
	.clients_name = "client not in mef.maf-clients",
	.empty_detail = "mef.maf-clients is empty",
	.issued = "km-issued",
	.refused = "km-refused",
	.target_log = "maf",
	.not_configured = "the Ke was not configured for this Enrolee-ID and a MAF-ID of this client",
	.derive = onem2m_km,
	.build = onem2m_km_response_build,
};

static const struct key_kind kpsa_kind = {
	.target = STORE_ONEM2M_ENROLEE_B,
	.clients_name = "client not in mef.enrolee-b-clients",
	.empty_detail = "mef.enrolee-b-clients is empty",
	.issued = "kpsa-issued",
	.refused = "kpsa-refused",
	.target_log = "enrolee-b",
	.not_configured = "the Ke was not configured for this Enrolee-ID and an Enrolee-B-ID of this client",
	.derive = onem2m_kpsa,
	.build = onem2m_kpsa_response_build,
};

struct km_exchange {
	const struct key_kind *kind;
	struct mef *mef;
	struct http_exchange *ex;
	const struct tls_peer *peer;	/* NULL: no certificate seen */
	struct onem2m_km_request req;	/* "" until parsed */
};

static const char *peer_name(const struct km_exchange *k)
{
	return k->peer ? tls_peer_name(k->peer) : "-";
}

static void refuse(struct km_exchange *k, int status, const char *token,
		   const char *detail)
{
	struct log_line line;
	char *text;

	if (k->kind == &km_kind)
		k->mef->counters.km_refused++;
	else
		k->mef->counters.kpsa_refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, k->kind->refused)) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (k->req.ke_id[0])
			log_str(&line, "ke-id", k->req.ke_id);
		if (k->req.enrolee_id[0])
			log_str(&line, "enrolee-id", k->req.enrolee_id);
		if (k->req.km_id[0])
			log_str(&line, "km-id", k->req.km_id);
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", peer_name(k));
		log_end(&line);
	}
	http_exchange_note_refusal(k->ex, token);
	if (ub_error_build(token, detail, &text)) {
		http_reply(k->ex, status, NULL, NULL, 0);
		return;
	}
	http_reply(k->ex, status, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

/* The clients of k's kind: maf-clients or enrolee-b-clients. */
static const struct config_names *clients(const struct km_exchange *k)
{
	return k->kind == &km_kind ? &k->mef->conf->maf_clients :
	       &k->mef->conf->enrolee_b_clients;
}

/* The request of a listed client into k->req: 0, or the answer was made. */
static int read_request(struct km_exchange *k)
{
	const char *body;
	char why[160];
	size_t len;

	if (!clients(k)->count) {
		refuse(k, 403, ONEM2M_ERR_FORBIDDEN, k->kind->empty_detail);
		return -EPERM;
	}
	if (!peer_listed(clients(k), k->peer)) {
		refuse(k, 403, ONEM2M_ERR_FORBIDDEN, k->kind->clients_name);
		return -EPERM;
	}
	if (!http_exchange_content_type_is(k->ex, UB_JSON_CONTENT_TYPE)) {
		refuse(k, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "the body must be application/json");
		return -EINVAL;
	}
	body = http_exchange_body(k->ex, &len);
	if (!body) {
		refuse(k, 500, UB_ERR_INTERNAL, "out of memory");
		return -ENOMEM;
	}
	if (onem2m_km_request_parse(body, len, &k->req, why, sizeof(why))) {
		refuse(k, 400, UB_ERR_BAD_REQUEST, why);
		return -EINVAL;
	}
	if (k->req.km_id[0] && k->kind != &km_kind) {
		refuse(k, 400, UB_ERR_BAD_REQUEST,
		       "\"km-id\" is for " ONEM2M_KM_PATH " only");
		return -EINVAL;
	}
	return 0;
}

/* A store failure: logged, 500. */
static int store_failed(struct km_exchange *k, int ret)
{
	log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Ke: %s",
		store_strerror(ret));
	refuse(k, 500, UB_ERR_INTERNAL, NULL);
	return ret;
}

static int check_expiry(struct km_exchange *k,
			const struct store_onem2m_ke *ke)
{
	if (ke->pub.expires <= (int64_t)time(NULL)) {
		refuse(k, 404, ONEM2M_ERR_EXPIRED_KE, NULL);
		return -ETIME;
	}
	return 0;
}

/*
 * The Ke of the request's Km-Id among this MAF's (mef_km_id.h): its
 * configuration is this MAF's by the search, so only its life is left.
 */
static int find_ke(struct km_exchange *k, struct store_onem2m_ke *ke)
{
	int ret = mef_km_id_find(k->mef->daemon->store, k->peer,
				 k->req.km_id, ke);

	if (ret == -ENOENT) {
		refuse(k, 404, ONEM2M_ERR_UNKNOWN_KM_ID,
		       "no Ke configured for a MAF-ID of this client gives "
		       "this Km-Id");
		return ret;
	}
	if (ret)
		return store_failed(k, ret);
	return check_expiry(k, ke);
}

/* The Ke of the request, checked against its configuration. */
static int check_ke(struct km_exchange *k, struct store_onem2m_ke *ke)
{
	const struct store_onem2m_config *c = &ke->pub.config;
	int ret = store_onem2m_ke_get(k->mef->daemon->store, k->req.ke_id, ke);

	if (ret == -ENOENT) {
		refuse(k, 404, ONEM2M_ERR_UNKNOWN_KE, NULL);
		return ret;
	}
	if (ret)
		return store_failed(k, ret);
	if (check_expiry(k, ke))
		return -ETIME;
	if (c->target_kind != k->kind->target ||
	    strcmp(c->enrolee_id, k->req.enrolee_id) ||
	    !tls_peer_is(k->peer, c->target_id)) {
		refuse(k, 403, ONEM2M_ERR_NOT_CONFIGURED,
		       k->kind->not_configured);
		return -EPERM;
	}
	return 0;
}

static void answer(struct km_exchange *k, const struct store_onem2m_ke *ke)
{
	struct onem2m_km_response resp = { .expires = ke->pub.expires };
	char why[160], *text = NULL;
	struct log_line line;

	/* Asked by Km-Id: the MAF learns what the Km is of. */
	if (k->req.km_id[0]) {
		strcpy(resp.ke_id, ke->pub.ke_id);
		strcpy(resp.enrolee_id, ke->pub.config.enrolee_id);
	}
	if (k->kind->derive(resp.km, ke->ke, ke->pub.config.target_id,
			    ke->pub.config.enrolee_id) ||
	    k->kind->build(&resp, &text, why, sizeof(why))) {
		OPENSSL_cleanse(&resp, sizeof(resp));
		refuse(k, 500, UB_ERR_INTERNAL, NULL);
		return;
	}
	OPENSSL_cleanse(&resp, sizeof(resp));
	if (k->kind == &km_kind)
		k->mef->counters.km_issued++;
	else
		k->mef->counters.kpsa_issued++;
	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, k->kind->issued)) {
		log_str(&line, "ke-id", ke->pub.ke_id);
		log_str(&line, "enrolee-id", ke->pub.config.enrolee_id);
		log_str(&line, k->kind->target_log, ke->pub.config.target_id);
		if (k->req.km_id[0])
			log_str(&line, "km-id", k->req.km_id);
		log_str(&line, "peer", peer_name(k));
		log_end(&line);
	}
	http_reply(k->ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

static void key_request(const struct key_kind *kind,
			struct http_exchange *ex, struct mef *mef)
{
	struct km_exchange k = {
		.kind = kind,
		.mef = mef,
		.ex = ex,
		.peer = http_exchange_peer(ex),
	};
	struct store_onem2m_ke ke;

	memset(&ke, 0, sizeof(ke));
	if (!read_request(&k) &&
	    !(k.req.km_id[0] ? find_ke(&k, &ke) : check_ke(&k, &ke)))
		answer(&k, &ke);
	store_onem2m_ke_wipe(&ke);
}

void mef_km_request(struct http_exchange *ex, void *arg)
{
	key_request(&km_kind, ex, arg);
}

void mef_kpsa_request(struct http_exchange *ex, void *arg)
{
	key_request(&kpsa_kind, ex, arg);
}
