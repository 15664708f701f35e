// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE role, see role_hse.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/best/triplet_msg.h"
#include "daemon/daemon.h"
#include "hse.h"
#include "hse_commit.h"
#include "hse_events.h"
#include "hse_keyring.h"
#include "hse_pull.h"
#include "hse_reconcile.h"
#include "hse_triplet.h"
#include "hse_triplets.h"
#include "net/http_server.h"
#include "net/json_error.h"
#include "net/https_client.h"
#include "daemon/log.h"
#include "kernel/e2m_flow.h"
#include "role_hse.h"
#include "proto/gba/ub_json.h"

static const char *role_name(uint8_t role)
{
	if (role == E2M_ROLE_HSE)
		return "hse";
	return role == E2M_ROLE_UE ? "ue" : "none";
}

/* The device must be an e2m device in role hse: else nothing works. */
static int check_device(struct hse *hse)
{
	uint8_t role;
	int ret = genl_open(&hse->nl);

	if (!ret)
		ret = e2m_dev_get(&hse->nl, hse->conf->device, &hse->ifindex,
				  &role);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"device %s: %s", hse->conf->device, hse->nl.error);
		return ret;
	}
	if (role != E2M_ROLE_HSE) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"device %s is in role %s, not hse", hse->conf->device,
			role_name(role));
		return -EINVAL;
	}
	return 0;
}

static int open_keyring(struct hse *hse)
{
	int ret = hse_keyring(&hse->ring);

	if (ret)
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"keyring " HSE_KEYRING ": %s", strerror(-ret));
	return ret;
}

static int start_server(struct hse *hse)
{
	struct http_server_conf conf = {
		.role = HSE_ROLE,
		.name = "triplet",
		.listen = &hse->conf->triplet_listen,
		.tls = hse->daemon->tls,
		.max_body = UB_JSON_MAX,
		.limits = &hse->daemon->config->listeners,
		.error = json_error_reply,
	};
	char why[256];
	int ret;

	ret = http_server_new(&hse->server, hse->daemon->base, &conf, why,
			      sizeof(why));
	if (!ret)
		ret = http_server_route(hse->server, TRIPLET_PATH,
					EVHTTP_REQ_POST, hse_triplet_request,
					hse);
	if (!ret)
		ret = http_server_route(hse->server, TRIPLETS_PATH,
					EVHTTP_REQ_POST, hse_triplets_request,
					hse);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"triplet listener: %s",
			ret == -EEXIST || ret == -ENOMEM ? strerror(-ret) :
							   why);
	return ret;
}

static int start_client(struct hse *hse)
{
	int ret = https_client_new(&hse->hss, hse->daemon->base,
				   hse->daemon->tls, &hse->conf->hss_url, 0);

	if (ret)
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"HSS client: %s", strerror(-ret));
	else {
		https_client_keep_alive(hse->hss);	/* a pull per device */
		https_client_resolve_with(hse->hss, hse->daemon->dns);
	}
	return ret;
}

/* On several workers, the TEIDs' locks (hse_teid_lock.h). */
static int open_teid_lock(struct hse *hse)
{
	char why[256];
	int ret;

	if (hse->daemon->config->workers.count < 2)
		return 0;
	ret = hse_teid_lock_open(&hse->teids,
				 hse->daemon->config->admin.socket,
				 hse->conf->device, why, sizeof(why));
	if (ret)
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed", "%s", why);
	return ret;
}

/*
 * The kernel's events and the reconciliation at start are the first
 * process's: it starts before its workers (workers.h), so they find the
 * kernel's flows and the store in agreement, and an event pulls once, not
 * once a worker. Events first: none is missed between reconciling and
 * serving.
 */
static int start_first(struct hse *hse)
{
	int ret;

	if (hse->daemon->worker)
		return 0;
	ret = hse_events_start(hse);
	return ret ?: hse_reconcile(hse);
}

static void hse_free(void *state);

/* Any configuration runs on several workers (hse.h, hse_teid_lock.h). */
static const char *hse_workers_refused(const void *conf)
{
	(void)conf;
	return NULL;
}

static int hse_start(struct daemon *daemon, void **state)
{
	struct hse *hse = calloc(1, sizeof(*hse));
	int ret;

	if (!hse)
		return -ENOMEM;
	hse->daemon = daemon;
	hse->conf = config_hse(daemon->config);
	hse_teid_lock_none(&hse->teids);
	ret = check_device(hse);
	if (!ret)
		ret = open_keyring(hse);
	if (!ret)
		ret = open_teid_lock(hse);
	if (!ret)
		ret = start_first(hse);
	if (!ret)
		ret = start_client(hse);
	if (!ret)
		ret = start_server(hse);
	if (ret) {
		hse_free(hse);
		return ret;
	}
	*state = hse;
	return 0;
}

static void hse_stop(void *state)
{
	struct hse *hse = state;

	http_server_stop(hse->server);
}

static bool hse_busy(void *state)
{
	struct hse *hse = state;

	return http_server_busy(hse->server) || hse->pulls;
}

static const char *hse_restart_key(const struct config *old,
				   const struct config *new_config)
{
	const struct config_hse *a = config_hse(old);
	const struct config_hse *b = config_hse(new_config);

	if (strcmp(a->triplet_listen.text, b->triplet_listen.text))
		return "roles.hse.triplet-listen";
	if (strcmp(a->device, b->device))
		return "roles.hse.device";
	/* The flows it keeps are its name's: a new name starts again. */
	if (strcmp(a->instance, b->instance))
		return "roles.hse.instance";
	return NULL;
}

/* clients, hss-url and key-lifetime apply from the next triplet on. */
static void hse_reload(void *state, const struct config *new_config)
{
	struct hse *hse = state;

	hse->conf = config_hse(new_config);
	https_client_set_url(hse->hss, &hse->conf->hss_url);
}

static size_t hse_listeners(void *state, struct role_listener *out,
			    size_t max)
{
	struct hse *hse = state;

	if (!max)
		return 0;
	out[0] = (struct role_listener){
		"triplet", http_server_address(hse->server)
	};
	return 1;
}

static int hse_status(void *state, json_t *obj)
{
	struct hse *hse = state;
	const struct hse_counters *c = &hse->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"requests", (json_int_t)http_server_requests(hse->server),
		"triplets", (json_int_t)c->triplets,
		"pulls", (json_int_t)c->pulls,
		"pulls-failed", (json_int_t)c->pulls_failed,
		"pull-batches", (json_int_t)c->pull_batches,
		"installs", (json_int_t)c->installs,
		"rekeys", (json_int_t)c->rekeys,
		"on-demand-pulls", (json_int_t)c->on_demand_pulls,
		"aka-needed", (json_int_t)c->aka_needed,
		"events", (json_int_t)c->events,
		"teid-waits", (json_int_t)c->teid_waits,
		"teid-timeouts", (json_int_t)c->teid_timeouts);

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void hse_free(void *state)
{
	struct hse *hse = state;

	if (!hse)
		return;
	/* Rows waiting are committed and their triplets answered. */
	hse_commit_stop(hse);
	/* The server first: triplets still waiting are then detached. */
	http_server_free(hse->server);
	hse_pull_cancel_all(hse);
	https_client_free(hse->hss);
	hse_events_stop(hse);
	hse_teid_lock_close(&hse->teids);
	genl_close(&hse->nl);
	free(hse);
}

const struct role_ops role_hse = {
	.name = HSE_ROLE,
	.parse_config = hse_config_parse,
	.free_config = hse_config_free,
	.config_listens = hse_config_listens,
	.kernel_devices = hse_config_devices,
	.workers_refused = hse_workers_refused,
	/*
	 * Several workers when told so: each then takes a lock of the
	 * TEID's across processes for every install (hse_teid_lock.h).
	 */
	.workers_explicit = true,
	.store_keeps = "the flows it installed",
	/*
	 * Served by PostgreSQL too: each instance keeps, reconciles and
	 * drops only the flows of its roles.hse.instance (store.h).
	 */
	.store_families = STORE_FAMILY_HSE_FLOWS,
	.needs_tls = true,
	.start = hse_start,
	.stop = hse_stop,
	.busy = hse_busy,
	.restart_key = hse_restart_key,
	.reload = hse_reload,
	.listeners = hse_listeners,
	.status = hse_status,
	.free = hse_free,
};
