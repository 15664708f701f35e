/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The remote / external device role (TS 33.259 4.5.2 steps 1-18, seed
 * 001 7-8; Documentation/local-key-establishment.md): for each configured
 * (MT, NAF Key Centre) pair the device keeps a Ks_local up by itself,
 * through ue/local_key.h (the same code as e2mctl local-key establish):
 *
 *	at start	the stored key when still good (installed again where
 *			gone), else the procedure
 *	before its end	the procedure again (local_key_plan_renew_at(): a
 *			tenth of the key's life ahead, at least 120 s; but
 *			not before a tenth of its life has passed,
 *			device_plan_renew_wait())
 *	kernel events	for the link's flow and key (device_events.h): key
 *			expired, revoked or invalid: establish (the stored
 *			key first); key mismatch or MAC failures: the
 *			procedure again, the stored key is not the MT's
 *	the MT asks	a rekey-request on the link's rekey-watch
 *			(device_watch.h): the procedure again
 *	failures	tried again after 5 s, doubled up to 300 s
 *
 * Each new key goes into the keyring (roles.device.keyring) and, where a
 * link has a flow, is bound to it make before break (device_link.h): the
 * new key bound under the link's other Key ID, transmitted with, the old
 * slot unbound, and only then the old key revoked.
 *
 * A run blocks the loop (each step with roles.device.timeout): the role is
 * meant for a device's own e2md, not one that serves a network.
 *
 * Log lines name the Device_ID, NAF-ID, B-TID and serial, never a key.
 */
#ifndef E2MD_ROLE_DEVICE_H
#define E2MD_ROLE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <keyutils.h>

#include "daemon/daemon.h"
#include "daemon/roles.h"
#include "device_config.h"
#include "device_plan.h"
#include "kernel/genl.h"
#include "proto/local/local_msg.h"

#define DEVICE_ROLE	"device"

struct device;

/* The link's rekey-watch on its MT (device_watch.h). */
struct device_watch {
	struct bufferevent *bev;		/* NULL: none open */
	struct event *retry;
	uint32_t next_id;
	struct local_msg sent;			/* the watch on bev */
	unsigned int failures;			/* in a row */
};

/* One (MT, NAF Key Centre) pair. */
struct device_link {
	struct device *device;
	const struct config_device_link *conf;	/* re-pointed on reload */
	struct event *timer;			/* the next run */
	bool renew_next;			/* that run asks a new key */
	unsigned int failures;			/* runs failed in a row */
	int64_t expires;			/* the key's; 0: none yet */
	struct device_bound bound;		/* the flow's key */
	int32_t revoke_after_bind;		/* a replaced key, 0: none */
	struct device_watch watch;
};

struct device_counters {
	unsigned long long runs;
	unsigned long long established;		/* steps 2-18 run */
	unsigned long long stored;		/* a stored key used */
	unsigned long long failures;
	unsigned long long renewals;		/* runs before the end */
	unsigned long long extended;		/* same key, expiry moved */
	unsigned long long binds;		/* keys bound to a flow */
	unsigned long long bind_failures;
	unsigned long long events;		/* kernel events read */
	unsigned long long event_runs;		/* runs an event asked */
	unsigned long long rekey_requests;	/* runs the MT asked */
	unsigned long long watch_failures;	/* watches lost, refused */
};

struct device {
	struct daemon *daemon;
	const struct config_device *conf;	/* re-pointed on reload */
	key_serial_t keyring;			/* 0: none */
	struct device_link links[DEVICE_LINKS_MAX];
	size_t n_links;
	bool has_flows;
	struct genl_conn nl;			/* flow commands */
	struct genl_conn nl_events;
	struct event *events;
	bool stopping;
	struct device_counters counters;
};

extern const struct role_ops role_device;

#endif /* E2MD_ROLE_DEVICE_H */
