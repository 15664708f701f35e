// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF role: its life and the Kpm lookup of the handshake, see
 * role_mef.h. The enrolment itself is mef_enrol.c's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/log.h"
#include "mef_admin.h"
#include "mef_dtls.h"
#include "mef_enrol.h"
#include "mef_km.h"
#include "net/json_error.h"
#include "proto/onem2m/enrol_msg.h"
#include "proto/onem2m/km_msg.h"
#include "role_mef.h"

#define ROLE	"mef"

int mef_kpm_lookup(void *arg, const char *identity,
		      uint8_t key[TLS_PSK_KEY_MAX], size_t *len)
{
	struct mef *mef = arg;
	struct store_onem2m_kpm kpm;
	int ret;

	*len = 0;
	mef->counters.kpm_lookups++;
	if (!store_onem2m_id_valid(identity))
		return -ENOENT;
	ret = store_onem2m_kpm_get(mef->daemon->store, identity, &kpm);
	if (!ret) {
		memcpy(key, kpm.kpm, sizeof(kpm.kpm));
		*len = sizeof(kpm.kpm);
	} else if (ret != -ENOENT) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed", "Kpm: %s",
			store_strerror(ret));
	}
	store_onem2m_kpm_wipe(&kpm);
	return ret;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct mef *mef = arg;
	int ret;

	(void)fd;
	(void)what;
	ret = store_onem2m_ke_purge(mef->daemon->store, (int64_t)time(NULL));
	if (ret > 0)
		log_msg(LOG_LEVEL_INFO, ROLE, "kes-purged",
			"%d expired Kes removed", ret);
	else if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging Kes: %s", store_strerror(ret));
}

/* The MAFs' mutual TLS listener of km-listen, when configured. */
static int start_km_server(struct mef *mef, char *why, size_t why_size)
{
	struct http_server_conf mafs = {
		.role = ROLE,
		.name = "mafs",
		.listen = &mef->conf->km_listen,
		.tls = mef->daemon->tls,
		.max_body = UB_JSON_MAX,
		.limits = &mef->daemon->config->listeners,
		.error = json_error_reply,
	};
	int ret;

	if (!mef->conf->km_listen.line)
		return 0;
	if (!mef->daemon->tls) {
		snprintf(why, why_size,
			 "km-listen needs a tls section (the MAFs use mutual TLS)");
		return -EINVAL;
	}
	if (!mef->conf->maf_clients.count)
		log_msg(LOG_LEVEL_WARNING, ROLE, "no-maf-clients",
			"mef.maf-clients is empty: every Km request is refused");
	ret = http_server_new(&mef->mafs, mef->daemon->base, &mafs, why,
			      why_size);
	if (!ret)
		ret = http_server_route(mef->mafs, ONEM2M_KM_PATH,
					EVHTTP_REQ_POST, mef_km_request, mef);
	if (!ret)
		ret = http_server_route(mef->mafs, ONEM2M_KPSA_PATH,
					EVHTTP_REQ_POST, mef_kpsa_request,
					mef);
	return ret;
}

static int start_server(struct mef *mef, char *why, size_t why_size)
{
	struct tls_psk_conf psk = {
		.lookup = mef_kpm_lookup,
		.arg = mef,
		.tls12_only_suites = MEF_TLS12_SUITES,
	};
	struct http_server_conf enrolees = {
		.role = ROLE,
		.name = "enrolees",
		.listen = &mef->conf->listen,
		.max_body = UB_JSON_MAX,
		.limits = &mef->daemon->config->listeners,
		.error = json_error_reply,
	};
	struct timeval every = { MEF_TIMER_SECONDS, 0 };
	int ret = tls_psk_new(&mef->psk, &psk, why, why_size);

	enrolees.psk = mef->psk;
	if (!ret)
		ret = http_server_new(&mef->enrolees, mef->daemon->base,
				      &enrolees, why, why_size);
	if (!ret)
		ret = http_server_route(mef->enrolees, ONEM2M_ENROL_PATH,
					EVHTTP_REQ_POST, mef_enrol_request,
					mef);
	if (!ret && mef->conf->dtls_listen.line)
		ret = mef_dtls_new(&mef->dtls, mef, why, why_size);
	if (!ret)
		ret = start_km_server(mef, why, why_size);
	if (!ret) {
		mef->timer = event_new(mef->daemon->base, -1, EV_PERSIST,
				       tick, mef);
		if (!mef->timer || event_add(mef->timer, &every))
			ret = -ENOMEM;
	}
	return ret;
}

static void mef_free(void *state);

static int mef_start(struct daemon *daemon, void **state)
{
	struct mef *mef = calloc(1, sizeof(*mef));
	char why[256] = "out of memory";
	int ret;

	if (!mef)
		return -ENOMEM;
	mef->daemon = daemon;
	mef->conf = config_mef(daemon->config);
	ret = start_server(mef, why, sizeof(why));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			ret == -ENOMEM ? strerror(-ret) : why);
		mef_free(mef);
		return ret;
	}
	*state = mef;
	return 0;
}

static void mef_stop(void *state)
{
	struct mef *mef = state;

	http_server_stop(mef->enrolees);
	if (mef->mafs)
		http_server_stop(mef->mafs);
}

static bool mef_busy(void *state)
{
	struct mef *mef = state;

	return http_server_busy(mef->enrolees) ||
	       (mef->mafs && http_server_busy(mef->mafs));
}

static const char *mef_restart_key(const struct config *old,
				   const struct config *new_config)
{
	const struct config_mef *a = config_mef(old);
	const struct config_mef *b = config_mef(new_config);

	if (strcmp(a->listen.text, b->listen.text))
		return "roles.mef.listen";
	if (strcmp(a->dtls_listen.text, b->dtls_listen.text))
		return "roles.mef.dtls-listen";
	if (a->dtls_sessions != b->dtls_sessions)
		return "roles.mef.dtls-sessions";
	if (strcmp(a->km_listen.text, b->km_listen.text))
		return "roles.mef.km-listen";
	return NULL;
}

static void mef_reload(void *state, const struct config *new_config)
{
	struct mef *mef = state;

	mef->conf = config_mef(new_config);
}

static size_t mef_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct mef *mef = state;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_listener){
			"enrolees", http_server_address(mef->enrolees)
		};
	if (mef->dtls && n < max)
		out[n++] = (struct role_listener){
			"dtls", dtls_server_address(mef->dtls)
		};
	if (mef->mafs && n < max)
		out[n++] = (struct role_listener){
			"mafs", http_server_address(mef->mafs)
		};
	return n;
}

static int mef_status(void *state, json_t *obj)
{
	struct mef *mef = state;
	const struct mef_counters *c = &mef->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I}",
		"requests", (json_int_t)http_server_requests(mef->enrolees),
		"kpm-lookups", (json_int_t)c->kpm_lookups,
		"issued", (json_int_t)c->issued,
		"refused", (json_int_t)c->refused,
		"dtls-sessions", (json_int_t)dtls_server_sessions(mef->dtls),
		"dtls-dropped", (json_int_t)dtls_server_dropped(mef->dtls));

	/* Only with km-listen: the status line of an MEF without is kept. */
	if (counters && mef->mafs &&
	    (json_object_set_new(counters, "km-issued",
				 json_integer((json_int_t)c->km_issued)) ||
	     json_object_set_new(counters, "km-refused",
				 json_integer((json_int_t)c->km_refused)) ||
	     json_object_set_new(counters, "kpsa-issued",
				 json_integer((json_int_t)c->kpsa_issued)) ||
	     json_object_set_new(counters, "kpsa-refused",
				 json_integer((json_int_t)c->kpsa_refused)))) {
		json_decref(counters);
		return -ENOMEM;
	}
	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void mef_free(void *state)
{
	struct mef *mef = state;

	if (!mef)
		return;
	if (mef->timer)
		event_free(mef->timer);
	http_server_free(mef->enrolees);
	http_server_free(mef->mafs);
	dtls_server_free(mef->dtls);
	tls_psk_free(mef->psk);
	OPENSSL_cleanse(mef, sizeof(*mef));
	free(mef);
}

static const char *const refusal_tokens[] = {
	ONEM2M_ERR_NOT_CONFIGURED, ONEM2M_ERR_WRONG_VERSION,
	ONEM2M_ERR_FORBIDDEN, ONEM2M_ERR_UNKNOWN_KE, ONEM2M_ERR_EXPIRED_KE,
	NULL,
};

const struct role_ops role_mef = {
	.name = ROLE,
	.parse_config = mef_config_parse,
	.free_config = mef_config_free,
	.config_listens = mef_config_listens,
	.store_keeps = "oneM2M Kpms and Kes",
	.tls_needed = mef_config_needs_tls,
	.admin_commands = mef_admin_commands,
	.refusal_tokens = refusal_tokens,
	.start = mef_start,
	.stop = mef_stop,
	.busy = mef_busy,
	.restart_key = mef_restart_key,
	.reload = mef_reload,
	.listeners = mef_listeners,
	.status = mef_status,
	.free = mef_free,
};
