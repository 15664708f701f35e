/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's decisions, apart from their execution so that they can be
 * tested without a BSF or a device (Documentation/local-interface.md):
 *
 * mt_plan_message() - what a message from the device asks of the MT:
 *
 *	naf-id-list-request		answer the configured list (step 3)
 *	btid-request, NAF-ID not listed	refuse: unknown-naf-id
 *	btid-request, a bootstrap	derive Ks_(ext)_NAF and Ks_local now:
 *	  with at least MT_LIFETIME_MIN	the optimised procedure (seed 001
 *	  seconds left			8.3.2), no Ub run
 *	btid-request, none (or too	the full procedure (step 6): a Ub run,
 *	  little left)			or wait for the one running; then the
 *					request is planned again with
 *					after_bootstrap set, and a bootstrap
 *					still missing then is refused
 *					(bootstrap-failed) rather than run
 *					again
 *	btid-request, the USIM or	refuse: internal-error
 *	  store failed
 *	complete			mark the key completed (step 18), ack
 *	rekey-watch, NAF-ID not listed	refuse: unknown-naf-id
 *	rekey-watch, MT_WATCHES_PER_LINK refuse: too-many-watches (the
 *	  on the link or MT_WATCHES_MAX	link goes on)
 *	  on the MT already
 *	rekey-watch			hold it, unanswered, until the MT
 *					wants that key again (seed 001 7.3)
 *	naf-id-list, btid,		refuse: unexpected-message (the MT
 *	  complete-ack, error		answers those, it does not take them)
 *
 * mt_plan_rekey() - whether the MT, wanting the key of (NAF-ID,
 *	Device_ID) established again, sends rekey-request now: not within
 *	MT_REKEY_GAP seconds of the last it sent for that key (last_sent,
 *	0: none), so that events in a burst ask once; not without a watch
 *	for it (logged and counted by the caller, nothing else).
 *
 * mt_plan_event() - the rekey-request reason a kernel event
 *	(E2M_CMD_EVENT_KEY and its reason) on a flow bound to one of the
 *	MT's Ks_local asks for, NULL for none:
 *
 *	key mismatch, MAC failures	key-mismatch (the device holds
 *					another key, seed 001 7.3)
 *	key expired			key-expired
 *	key revoked			key-revoked
 *	anything else			none
 *
 * mt_plan_switch() - a flow whose new key was bound with
 *	E2M_KEY_F_TX_ON_RX (mt_flow.h), the old key left at old_key_id:
 *
 *	no slot at old_key_id		gone: nothing left to do
 *	the flow transmits at old_key_id wait: the device has not sent
 *					under the new key yet
 *	it transmits with another key	unbind old_key_id: the kernel
 *					switched at the device's first
 *					packet under the new key
 *
 * mt_plan_lifetime() - the lifetime of a Ks_local derived at now from a
 *	bootstrap that ends at expires: what is left of Ks (seed 001 7.2),
 *	at least 1, at most UINT32_MAX seconds.
 */
#ifndef E2MD_MT_PLAN_H
#define E2MD_MT_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/e2m_flow.h"
#include "proto/local/local_msg.h"

/* A bootstrap with less left is not used for a new key: the device
 * would have the Key Centre's answer after the key had died. */
#define MT_LIFETIME_MIN		60	/* seconds */

#define MT_WATCHES_MAX		32	/* rekey-watches held by the MT */
#define MT_WATCHES_PER_LINK	4	/* ... on one link */
#define MT_REKEY_GAP		5	/* seconds between two rekey-requests
					 * for one key */

enum mt_action {
	MT_ANSWER_NAF_IDS,
	MT_DERIVE,		/* the optimised procedure */
	MT_BOOTSTRAP,		/* the full procedure: Ub first */
	MT_WAIT_BOOTSTRAP,	/* the full procedure: Ub is running */
	MT_COMPLETE,
	MT_HOLD_WATCH,
	MT_REFUSE_WATCHES,
	MT_REFUSE_UNKNOWN_NAF,
	MT_REFUSE_BOOTSTRAP,
	MT_REFUSE_INTERNAL,
	MT_REFUSE_UNEXPECTED,
};

struct mt_plan_in {
	enum local_type type;
	bool naf_listed;		/* the request's NAF-ID is configured */
	int naf_key;			/* ue_naf_key(): 0, -ENOENT, ... */
	int64_t expires;		/* of that bootstrap, when 0 */
	int64_t now;
	bool bootstrap_running;
	bool after_bootstrap;		/* a Ub run for it just ended */
	size_t watches;			/* rekey-watch: held by the MT */
	size_t link_watches;		/* ... on the request's link */
};

enum mt_action mt_plan_message(const struct mt_plan_in *in);

enum mt_rekey {
	MT_REKEY_SEND,
	MT_REKEY_NO_WATCH,
	MT_REKEY_TOO_SOON,
};

enum mt_rekey mt_plan_rekey(bool watched, int64_t last_sent, int64_t now);

const char *mt_plan_event(uint8_t cmd, uint8_t reason);

uint32_t mt_plan_lifetime(int64_t expires, int64_t now);

enum mt_switch {
	MT_SWITCH_WAIT,
	MT_SWITCH_UNBIND_OLD,
	MT_SWITCH_GONE,
};

enum mt_switch mt_plan_switch(const struct e2m_flow *flow,
			      uint8_t old_key_id);

#endif /* E2MD_MT_PLAN_H */
