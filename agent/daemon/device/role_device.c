// SPDX-License-Identifier: GPL-2.0
/*
 * The remote / external device role: its life, see role_device.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "daemon/log.h"
#include "device_events.h"
#include "device_link.h"
#include "device_watch.h"
#include "kernel/e2m_keyset.h"
#include "role_device.h"

static void device_free(void *state);

static int open_kernel(struct device *device)
{
	int ret;

	if (!device->has_flows)
		return 0;
	ret = genl_open(&device->nl);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, DEVICE_ROLE, "start-failed",
			"the e2m family: %s", device->nl.error);
		return ret;
	}
	return device_events_start(device);
}

static int device_start(struct daemon *daemon, void **state)
{
	struct device *device = calloc(1, sizeof(*device));
	size_t i;
	int ret;

	if (!device)
		return -ENOMEM;
	device->daemon = daemon;
	device->conf = config_device(daemon->config);
	if (strcmp(device->conf->keyring, "none"))
		e2m_keyring_special(device->conf->keyring, &device->keyring);
	device->n_links = device->conf->n_links;
	for (i = 0; i < device->n_links; i++) {
		device->links[i].device = device;
		device->links[i].conf = &device->conf->links[i];
		device->has_flows |= device->conf->links[i].flow.present;
	}
	ret = open_kernel(device);
	for (i = 0; !ret && i < device->n_links; i++)
		ret = device_link_start(&device->links[i]);
	for (i = 0; !ret && i < device->n_links; i++)
		ret = device_watch_start(&device->links[i]);
	if (ret) {
		device_free(device);
		return ret;
	}
	*state = device;
	return 0;
}

static void device_stop(void *state)
{
	struct device *device = state;
	size_t i;

	device->stopping = true;
	for (i = 0; i < device->n_links; i++) {
		evtimer_del(device->links[i].timer);
		device_watch_stop(&device->links[i]);
	}
	device_events_stop(device);
}

/* Runs block the loop: none is ever in flight when this is asked. */
static bool device_busy(void *state)
{
	(void)state;
	return false;
}

/* Links and their flows are the role's state: any change restarts. */
static const char *device_restart_key(const struct config *old,
				      const struct config *new_config)
{
	if (!device_config_equal(config_device(old),
				 config_device(new_config)))
		return "roles.device";
	return NULL;
}

static void device_reload(void *state, const struct config *new_config)
{
	struct device *device = state;
	size_t i;

	device->conf = config_device(new_config);
	for (i = 0; i < device->n_links; i++)
		device->links[i].conf = &device->conf->links[i];
}

/* The device listens on nothing: it asks the MT and the Key Centres. */
static size_t device_listeners(void *state, struct role_listener *out,
			       size_t max)
{
	(void)state;
	(void)out;
	(void)max;
	return 0;
}

static int device_status(void *state, json_t *obj)
{
	struct device *device = state;
	const struct device_counters *c = &device->counters;
	json_t *counters = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
		" s:I, s:I}",
		"links", (json_int_t)device->n_links,
		"runs", (json_int_t)c->runs,
		"established", (json_int_t)c->established,
		"stored", (json_int_t)c->stored,
		"renewals", (json_int_t)c->renewals,
		"extended", (json_int_t)c->extended,
		"failures", (json_int_t)c->failures,
		"binds", (json_int_t)c->binds,
		"bind-failures", (json_int_t)c->bind_failures,
		"events", (json_int_t)c->events,
		"event-runs", (json_int_t)c->event_runs,
		"rekey-requests", (json_int_t)c->rekey_requests,
		"watch-failures", (json_int_t)c->watch_failures);

	if (!counters || json_object_set_new(obj, "counters", counters))
		return -ENOMEM;
	return 0;
}

static void device_free(void *state)
{
	struct device *device = state;
	size_t i;

	if (!device)
		return;
	for (i = 0; i < device->n_links; i++) {
		device_watch_stop(&device->links[i]);
		device_link_stop(&device->links[i]);
	}
	device_events_stop(device);
	if (device->nl.sock)
		genl_close(&device->nl);
	OPENSSL_cleanse(device, sizeof(*device));
	free(device);
}

const struct role_ops role_device = {
	.name = DEVICE_ROLE,
	.parse_config = device_config_parse,
	.free_config = device_config_free,
	.kernel_devices = device_config_devices,
	.store_keeps = "the device's Ks_local keys",
	.needs_tls = false,
	.start = device_start,
	.stop = device_stop,
	.busy = device_busy,
	.restart_key = device_restart_key,
	.reload = device_reload,
	.listeners = device_listeners,
	.status = device_status,
	.free = device_free,
};
