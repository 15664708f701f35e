// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF role: its life and what its parts share, see role_bsf.h. The
 * exchanges themselves are bsf_ub.c's (Ub, with the Zh calls) and
 * bsf_zn.c's (Zn).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bsf_admin.h"
#include "bsf_ub.h"
#include "net/json_error.h"
#include "bsf_zn.h"
#include "daemon/log.h"
#include "util/mono_clock.h"
#include "bsf_shared.h"
#include "role_bsf.h"
#include "proto/gba/ub_json.h"
#include "proto/gba/zn_msg.h"

#define ROLE	"bsf"

bool bsf_naf_listed(const struct bsf *bsf, const char *fqdn)
{
	size_t i;

	for (i = 0; i < bsf->conf->n_nafs; i++) {
		if (!strcasecmp(bsf->conf->nafs[i].name, fqdn))
			return true;
	}
	return false;
}

/* ---- housekeeping ------------------------------------------------------- */

/*
 * Challenges past their lifetime go now rather than when next looked at,
 * so their secrets do not wait in memory; sessions go an hour after
 * their expiry.
 */
static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct bsf *bsf = arg;
	time_t now = time(NULL);
	int ret;

	(void)fd;
	(void)what;
	bsf_challenges_expire(bsf->challenges, mono_clock_ms());
	if (now - bsf->last_purge < BSF_PURGE_SECONDS)
		return;
	bsf->last_purge = now;
	ret = store_session_purge(bsf->daemon->store,
				  (int64_t)now - BSF_SESSION_GRACE);
	if (ret > 0)
		log_msg(LOG_LEVEL_INFO, ROLE, "sessions-purged",
			"%d expired sessions removed", ret);
	else if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging sessions: %s", store_strerror(ret));
	ret = bsf_shared(bsf) ? bsf_shared_purge(bsf) : 0;
	if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging challenges: %s", store_strerror(ret));
}

static int start_timer(struct bsf *bsf)
{
	struct timeval every = { BSF_TIMER_SECONDS, 0 };

	bsf->timer = event_new(bsf->daemon->base, -1, EV_PERSIST, tick, bsf);
	if (!bsf->timer || event_add(bsf->timer, &every))
		return -ENOMEM;
	return 0;
}

/* ---- the role ------------------------------------------------------------ */

static int start_servers(struct bsf *bsf, char *why, size_t why_size)
{
	struct http_server_conf ub = {
		.role = ROLE,
		.name = "ub",
		.listen = &bsf->conf->ub_listen,
		.tls = NULL,		/* Ub is plain HTTP, see role_bsf.h */
		.limits = &bsf->daemon->config->listeners,
		.error = json_error_reply,
	};
	struct http_server_conf zn = {
		.role = ROLE,
		.name = "zn",
		.listen = &bsf->conf->zn_listen,
		.tls = bsf->daemon->tls,
		.max_body = UB_JSON_MAX,
		.limits = &bsf->daemon->config->listeners,
		.error = json_error_reply,
	};
	int ret;

	ret = http_server_new(&bsf->ub, bsf->daemon->base, &ub, why, why_size);
	if (!ret)
		ret = http_server_route(bsf->ub, BSF_UB_PATH, EVHTTP_REQ_GET,
					bsf_ub_request, bsf);
	if (!ret)
		ret = http_server_new(&bsf->zn, bsf->daemon->base, &zn, why,
				      why_size);
	if (!ret)
		ret = http_server_route(bsf->zn, ZN_PATH_NAF_KEY,
					EVHTTP_REQ_POST, bsf_zn_naf_key, bsf);
	return ret;
}

static void bsf_free(void *state);

/*
 * On N workers each has its own buckets, and a source's connections are
 * spread over them: each gets rate / N (rounded up), so that a source
 * gets no more than ub-source-rate from all together.
 */
static void limits_of(const struct bsf *bsf, const struct config_bsf *conf,
		      struct bsf_limits_conf *limits)
{
	unsigned int workers = bsf->daemon->config->workers.count;
	unsigned int rate = workers > 1 ?
		(conf->ub_source_rate + workers - 1) / workers :
		conf->ub_source_rate;

	*limits = (struct bsf_limits_conf){
		.rate = rate,
		.burst = 2 * rate,
		.window_ms = 1000ull * conf->ub_impi_window,
		.max = BSF_LIMITS_MAX,
	};
}

static int bsf_start(struct daemon *daemon, void **state)
{
	struct bsf_limits_conf limits;
	struct bsf *bsf = calloc(1, sizeof(*bsf));
	char why[256] = "out of memory";
	int ret;

	if (!bsf)
		return -ENOMEM;
	bsf->daemon = daemon;
	bsf->conf = config_bsf(daemon->config);
	limits_of(bsf, bsf->conf, &limits);
	bsf->last_purge = time(NULL) - BSF_PURGE_SECONDS;
	ret = bsf_challenges_new(&bsf->challenges, BSF_CHALLENGES_MAX,
				 BSF_DECOYS_MAX,
				 BSF_CHALLENGE_LIFETIME_MS);
	if (!ret)
		ret = bsf_limits_new(&bsf->limits, &limits);
	if (!ret)
		ret = vector_source_new(&bsf->vectors, daemon, bsf->conf);
	if (!ret)
		ret = start_servers(bsf, why, sizeof(why));
	if (!ret)
		ret = start_timer(bsf);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			ret == -EEXIST || ret == -ENOMEM ? strerror(-ret) :
							   why);
		bsf_free(bsf);
		return ret;
	}
	*state = bsf;
	return 0;
}

static void bsf_stop(void *state)
{
	struct bsf *bsf = state;

	http_server_stop(bsf->ub);
	http_server_stop(bsf->zn);
}

static bool bsf_busy(void *state)
{
	struct bsf *bsf = state;

	return http_server_busy(bsf->ub) || http_server_busy(bsf->zn);
}

static const char *bsf_restart_key(const struct config *old,
				   const struct config *new_config)
{
	const struct config_bsf *a = config_bsf(old);
	const struct config_bsf *b = config_bsf(new_config);

	if (strcmp(a->ub_listen.text, b->ub_listen.text))
		return "roles.bsf.ub-listen";
	if (strcmp(a->zn_listen.text, b->zn_listen.text))
		return "roles.bsf.zn-listen";
	return NULL;
}

/*
 * A source of vectors of another kind, or an HLR elsewhere: the calls in
 * flight end (503, the UEs try again), the new source takes over. When it
 * cannot be made (out of memory) the old one stays.
 */
static void switch_source(struct bsf *bsf)
{
	struct vector_source *vs;
	int ret;

	ret = vector_source_new(&vs, bsf->daemon, bsf->conf);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "reload-failed",
			"the new source of vectors: %s", strerror(-ret));
		return;
	}
	bsf_ub_cancel_calls(bsf, "the BSF's source of vectors changed");
	vector_source_free(bsf->vectors);
	bsf->vectors = vs;
	log_msg(LOG_LEVEL_INFO, ROLE, "vector-source", "vectors from the %s at %s",
		vector_source_kind(vs),
		bsf->conf->hlr.text ? bsf->conf->hlr.text :
				      bsf->conf->hss_url.text);
}

/*
 * name, hss-url or hlr, key-lifetime, the Ub limits and nafs apply from
 * the next request on.
 */
static void bsf_reload(void *state, const struct config *new_config)
{
	struct bsf *bsf = state;
	struct bsf_limits_conf limits;

	bsf->conf = config_bsf(new_config);
	if (vector_source_fits(bsf->vectors, bsf->conf))
		vector_source_reconfigure(bsf->vectors, bsf->conf);
	else
		switch_source(bsf);
	limits_of(bsf, bsf->conf, &limits);
	bsf_limits_configure(bsf->limits, &limits);
}

static size_t bsf_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct bsf *bsf = state;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_listener){
			"ub", http_server_address(bsf->ub)
		};
	if (n < max)
		out[n++] = (struct role_listener){
			"zn", http_server_address(bsf->zn)
		};
	return n;
}

static int bsf_status(void *state, json_t *obj)
{
	struct bsf *bsf = state;
	const struct bsf_counters *c = &bsf->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"ub-requests", (json_int_t)http_server_requests(bsf->ub),
		"zn-requests", (json_int_t)http_server_requests(bsf->zn),
		"challenges", (json_int_t)c->challenges,
		"bootstraps", (json_int_t)c->bootstraps,
		"resyncs", (json_int_t)c->resyncs,
		"ub-refused", (json_int_t)c->ub_refused,
		"naf-keys", (json_int_t)c->naf_keys,
		"zn-refused", (json_int_t)c->zn_refused,
		"zh-failures", (json_int_t)c->zh_failures,
		"challenges-pending",
		(json_int_t)bsf_challenges_pending(bsf->challenges));

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void bsf_free(void *state)
{
	struct bsf *bsf = state;

	if (!bsf)
		return;
	if (bsf->timer)
		event_free(bsf->timer);
	/* Servers first: the UEs still waiting on Zh are then detached. */
	http_server_free(bsf->ub);
	http_server_free(bsf->zn);
	bsf_ub_cancel_calls(bsf, "the BSF is stopping");
	vector_source_free(bsf->vectors);
	bsf_challenges_free(bsf->challenges);
	bsf_limits_free(bsf->limits);
	free(bsf);
}

/* Ub's tokens of its own (bsf_ub.h), for the metrics. */
static const char *const bsf_refusal_tokens[] = {
	BSF_UB_ERR_UNKNOWN_USER, BSF_UB_ERR_AUTH_FAILED,
	BSF_UB_ERR_NETWORK_AUTH_FAILED, BSF_UB_ERR_REPLAY,
	BSF_UB_ERR_HSS_UNAVAILABLE, BSF_UB_ERR_BUSY, NULL,
};

const struct role_ops role_bsf = {
	.name = ROLE,
	.parse_config = bsf_config_parse,
	.free_config = bsf_config_free,
	.config_listens = bsf_config_listens,
	.store_keeps = "subscribers and sessions",
	.store_families = STORE_FAMILY_SESSIONS,
	.workers_refused = bsf_workers_refused,
	.workers_explicit = true,
	.needs_tls = true,
	.admin_commands = bsf_admin_commands,
	.refusal_tokens = bsf_refusal_tokens,
	.start = bsf_start,
	.stop = bsf_stop,
	.busy = bsf_busy,
	.restart_key = bsf_restart_key,
	.reload = bsf_reload,
	.listeners = bsf_listeners,
	.status = bsf_status,
	.free = bsf_free,
};
