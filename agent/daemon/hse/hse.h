/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE role's state, shared by its parts (Documentation/best.md, "The
 * HSE"); each part is a file of its own:
 *
 *	hse_config.c	roles.hse: its schema, struct config_hse, config_hse()
 *	role_hse.c	start (device check, reconcile), stop, status
 *	hse_triplet.c	POST /e2m/v1/triplet from the P-GW
 *	hse_pull.c	the key set pull from the HSS
 *	hse_install.c	a pulled key set into the keyring and the kernel
 *	hse_commit.c	the group commit of the installed flows' rows
 *	hse_events.c	the kernel's key events: pull again, rebind
 *	hse_reconcile.c	the kernel's flows against the store at start
 *	hse_reconcile_plan.c what the reconcile does to each TEID (no I/O)
 *	hse_plan.c	what a key set or an event does to a flow (no I/O)
 *	hse_keyring.c	the "e2m-hse" keyring
 *	hse_teid_lock.c	one TEID at a time across workers
 *
 * Everything runs on the daemon's loop, one thing at a time: netlink
 * commands are quick and synchronous, only the pulls wait. On several
 * workers (daemon/workers.h) each process serves triplets so, and a TEID
 * is one process's at a time (hse_teid_lock.h); the kernel's events, and
 * the reconciliation at start, are the first process's alone.
 */
#ifndef E2MD_HSE_H
#define E2MD_HSE_H

#include <stdint.h>

#include <event2/event.h>
#include <keyutils.h>

#include "aka/aka.h"
#include "hse_config.h"
#include "hse_teid_lock.h"
#include "kernel/genl.h"

#define HSE_ROLE	"hse"

struct daemon;
struct hse_commit;
struct hse_pull;

/* What e2mctl status shows. */
struct hse_counters {
	unsigned long long triplets;		/* answered 200 */
	unsigned long long pulls;		/* key sets received */
	unsigned long long pulls_failed;	/* no key set: any reason */
	unsigned long long pull_batches;	/* POST /e2m/v1/keysets sent */
	unsigned long long installs;		/* new flows */
	unsigned long long rekeys;		/* a new key set, same flow */
	unsigned long long on_demand_pulls;	/* started by an event */
	unsigned long long aka_needed;
	unsigned long long events;		/* from the kernel */
	unsigned long long teid_waits;		/* held by another worker */
	unsigned long long teid_timeouts;	/* ... for too long */
};

/*
 * An AKA run whose key set the HSS no longer has, for a flow: events for
 * that flow do not pull again (each would be refused) until a triplet
 * brings a new run. The most recent HSE_SPENT_MAX are kept.
 */
#define HSE_SPENT_MAX	1024

struct hse_spent {
	uint32_t teid;
	uint8_t rand[AKA_RAND_LEN];
};

struct hse {
	struct daemon *daemon;
	const struct config_hse *conf;		/* re-pointed on reload */
	struct http_server *server;		/* the triplet listener */
	struct https_client *hss;		/* key set pulls */
	struct genl_conn nl;			/* commands */
	struct genl_conn nl_events;		/* the events group */
	struct event *events;			/* nl_events readable */
	key_serial_t ring;			/* "e2m-hse" */
	uint32_t ifindex;			/* of conf->device */
	struct hse_pull *pulls;			/* queued or in flight */
	struct event *pull_send;		/* sends the queued, hse_pull.c */
	struct hse_commit *commit;		/* rows waiting, hse_commit.h */
	struct hse_teid_lock teids;		/* on several workers */
	struct hse_counters counters;
	struct hse_spent spent[HSE_SPENT_MAX];
	size_t spent_next;			/* the slot to overwrite */
};

/* Logs event=aka-needed for the flow of teid, with why; counts it. */
void hse_log_aka_needed(struct hse *hse, uint32_t teid, const char *imsi,
			const char *why);

#endif /* E2MD_HSE_H */
