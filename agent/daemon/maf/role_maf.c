// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF role: its life, the Km lookup of the Enrolees' handshakes and
 * the association route, see role_maf.h. The fetch is maf_fetch.c's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "daemon/log.h"
#include "maf_dtls.h"
#include "maf_fetch.h"
#include "maf_gba.h"
#include "maf_gba_dtls.h"
#include "maf_handoff.h"
#include "maf_km_pull.h"
#include "maf_metrics.h"
#include "net/json_error.h"
#include "net/tls.h"
#include "proto/gba/ub_json.h"
#include "role_maf.h"
#include "util/json_field.h"

#define ROLE	"maf"


struct maf *maf_running(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_roles; i++)
		if (d->roles[i].ops == &role_maf)
			return d->roles[i].state;
	return NULL;
}

int maf_km_find(struct maf *maf, const char *km_id,
		struct store_onem2m_km *km)
{
	int ret;

	if (!onem2m_key_id_valid(km_id)) {
		memset(km, 0, sizeof(*km));
		return -ENOENT;
	}
	ret = store_onem2m_km_get(maf->daemon->store, km_id,
				  (int64_t)time(NULL), km);
	if (ret && ret != -ENOENT)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Km: %s",
			store_strerror(ret));
	return ret;
}

int maf_km_lookup(void *arg, const char *identity,
		  uint8_t key[TLS_PSK_KEY_MAX], size_t *len)
{
	struct maf *maf = arg;
	struct store_onem2m_km km;
	int ret;

	*len = 0;
	maf->counters.km_lookups++;
	ret = maf_km_find(maf, identity, &km);
	if (!ret) {
		memcpy(key, km.km, sizeof(km.km));
		*len = sizeof(km.km);
	}
	store_onem2m_km_wipe(&km);
	return ret;
}

int maf_key_id(const struct maf *maf, char *id, size_t size,
	       const uint8_t key[ONEM2M_KEY_LEN])
{
	if (maf->conf->as == MAF_AS_ENROLEE_B)
		return onem2m_kpsa_id(id, size, key, maf->conf->name);
	return onem2m_km_id(id, size, key, maf->conf->name);
}

const char *maf_key_id_name(const struct maf *maf)
{
	return maf->conf->as == MAF_AS_ENROLEE_B ? "kpsa-id" : "km-id";
}

static int association_text(const struct maf *maf,
			    const struct store_onem2m_km_info *km, char **text)
{
	struct json_builder b;
	char why[160];

	if (json_builder_init(&b, why, sizeof(why)))
		return -ENOMEM;
	json_builder_string(&b, maf_key_id_name(maf), km->km_id);
	json_builder_string(&b, "enrolee-id", km->enrolee_id);
	json_builder_string(&b, "ke-id", km->ke_id);
	return json_builder_finish(&b, text) ? -ENOMEM : 0;
}

int maf_association_answer(struct maf *maf, const char *km_id, char **text)
{
	struct store_onem2m_km km;
	int ret;

	*text = NULL;
	/* Expired since the handshake: the association is over. */
	if (!km_id || maf_km_find(maf, km_id, &km))
		return 403;
	ret = association_text(maf, &km.pub, text);
	store_onem2m_km_wipe(&km);
	return ret ? 500 : 200;
}

/* GET /onem2m/v1/association: the Km the session runs on. */
static void association(struct http_exchange *ex, void *arg)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	char *text = NULL;
	int status = maf_association_answer(arg, peer ? peer->psk_identity :
						 NULL, &text);

	http_exchange_add_header(ex, "Connection", "close");
	if (status == 200)
		http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	else
		http_reply_error(ex, status, status == 403 ? MAF_ERR_KM_GONE :
				 UB_ERR_INTERNAL, NULL);
	ub_json_text_free(text);
}

/*
 * Purges the expired Kms, and renews handoff's keyring when due: at
 * start, then every MAF_PURGE_SECONDS.
 */
static void purge(evutil_socket_t fd, short what, void *arg)
{
	struct maf *maf = arg;
	int ret;

	(void)fd;
	(void)what;
	ret = store_onem2m_km_purge(maf->daemon->store, (int64_t)time(NULL));
	if (ret > 0)
		log_msg(LOG_LEVEL_INFO, ROLE, "kms-purged",
			"%d expired Kms removed", ret);
	else if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging Kms: %s", store_strerror(ret));
	maf_handoff_renew(maf, (int64_t)time(NULL));
}

static int start_timer(struct maf *maf)
{
	struct timeval every = { MAF_PURGE_SECONDS, 0 };

	purge(-1, 0, maf);
	maf->timer = event_new(maf->daemon->base, -1, EV_PERSIST, purge, maf);
	if (!maf->timer || event_add(maf->timer, &every))
		return -ENOMEM;
	return 0;
}

static int start_servers(struct maf *maf, char *why, size_t why_size)
{
	struct tls_psk_conf psk = {
		.lookup = maf_km_lookup,
		.arg = maf,
		.tls12_only_suites = MAF_TLS12_SUITES,
	};
	struct http_server_conf enrolees = {
		.role = ROLE,
		.name = "enrolees",
		.listen = &maf->conf->listen,
		.max_body = UB_JSON_MAX,
		.limits = &maf->daemon->config->listeners,
		.error = json_error_reply,
	};
	int ret = tls_psk_new(&maf->psk, &psk, why, why_size);

	enrolees.psk = maf->psk;
	/* With km-pull, listen is the pausing loop's (maf_km_pull.h). */
	if (!ret && maf->conf->km_pull)
		ret = maf_km_pull_new(&maf->pull, maf, why, why_size);
	else if (!ret)
		ret = http_server_new(&maf->enrolees, maf->daemon->base,
				      &enrolees, why, why_size);
	if (!ret && !maf->conf->km_pull)
		ret = http_server_route(maf->enrolees, ONEM2M_ASSOCIATION_PATH,
					EVHTTP_REQ_GET, association, maf);
	if (!ret && maf->conf->mef_url.text)
		ret = https_client_new(&maf->mef, maf->daemon->base,
				       maf->daemon->tls, &maf->conf->mef_url,
				       0);
	if (!ret && maf->conf->zn_url.text)
		ret = https_client_new(&maf->zn, maf->daemon->base,
				       maf->daemon->tls, &maf->conf->zn_url, 0);
	if (!ret && maf->conf->dtls_listen.line)
		ret = maf_dtls_new(&maf->dtls, maf, why, why_size);
	if (!ret && maf->conf->gba_listen.line)
		ret = maf_gba_new(&maf->gba, maf, why, why_size);
	if (!ret && maf->conf->gba_dtls_listen.line)
		ret = maf_gba_dtls_new(&maf->gba_dtls, maf, why, why_size);
	if (!ret)
		ret = start_timer(maf);
	return ret;
}

static void maf_free(void *state);

static int maf_start(struct daemon *daemon, void **state)
{
	struct maf *maf = calloc(1, sizeof(*maf));
	char why[256] = "out of memory";
	int ret;

	if (!maf)
		return -ENOMEM;
	maf->daemon = daemon;
	maf->conf = config_maf(daemon->config);
	ret = start_servers(maf, why, sizeof(why));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			ret == -ENOMEM ? strerror(-ret) : why);
		maf_free(maf);
		return ret;
	}
	/* The rows kept across the restart: the keyring may be new. */
	maf_handoff_restore(maf);
	*state = maf;
	return 0;
}

static void maf_stop(void *state)
{
	struct maf *maf = state;

	if (maf->enrolees)
		http_server_stop(maf->enrolees);
	gba_listener_stop(maf->pull);
	gba_listener_stop(maf->gba);
}

static bool maf_busy(void *state)
{
	struct maf *maf = state;

	return (maf->enrolees && http_server_busy(maf->enrolees)) ||
	       gba_listener_busy(maf->pull) || gba_listener_busy(maf->gba);
}

static const char *maf_restart_key(const struct config *old,
				   const struct config *new_config)
{
	const struct config_maf *a = config_maf(old);
	const struct config_maf *b = config_maf(new_config);

	if (strcmp(a->listen.text, b->listen.text))
		return "roles.maf.listen";
	if (strcmp(a->dtls_listen.text, b->dtls_listen.text))
		return "roles.maf.dtls-listen";
	if (a->dtls_sessions != b->dtls_sessions)
		return "roles.maf.dtls-sessions";
	if (strcmp(a->gba_listen.text, b->gba_listen.text))
		return "roles.maf.gba-listen";
	if (strcmp(a->gba_dtls_listen.text, b->gba_dtls_listen.text))
		return "roles.maf.gba-dtls-listen";
	if (a->km_pull != b->km_pull)
		return "roles.maf.km-pull";
	/* The keys held were handed to the old uid: a start hands them. */
	if (!a->handoff.line != !b->handoff.line ||
	    a->handoff.uid != b->handoff.uid ||
	    a->handoff.gid != b->handoff.gid)
		return "roles.maf.handoff";
	/* The keys held are Kms or Kpsas: the other kind needs a restart. */
	if (a->as != b->as)
		return "roles.maf.as";
	/* The clients are made at the start: one added or gone restarts. */
	if (!a->mef_url.text != !b->mef_url.text)
		return "roles.maf.mef-url";
	if (!a->zn_url.text != !b->zn_url.text)
		return "roles.maf.zn-url";
	return NULL;
}

static void maf_reload(void *state, const struct config *new_config)
{
	struct maf *maf = state;

	maf->conf = config_maf(new_config);
	if (maf->mef)
		https_client_set_url(maf->mef, &maf->conf->mef_url);
	if (maf->zn)
		https_client_set_url(maf->zn, &maf->conf->zn_url);
}

static size_t maf_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct maf *maf = state;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_listener){
			"enrolees", maf->pull ? gba_listener_address(maf->pull) :
				    http_server_address(maf->enrolees)
		};
	if (maf->dtls && n < max)
		out[n++] = (struct role_listener){
			"dtls", dtls_server_address(maf->dtls)
		};
	if (maf->gba && n < max)
		out[n++] = (struct role_listener){
			"gba", gba_listener_address(maf->gba)
		};
	if (maf->gba_dtls && n < max)
		out[n++] = (struct role_listener){
			"gba-dtls",
			dtls_server_address(maf_gba_dtls_server(maf->gba_dtls))
		};
	return n;
}

/* Live Kms in the store; -1 when it cannot say (logged). */
static int kms_live(struct maf *maf)
{
	int n = store_onem2m_km_count(maf->daemon->store, (int64_t)time(NULL));

	if (n < 0) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "counting Kms: %s",
			store_strerror(n));
		return -1;
	}
	return n;
}

static int maf_status(void *state, json_t *obj)
{
	struct maf *maf = state;
	const struct maf_counters *c = &maf->counters;
	/* Both DTLS listeners' sessions and refusals for want of room. */
	struct dtls_server *gba_dtls = maf_gba_dtls_server(maf->gba_dtls);
	/*
	 * Datagrams dropped while a session paused for its key: km-pull's
	 * on dtls-listen, and gba-dtls-listen's (Zn).
	 */
	unsigned long long held_back = dtls_server_held_back(maf->dtls) +
				       dtls_server_held_back(gba_dtls);
	bool pausing_dtls = (maf->pull && maf->dtls) || gba_dtls;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"requests", (json_int_t)(c->requests +
			(maf->pull ? 0 : http_server_requests(maf->enrolees))),
		"km-lookups", (json_int_t)c->km_lookups,
		"fetched", (json_int_t)c->fetched,
		"fetch-failed", (json_int_t)c->fetch_failed,
		"kms", (json_int_t)kms_live(maf),
		"dtls-sessions", (json_int_t)(dtls_server_sessions(maf->dtls) +
					      dtls_server_sessions(gba_dtls)),
		"dtls-dropped", (json_int_t)(dtls_server_dropped(maf->dtls) +
					     dtls_server_dropped(gba_dtls)));

	if (counters && maf->pull &&
	    json_object_set_new(counters, "km-pulls",
				json_integer((json_int_t)c->km_pulls))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (counters && pausing_dtls &&
	    json_object_set_new(counters, "dtls-held-back",
				json_integer((json_int_t)held_back))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (counters && maf->conf->handoff.line &&
	    (json_object_set_new(counters, "handed",
				 json_integer((json_int_t)c->handed)) ||
	     json_object_set_new(counters, "handoff-failed",
				 json_integer((json_int_t)c->handoff_failed)) ||
	     json_object_set_new(counters, "keyring-renewals",
				 json_integer((json_int_t)c->keyring_renewals)))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (counters && (maf->gba || maf->gba_dtls) &&
	    (json_object_set_new(counters, "gba-handshakes",
				 json_integer((json_int_t)c->gba_handshakes)) ||
	     json_object_set_new(counters, "gba-pulls",
				 json_integer((json_int_t)c->gba_pulls)))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void maf_free(void *state)
{
	struct maf *maf = state;

	if (!maf)
		return;
	gba_listener_free(maf->gba);
	gba_listener_free(maf->pull);
	dtls_server_free(maf->dtls);	/* its paused pulls use maf->mef */
	maf_gba_dtls_free(maf->gba_dtls);	/* and these maf->zn */
	maf_fetch_cancel_all(maf);
	https_client_free(maf->mef);
	https_client_free(maf->zn);
	http_server_free(maf->enrolees);
	tls_psk_free(maf->psk);
	if (maf->timer)
		event_free(maf->timer);
	OPENSSL_cleanse(maf, sizeof(*maf));
	free(maf);
}

static const char *const refusal_tokens[] = { MAF_ERR_KM_GONE, NULL };

const struct role_ops role_maf = {
	.name = ROLE,
	.parse_config = maf_config_parse,
	.free_config = maf_config_free,
	.config_listens = maf_config_listens,
	.needs_tls = true,
	.store_keeps = "the MAF's Kms",
	.admin_commands = maf_admin_commands,
	.refusal_tokens = refusal_tokens,
	.start = maf_start,
	.stop = maf_stop,
	.busy = maf_busy,
	.restart_key = maf_restart_key,
	.reload = maf_reload,
	.listeners = maf_listeners,
	.status = maf_status,
	.metrics = maf_metrics,
	.free = maf_free,
};
