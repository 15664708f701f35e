// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre role: its life and what its parts share, see
 * role_nafkc.h. The requests themselves are nafkc_request.c's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "daemon/log.h"
#include "nafkc_admin.h"
#include "nafkc_gba.h"
#include "nafkc_request.h"
#include "nafkc_zn_cache.h"
#include "net/json_error.h"
#include "role_nafkc.h"
#include "store/store_group.h"

#define ROLE	"nafkc"

int nafkc_naf_id(uint8_t out[KS_LOCAL_NAF_ID_MAX], const char *fqdn)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_NAFKC;

	return gba_naf_id(out, KS_LOCAL_NAF_ID_MAX, fqdn, ua_id);
}

/* The PSK of a device, for the handshake (tls_psk.h). */
static int lookup_psk(void *arg, const char *identity,
		      uint8_t key[TLS_PSK_KEY_MAX], size_t *len)
{
	struct nafkc *nafkc = arg;
	int ret;

	*len = 0;
	nafkc->counters.psk_lookups++;
	if (!store_device_id_valid(identity))
		return -ENOENT;
	ret = store_device_psk_get(nafkc->daemon->store, identity, key);
	if (!ret)
		*len = STORE_DEVICE_PSK_LEN;
	else if (ret != -ENOENT)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"device PSK: %s", store_strerror(ret));
	return ret;
}

/* Issued keys go an hour after they expire; kept Zn answers at once. */
static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct nafkc *nafkc = arg;
	int ret;

	(void)fd;
	(void)what;
	nafkc_zn_cache_expire(nafkc->zn_cache, (int64_t)time(NULL));
	ret = store_ks_local_purge(nafkc->daemon->store,
				   (int64_t)time(NULL) - NAFKC_KEY_GRACE);
	if (ret > 0)
		log_msg(LOG_LEVEL_INFO, ROLE, "local-keys-purged",
			"%d expired local keys removed", ret);
	else if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging local keys: %s", store_strerror(ret));
}

static int start_timer(struct nafkc *nafkc)
{
	struct timeval every = { NAFKC_TIMER_SECONDS, 0 };

	nafkc->timer = event_new(nafkc->daemon->base, -1, EV_PERSIST, tick,
				 nafkc);
	if (!nafkc->timer || event_add(nafkc->timer, &every))
		return -ENOMEM;
	return 0;
}

static int set_naf_id(struct nafkc *nafkc, const struct config_nafkc *conf)
{
	int len = nafkc_naf_id(nafkc->naf_id, conf->name);

	if (len < 0)
		return len;
	nafkc->naf_id_len = (size_t)len;
	return 0;
}

static int start_server(struct nafkc *nafkc, char *why, size_t why_size)
{
	const struct config_nafkc *conf = nafkc->conf;
	bool certificates = conf->device_auth.methods & NAFKC_AUTH_CERTIFICATE;
	struct tls_psk_conf psk = {
		.hint = NAFKC_PSK_HINT,
		.lookup = conf->device_auth.methods & NAFKC_AUTH_PSK ?
			  lookup_psk : NULL,
		.arg = nafkc,
		.device_ca = certificates ? conf->device_ca.path : NULL,
		.server = &nafkc->daemon->config->tls,
	};
	struct http_server_conf devices = {
		.role = ROLE,
		.name = "devices",
		.listen = &nafkc->conf->listen,
		.max_body = UB_JSON_MAX,
		.limits = &nafkc->daemon->config->listeners,
		.error = json_error_reply,
	};
	int ret = tls_psk_new(&nafkc->psk, &psk, why, why_size);

	devices.psk = nafkc->psk;
	if (!ret)
		ret = http_server_new(&nafkc->devices, nafkc->daemon->base,
				      &devices, why, why_size);
	if (!ret)
		ret = http_server_route(nafkc->devices, KS_LOCAL_PATH,
					EVHTTP_REQ_POST,
					nafkc_ks_local_request, nafkc);
	if (!ret && conf->gba_listen.line)
		ret = nafkc_gba_new(&nafkc->gba, nafkc, why, why_size);
	return ret;
}

static void nafkc_free(void *state);

static int nafkc_start(struct daemon *daemon, void **state)
{
	struct nafkc *nafkc = calloc(1, sizeof(*nafkc));
	char why[256] = "out of memory";
	int ret;

	if (!nafkc)
		return -ENOMEM;
	nafkc->daemon = daemon;
	nafkc->conf = config_nafkc(daemon->config);
	ret = set_naf_id(nafkc, nafkc->conf);
	if (ret)
		snprintf(why, sizeof(why), "nafkc.name is too long");
	if (!ret)
		ret = nafkc_zn_cache_new(&nafkc->zn_cache,
					 nafkc->conf->zn_cache);
	if (!ret)
		ret = https_client_new(&nafkc->zn, daemon->base, daemon->tls,
				       &nafkc->conf->bsf_url,
				       NAFKC_ZN_TIMEOUT);
	if (!ret) {
		https_client_keep_alive(nafkc->zn);
		https_client_resolve_with(nafkc->zn, daemon->dns);
	}
	if (!ret)
		ret = start_server(nafkc, why, sizeof(why));
	if (!ret)
		ret = start_timer(nafkc);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s",
			ret == -EEXIST || ret == -ENOMEM ? strerror(-ret) :
							   why);
		nafkc_free(nafkc);
		return ret;
	}
	*state = nafkc;
	return 0;
}

static void nafkc_stop(void *state)
{
	struct nafkc *nafkc = state;

	http_server_stop(nafkc->devices);
	gba_listener_stop(nafkc->gba);
}

static bool nafkc_busy(void *state)
{
	struct nafkc *nafkc = state;

	return http_server_busy(nafkc->devices) || gba_listener_busy(nafkc->gba);
}

static const char *nafkc_restart_key(const struct config *old,
				     const struct config *new_config)
{
	const struct config_nafkc *a = config_nafkc(old);
	const struct config_nafkc *b = config_nafkc(new_config);

	if (strcmp(a->listen.text, b->listen.text))
		return "roles.nafkc.listen";
	if (strcmp(a->gba_listen.text, b->gba_listen.text))
		return "roles.nafkc.gba-listen";
	if (a->device_auth.methods != b->device_auth.methods)
		return "roles.nafkc.device-auth";
	if ((a->device_ca.path || b->device_ca.path) &&
	    (!a->device_ca.path || !b->device_ca.path ||
	     strcmp(a->device_ca.path, b->device_ca.path)))
		return "roles.nafkc.device-ca";
	return NULL;
}

/*
 * name, bsf-url and key-lifetime apply from the next request on; the Zn
 * cache starts again, empty, of zn-cache entries (what the BSF answered
 * before is forgotten: an operator's way to make every B-TID be asked
 * again). Without memory for it, the old one stays.
 */
static void nafkc_reload(void *state, const struct config *new_config)
{
	struct nafkc *nafkc = state;
	const struct config_nafkc *conf = config_nafkc(new_config);
	struct nafkc_zn_cache *cache;

	if (!nafkc_zn_cache_new(&cache, conf->zn_cache)) {
		struct nafkc_zn_cache_stats old;

		nafkc_zn_cache_stats(nafkc->zn_cache, &old);
		nafkc->zn_cache_counts[0] += old.hits;
		nafkc->zn_cache_counts[1] += old.misses;
		nafkc->zn_cache_counts[2] += old.evictions;
		nafkc->zn_cache_counts[3] += old.expired;
		nafkc_zn_cache_free(nafkc->zn_cache);
		nafkc->zn_cache = cache;
	} else {
		log_msg(LOG_LEVEL_ERROR, ROLE, "reload-failed",
			"zn-cache: %s; the old cache stays", strerror(ENOMEM));
	}

	/* A name too long was refused by the schema's FQDN check already. */
	set_naf_id(nafkc, conf);
	nafkc->conf = conf;
	https_client_set_url(nafkc->zn, &conf->bsf_url);
}

static size_t nafkc_listeners(void *state, struct role_listener *out,
			      size_t max)
{
	struct nafkc *nafkc = state;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_listener){
			"devices", http_server_address(nafkc->devices)
		};
	if (nafkc->gba && n < max)
		out[n++] = (struct role_listener){
			"gba", gba_listener_address(nafkc->gba)
		};
	return n;
}

static int nafkc_status(void *state, json_t *obj)
{
	struct nafkc *nafkc = state;
	const struct nafkc_counters *c = &nafkc->counters;
	struct nafkc_zn_cache_stats zc;
	unsigned long long commits, writes;
	json_t *counters;

	nafkc_zn_cache_stats(nafkc->zn_cache, &zc);
	/*
	 * The store's group commits (one fsync each) and the waiting
	 * writes they made durable, the issued keys' among them: writes
	 * per commit is how many answers shared a disk flush.
	 */
	store_group_counts(nafkc->daemon->store, &commits, &writes);
	counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
		" s:I, s:I, s:I}",
		"requests", (json_int_t)http_server_requests(nafkc->devices),
		"psk-lookups", (json_int_t)c->psk_lookups,
		"issued", (json_int_t)c->issued,
		"refused", (json_int_t)c->refused,
		"zn-failures", (json_int_t)c->zn_failures,
		"zn-in-flight", (json_int_t)nafkc->n_calls,
		"gba-handshakes", (json_int_t)c->gba_handshakes,
		"gba-key-pulls", (json_int_t)c->gba_key_pulls,
		"zn-cache-entries", (json_int_t)zc.entries,
		"zn-cache-hits",
		(json_int_t)(zc.hits + nafkc->zn_cache_counts[0]),
		"zn-cache-misses",
		(json_int_t)(zc.misses + nafkc->zn_cache_counts[1]),
		"zn-cache-evictions",
		(json_int_t)(zc.evictions + nafkc->zn_cache_counts[2]),
		"zn-cache-expired",
		(json_int_t)(zc.expired + nafkc->zn_cache_counts[3]),
		"group-commits", (json_int_t)commits,
		"group-writes", (json_int_t)writes);

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void nafkc_free(void *state)
{
	struct nafkc *nafkc = state;

	if (!nafkc)
		return;
	if (nafkc->timer)
		event_free(nafkc->timer);
	/* The server first: devices still waiting on Zn are then detached. */
	http_server_free(nafkc->devices);
	gba_listener_free(nafkc->gba);
	nafkc_cancel_calls(nafkc);
	https_client_free(nafkc->zn);
	nafkc_zn_cache_free(nafkc->zn_cache);	/* every key wiped */
	tls_psk_free(nafkc->psk);
	OPENSSL_cleanse(nafkc, sizeof(*nafkc));
	free(nafkc);
}

const struct role_ops role_nafkc = {
	.name = ROLE,
	.parse_config = nafkc_config_parse,
	.free_config = nafkc_config_free,
	.config_listens = nafkc_config_listens,
	.store_keeps = "device PSKs, blocked devices and issued keys",
	.needs_tls = true,
	.admin_commands = nafkc_admin_commands,
	.start = nafkc_start,
	.stop = nafkc_stop,
	.busy = nafkc_busy,
	.restart_key = nafkc_restart_key,
	.reload = nafkc_reload,
	.listeners = nafkc_listeners,
	.status = nafkc_status,
	.free = nafkc_free,
};
