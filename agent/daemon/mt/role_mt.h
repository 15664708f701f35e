/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT / UICC hosting device role (TS 33.259 4.5.2 steps 2-9 and 18;
 * the MT - external device paper, seed 001 7-8): a remote or external
 * device asks it, over the local interface (proto/local/, TCP on
 * mt.listen), for the NAF Key Centres it knows and for a B-TID; the MT
 * derives, from the UICC's bootstrap, the Ks_local the device will get
 * from the Key Centre, and keeps it. Parts on the daemon's loop:
 *
 *	links	 (mt_link.h) the local interface's connections: frames in,
 *		 answers out, one request of a link at a time
 *	requests (mt_request.h) each message planned (mt_plan.h) and done:
 *		 the Ub run (ue/bootstrap.h, on the loop, never blocking),
 *		 Ks_(ext)_NAF (ue/naf_key.h), Ks_local (crypto/ks_local.h,
 *		 the Key Centre's own derivation), the store, the keyring
 *	keyring	 (mt_keyring.h) each Ks_local as a ks_local key with the
 *		 Ks lifetime as its expiry; revoked when its row goes
 *
 * The USIM of mt.iccid is the daemon store's software USIM (e2mctl usim
 * add); its GBA_ME sessions or GBA_U state live there too, with the
 * Ks_local rows (store.h, struct store_mt_key). At start every row of
 * another ICC_ID is removed and its key revoked (a new UICC, seed 001
 * 7.5); a timer removes expired rows.
 *
 * Log lines name the B-TID, Device_ID and NAF-ID, never a key.
 */
#ifndef E2MD_ROLE_MT_H
#define E2MD_ROLE_MT_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/listener.h>
#include <keyutils.h>

#include "aka/usim.h"
#include "daemon/daemon.h"
#include "daemon/roles.h"
#include "kernel/genl.h"
#include "mt_config.h"
#include "mt_plan.h"
#include "ue/bootstrap.h"

#define MT_KEYRING_DEFAULT	"@u"
#define MT_LINKS_MAX		32	/* more at once are closed at accept */
#define MT_IDLE_SECONDS		300	/* a link silent this long is closed */
#define MT_UB_TIMEOUT		10	/* seconds per Ub request */
#define MT_TIMER_SECONDS	60	/* removes expired keys */

struct mt_link;
struct mt_watch;

/* The last rekey-request sent for a key: the rate limit's memory. */
struct mt_rekey_sent {
	char naf_id[DNS_NAME_MAX + 1];
	char device_id[STORE_DEVICE_ID_MAX + 1];
	int64_t at;				/* 0: free */
};

struct mt_counters {
	unsigned long long links;		/* accepted */
	unsigned long long links_refused;	/* over MT_LINKS_MAX */
	unsigned long long messages;		/* frames with a good length */
	unsigned long long errors;		/* error answers sent */
	unsigned long long bad_frames;		/* links ended by a length */
	unsigned long long naf_id_lists;
	unsigned long long btids;		/* B-TID answers */
	unsigned long long optimised;		/* ... without a Ub run */
	unsigned long long bootstraps;		/* Ub runs started */
	unsigned long long bootstrap_failures;
	unsigned long long completed;		/* step 18 notices acked */
	unsigned long long keys_wiped;		/* another UICC's, expired */
	unsigned long long kernel_keys;		/* ks_local keys added */
	unsigned long long kernel_keys_kept;	/* same bytes: expiry moved */
	unsigned long long watches;		/* rekey-watches held */
	unsigned long long rekeys;		/* rekey-requests sent */
	unsigned long long rekeys_unwatched;	/* wanted, no watch */
	unsigned long long rekeys_limited;	/* wanted within the gap */
	unsigned long long key_events;		/* kernel events read */
	unsigned long long flow_binds;		/* the MT's flow bound */
	unsigned long long flow_switches;	/* ... moved once the device
						 * used the new key */
	unsigned long long flow_bind_failures;
};

/* A flow of roles.mt.flows whose new key waits for the device (mt_flow.h). */
struct mt_switch_wait {
	bool waiting;
	uint8_t old_key_id;		/* the key transmitting until then */
};

struct mt {
	struct daemon *daemon;
	const struct config_mt *conf;		/* re-pointed on reload */
	struct usim *usim;
	struct evconnlistener *listener;
	char address[CONFIG_ADDR_TEXT_MAX];
	struct mt_link *links;
	size_t n_links;
	struct ue_bootstrap *bootstrap;		/* the Ub run, NULL: none */
	struct mt_watch *watches;		/* rekey-watches held */
	size_t n_watches;
	struct mt_rekey_sent rekeys_sent[MT_WATCHES_MAX];
	struct genl_conn nl;			/* the MT's own flows */
	bool nl_open;
	struct genl_conn nl_events;		/* the kernel's key events */
	struct event *events;
	/*
	 * Ub's URL, the MT's own copy: a run holds a pointer to it, and a
	 * reload frees the configuration it came from. A reload during a
	 * run keeps the old copy until the run ends.
	 */
	struct config_url bsf_url;
	struct config_url bsf_url_retired;
	struct event *timer;
	struct mt_switch_wait switches[MT_FLOWS_MAX];	/* by flow */
	struct event *switch_timer;	/* polls them, armed while any waits */
	bool stopping;
	bool said_no_module;			/* no-kernel-key logged */
	struct mt_counters counters;
};

extern const struct role_ops role_mt;

/* The Ub run has ended: the URL a reload retired during it goes. */
void mt_bootstrap_ended(struct mt *mt);

#endif /* E2MD_ROLE_MT_H */
