// SPDX-License-Identifier: GPL-2.0
/*
 * The MT / UICC hosting device role: its life and what its parts share,
 * see role_mt.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/log.h"
#include "mt_admin.h"
#include "mt_events.h"
#include "mt_flow.h"
#include "mt_keyring.h"
#include "mt_link.h"
#include "mt_request.h"
#include "mt_watch.h"
#include "role_mt.h"

#define ROLE	"mt"

/* Expired keys go, and their kernel keys (expired there already). */
static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct mt *mt = arg;
	int ret;

	(void)fd;
	(void)what;
	ret = store_mt_key_purge(mt->daemon->store, (int64_t)time(NULL),
				 mt_keyring_wipe_row, mt);
	if (ret < 0)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"purging local keys: %s", store_strerror(ret));
}

/* Another UICC's keys go (seed 001 7.5): from the store and the kernel. */
static int wipe_other_uicc(struct mt *mt)
{
	int ret = store_mt_key_remove_other_iccids(mt->daemon->store,
						   mt->conf->iccid,
						   mt_keyring_wipe_row, mt);

	if (ret > 0)
		log_msg(LOG_LEVEL_INFO, ROLE, "uicc-changed",
			"iccid=%s: %d local keys of another UICC wiped",
			mt->conf->iccid, ret);
	return ret < 0 ? ret : 0;
}

static int url_copy(struct config_url *to, const struct config_url *from)
{
	to->text = strdup(from->text);
	to->host = strdup(from->host);
	to->port = from->port;
	return to->text && to->host ? 0 : -ENOMEM;
}

void mt_bootstrap_ended(struct mt *mt)
{
	config_url_free(&mt->bsf_url_retired);
	memset(&mt->bsf_url_retired, 0, sizeof(mt->bsf_url_retired));
}

static void mt_free(void *state);

static int mt_start(struct daemon *daemon, void **state)
{
	struct mt *mt = calloc(1, sizeof(*mt));
	struct timeval every = { MT_TIMER_SECONDS, 0 };
	char why[256] = "out of memory";
	int ret;

	if (!mt)
		return -ENOMEM;
	mt->daemon = daemon;
	mt->conf = config_mt(daemon->config);
	if (url_copy(&mt->bsf_url, &mt->conf->bsf_url)) {
		mt_free(mt);
		return -ENOMEM;
	}
	ret = usim_open(&mt->usim, daemon->store, mt->conf->iccid);
	if (ret)
		snprintf(why, sizeof(why), "the USIM of ICCID %s: %s",
			 mt->conf->iccid, ret == -ENOENT ?
			 "not in the store (e2mctl usim add)" :
			 store_strerror(ret));
	if (!ret)
		ret = mt_flow_open(mt, why, sizeof(why));
	if (!ret) {
		ret = wipe_other_uicc(mt);
		if (ret)
			snprintf(why, sizeof(why),
				 "wiping another UICC's keys: %s",
				 store_strerror(ret));
	}
	if (!ret) {
		/* After the wipe: a wiped key's events are no one's. */
		mt_events_start(mt);
		ret = mt_links_listen(mt, why, sizeof(why));
	}
	if (!ret) {
		mt->timer = event_new(daemon->base, -1, EV_PERSIST, tick, mt);
		if (!mt->timer || event_add(mt->timer, &every))
			ret = -ENOMEM;
	}
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "%s", why);
		mt_free(mt);
		return ret;
	}
	*state = mt;
	return 0;
}

static void mt_stop(void *state)
{
	struct mt *mt = state;

	mt->stopping = true;
	mt_links_stop(mt);
}

static bool mt_busy(void *state)
{
	struct mt *mt = state;

	return mt->bootstrap != NULL;
}

static const char *mt_restart_key(const struct config *old,
				  const struct config *new_config)
{
	const struct config_mt *a = config_mt(old);
	const struct config_mt *b = config_mt(new_config);

	if (strcmp(a->listen.text, b->listen.text))
		return "roles.mt.listen";
	if (strcmp(a->iccid, b->iccid))
		return "roles.mt.iccid";
	if (!mt_config_flows_equal(a, b))
		return "roles.mt.flows";
	return NULL;
}

/* naf-ids, bsf-url, label and keyring apply from the next request on. */
static void mt_reload(void *state, const struct config *new_config)
{
	struct mt *mt = state;
	struct config_url url;

	mt->conf = config_mt(new_config);
	if (url_copy(&url, &mt->conf->bsf_url)) {
		config_url_free(&url);
		log_msg(LOG_LEVEL_ERROR, ROLE, "reload-failed",
			"out of memory: Ub stays at %s", mt->bsf_url.text);
		return;
	}
	if (mt->bootstrap) {
		mt_bootstrap_ended(mt);
		mt->bsf_url_retired = mt->bsf_url;
	} else {
		config_url_free(&mt->bsf_url);
	}
	mt->bsf_url = url;
}

static size_t mt_listeners(void *state, struct role_listener *out,
			   size_t max)
{
	struct mt *mt = state;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_listener){ "local", mt->address };
	return n;
}

static int mt_status(void *state, json_t *obj)
{
	struct mt *mt = state;
	const struct mt_counters *c = &mt->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
		" s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"links", (json_int_t)c->links,
		"links-open", (json_int_t)mt->n_links,
		"links-refused", (json_int_t)c->links_refused,
		"messages", (json_int_t)c->messages,
		"errors", (json_int_t)c->errors,
		"bad-frames", (json_int_t)c->bad_frames,
		"naf-id-lists", (json_int_t)c->naf_id_lists,
		"btids", (json_int_t)c->btids,
		"optimised", (json_int_t)c->optimised,
		"bootstraps", (json_int_t)c->bootstraps,
		"bootstrap-failures", (json_int_t)c->bootstrap_failures,
		"completed", (json_int_t)c->completed,
		"keys-wiped", (json_int_t)c->keys_wiped,
		"kernel-keys", (json_int_t)c->kernel_keys,
		"kernel-keys-kept", (json_int_t)c->kernel_keys_kept,
		"watches", (json_int_t)c->watches,
		"watches-open", (json_int_t)mt->n_watches,
		"rekeys", (json_int_t)c->rekeys,
		"rekeys-unwatched", (json_int_t)c->rekeys_unwatched,
		"rekeys-limited", (json_int_t)c->rekeys_limited,
		"key-events", (json_int_t)c->key_events,
		"flow-binds", (json_int_t)c->flow_binds,
		"flow-switches", (json_int_t)c->flow_switches,
		"flow-bind-failures", (json_int_t)c->flow_bind_failures);

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void mt_free(void *state)
{
	struct mt *mt = state;

	if (!mt)
		return;
	if (mt->timer)
		event_free(mt->timer);
	mt_request_cancel(mt);
	mt_events_stop(mt);
	mt_watch_drop(mt, NULL);
	mt_links_free(mt);
	mt_flow_close(mt);
	usim_close(mt->usim);
	config_url_free(&mt->bsf_url);
	OPENSSL_cleanse(mt, sizeof(*mt));
	free(mt);
}

const struct role_ops role_mt = {
	.name = ROLE,
	.parse_config = mt_config_parse,
	.admin_commands = mt_admin_commands,
	.free_config = mt_config_free,
	.config_listens = mt_config_listens,
	.store_keeps = "the USIM, its bootstrap and the Ks_local keys",
	.needs_tls = false,
	.start = mt_start,
	.stop = mt_stop,
	.busy = mt_busy,
	.restart_key = mt_restart_key,
	.reload = mt_reload,
	.listeners = mt_listeners,
	.status = mt_status,
	.free = mt_free,
};
