// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW role: its life, its calls out, what its parts share; see
 * role_sgw.h. The exchanges are sgw_attach.c's and sgw_hse.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "proto/best/attach_msg.h"
#include "net/json_error.h"
#include "daemon/log.h"
#include "util/mono_clock.h"
#include "role_sgw.h"
#include "sgw_attach.h"
#include "sgw_persist.h"
#include "sgw_pool.h"
#include "proto/gba/ub_json.h"
#include "store/store_group.h"

#define ROLE	"sgw"

void sgw_refuse(struct sgw *sgw, struct http_exchange *ex, int status,
		const char *token, const char *detail, const char *imsi)
{
	sgw_refuse_as(sgw, ex, status, token, detail, imsi, false);
}

void sgw_refuse_as(struct sgw *sgw, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *imsi,
		   bool decoy)
{
	struct log_line line;

	sgw->counters.refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (imsi && *imsi)
			log_str(&line, "imsi", imsi);
		if (detail)
			log_str(&line, "detail", detail);
		if (decoy)
			log_str(&line, "answer", "decoy");
		log_str(&line, "remote", http_exchange_remote(ex));
		log_end(&line);
	}
	json_error_reply(ex, status, token, detail);
}

/* ---- calls --------------------------------------------------------------- */

static void unlink_call(struct sgw *sgw, struct sgw_call *call)
{
	sgw->n_calls--;
	if (call->prev)
		call->prev->next = call->next;
	else
		sgw->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
}

static void free_call(struct sgw_call *call)
{
	OPENSSL_cleanse(call, sizeof(*call));
	free(call);
}

struct sgw_call *sgw_call_keep(const struct sgw_call *call)
{
	struct sgw_call *kept = malloc(sizeof(*kept));

	if (!kept)
		return NULL;
	*kept = *call;
	kept->call = NULL;
	kept->done = NULL;
	kept->prev = kept->next = NULL;
	return kept;
}

void sgw_call_free(struct sgw_call *call)
{
	free_call(call);
}

static void call_done(const struct https_response *r, void *arg)
{
	struct sgw_call *call = arg;
	struct sgw *sgw = call->sgw;

	unlink_call(sgw, call);
	call->done(sgw, call, r);
	free_call(call);
}

bool sgw_call_start(struct sgw *sgw, struct https_client *client,
		    const char *path, const char *body,
		    const struct sgw_call *proto, sgw_call_done done)
{
	struct sgw_call *call;

	if (sgw->n_calls >= SGW_CALLS_MAX) {
		sgw_refuse(sgw, proto->ex, 503, SGW_ERR_BUSY,
			   "too many requests in flight", proto->imsi);
		return false;
	}
	call = malloc(sizeof(*call));
	if (!call) {
		sgw_refuse(sgw, proto->ex, 500, UB_ERR_INTERNAL,
			   "out of memory", proto->imsi);
		return false;
	}
	*call = *proto;
	call->sgw = sgw;
	call->done = done;
	call->prev = NULL;
	call->call = https_post(client, path, UB_JSON_CONTENT_TYPE, body,
				strlen(body), call_done, call);
	if (!call->call) {
		sgw_refuse(sgw, proto->ex, 500, UB_ERR_INTERNAL,
			   "cannot start a request", proto->imsi);
		free_call(call);
		return false;
	}
	call->next = sgw->calls;
	if (sgw->calls)
		sgw->calls->prev = call;
	sgw->calls = call;
	sgw->n_calls++;
	return true;
}

/* For the role's free, after the server is gone: the UEs get 503. */
static void cancel_calls(struct sgw *sgw)
{
	struct sgw_call *call;

	while ((call = sgw->calls)) {
		unlink_call(sgw, call);
		https_call_cancel(call->call);
		json_error_reply(call->ex, 503, ATTACH_ERR_HSS_UNAVAILABLE,
			    "the SGW is stopping");
		free_call(call);
	}
}

/* ---- housekeeping -------------------------------------------------------- */

/* Sessions past their 30 s go now, so that XRES does not wait in memory. */
static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct sgw *sgw = arg;

	(void)fd;
	(void)what;
	sgw_sessions_expire(sgw->sessions, mono_clock_ms());
}

static int start_timer(struct sgw *sgw)
{
	struct timeval every = { SGW_TIMER_SECONDS, 0 };

	sgw->timer = event_new(sgw->daemon->base, -1, EV_PERSIST, tick, sgw);
	if (!sgw->timer || event_add(sgw->timer, &every))
		return -ENOMEM;
	return 0;
}

/* ---- the role ------------------------------------------------------------ */

static int start_server(struct sgw *sgw, char *why, size_t why_size)
{
	struct http_server_conf conf = {
		.role = ROLE,
		.name = "attach",
		.listen = &sgw->conf->attach_listen,
		.tls = NULL,	/* plain HTTP: AKA authenticates both ends */
		.max_body = UB_JSON_MAX,
		.limits = &sgw->daemon->config->listeners,
		.error = json_error_reply,
	};
	int ret;

	ret = http_server_new(&sgw->attach, sgw->daemon->base, &conf, why,
			      why_size);
	if (!ret)
		ret = http_server_route(sgw->attach, ATTACH_PATH,
					EVHTTP_REQ_POST, sgw_attach_request,
					sgw);
	if (!ret)
		ret = http_server_route(sgw->attach, ATTACH_PATH_COMPLETE,
					EVHTTP_REQ_POST, sgw_attach_complete,
					sgw);
	return ret;
}

/*
 * The pool checked against the store's record (sgw_pool.h: nothing
 * written when it differs), then the UEs as the store has them; 0, or
 * -errno logged.
 */
static int restore_ues(struct sgw *sgw)
{
	int ret;

	if (!sgw->daemon->store) {	/* the configuration asks for one */
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "no store");
		return -EINVAL;
	}
	ret = sgw_pool_claim(sgw->daemon->store, &sgw->conf->inner_ipv4_pool);
	if (ret)
		return ret;
	return sgw_persist_restore(sgw->daemon->store, sgw->ues);
}

static void sgw_free(void *state);

static int sgw_start(struct daemon *daemon, void **state)
{
	struct sgw *sgw = calloc(1, sizeof(*sgw));
	char why[256] = "out of memory";
	int ret;

	if (!sgw)
		return -ENOMEM;
	sgw->daemon = daemon;
	sgw->conf = config_sgw(daemon->config);
	ret = sgw_sessions_new(&sgw->sessions, SGW_SESSIONS_MAX,
			       SGW_DECOY_SESSIONS_MAX, SGW_SESSION_LIFETIME_MS);
	if (!ret)
		ret = sgw_decoys_new(&sgw->decoys, SGW_DECOY_KSI_SLOTS);
	if (!ret)
		ret = sgw_ues_new(&sgw->ues, &sgw->conf->inner_ipv4_pool);
	/* Before the listener opens: no attach sees the table half made. */
	if (!ret) {
		ret = restore_ues(sgw);
		if (ret) {		/* logged, with the IMSI */
			sgw_free(sgw);
			return ret;
		}
	}
	if (!ret)
		ret = https_client_new(&sgw->hss, daemon->base, daemon->tls,
				       &sgw->conf->hss_url, SGW_CALL_TIMEOUT);
	if (!ret)
		ret = https_client_new(&sgw->hse, daemon->base, daemon->tls,
				       &sgw->conf->hse_url, SGW_CALL_TIMEOUT);
	if (!ret) {
		https_client_keep_alive(sgw->hss);
		https_client_keep_alive(sgw->hse);
		https_client_resolve_with(sgw->hss, daemon->dns);
		https_client_resolve_with(sgw->hse, daemon->dns);
		ret = start_server(sgw, why, sizeof(why));
	}
	if (!ret)
		ret = start_timer(sgw);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			ret == -EEXIST || ret == -ENOMEM ? strerror(-ret) :
							   why);
		sgw_free(sgw);
		return ret;
	}
	*state = sgw;
	return 0;
}

static void sgw_stop(void *state)
{
	struct sgw *sgw = state;

	http_server_stop(sgw->attach);
}

static bool sgw_busy(void *state)
{
	struct sgw *sgw = state;

	return http_server_busy(sgw->attach);
}

static const char *sgw_restart_key(const struct config *old,
				   const struct config *new_config)
{
	const struct config_sgw *a = config_sgw(old);
	const struct config_sgw *b = config_sgw(new_config);

	if (strcmp(a->attach_listen.text, b->attach_listen.text))
		return "roles.sgw.attach-listen";
	if (strcmp(a->inner_ipv4_pool.text, b->inner_ipv4_pool.text))
		return "roles.sgw.inner-ipv4-pool";
	return NULL;
}

/* The URLs, aka, sn-id and hse-gtpu apply from the next request on. */
static void sgw_reload(void *state, const struct config *new_config)
{
	struct sgw *sgw = state;

	sgw->conf = config_sgw(new_config);
	https_client_set_url(sgw->hss, &sgw->conf->hss_url);
	https_client_set_url(sgw->hse, &sgw->conf->hse_url);
}

static size_t sgw_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct sgw *sgw = state;

	if (!max)
		return 0;
	out[0] = (struct role_listener){
		"attach", http_server_address(sgw->attach)
	};
	return 1;
}

static int sgw_status(void *state, json_t *obj)
{
	struct sgw *sgw = state;
	const struct sgw_counters *c = &sgw->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"attach-requests", (json_int_t)http_server_requests(sgw->attach),
		"challenges", (json_int_t)c->challenges,
		"attached", (json_int_t)c->attached,
		"rekeys", (json_int_t)c->rekeys,
		"resyncs", (json_int_t)c->resyncs,
		"refused", (json_int_t)c->refused,
		"hss-failures", (json_int_t)c->hss_failures,
		"hse-failures", (json_int_t)c->hse_failures,
		"sessions-pending",
		(json_int_t)sgw_sessions_pending(sgw->sessions),
		"ues", (json_int_t)sgw_ues_count(sgw->ues),
		"ues-attached", (json_int_t)sgw_ues_attached(sgw->ues),
		"address-retries", (json_int_t)c->address_retries);

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void sgw_free(void *state)
{
	struct sgw *sgw = state;

	if (!sgw)
		return;
	/* Changes waiting for the group's commit: committed and answered
	 * while the listener and the table are still there. */
	if (sgw->daemon->store)
		store_group_flush(sgw->daemon->store);
	if (sgw->timer)
		event_free(sgw->timer);
	http_server_free(sgw->attach);
	cancel_calls(sgw);
	https_client_free(sgw->hss);
	https_client_free(sgw->hse);
	sgw_sessions_free(sgw->sessions);
	sgw_ues_free(sgw->ues);
	sgw_decoys_free(sgw->decoys);
	free(sgw);
}

static const char *const sgw_refusal_tokens[] = { SGW_ERR_BUSY, NULL };

const struct role_ops role_sgw = {
	.name = ROLE,
	.parse_config = sgw_config_parse,
	.free_config = sgw_config_free,
	.config_listens = sgw_config_listens,
	.store_keeps = "the UEs' KSIs, addresses and contexts",
	.store_families = STORE_FAMILY_SGW_UES,
	.needs_tls = true,
	.refusal_tokens = sgw_refusal_tokens,
	.start = sgw_start,
	.stop = sgw_stop,
	.busy = sgw_busy,
	.restart_key = sgw_restart_key,
	.reload = sgw_reload,
	.listeners = sgw_listeners,
	.status = sgw_status,
	.free = sgw_free,
};
