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
 *	naf-id-list, btid,		refuse: unexpected-message (the MT
 *	  complete-ack, error		answers those, it does not take them)
 *
 * mt_plan_lifetime() - the lifetime of a Ks_local derived at now from a
 *	bootstrap that ends at expires: what is left of Ks (seed 001 7.2),
 *	at least 1, at most UINT32_MAX seconds.
 */
#ifndef E2MD_MT_PLAN_H
#define E2MD_MT_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/local/local_msg.h"

/* A bootstrap with less left is not used for a new key: the device
 * would have the Key Centre's answer after the key had died. */
#define MT_LIFETIME_MIN		60	/* seconds */

enum mt_action {
	MT_ANSWER_NAF_IDS,
	MT_DERIVE,		/* the optimised procedure */
	MT_BOOTSTRAP,		/* the full procedure: Ub first */
	MT_WAIT_BOOTSTRAP,	/* the full procedure: Ub is running */
	MT_COMPLETE,
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
};

enum mt_action mt_plan_message(const struct mt_plan_in *in);

uint32_t mt_plan_lifetime(int64_t expires, int64_t now);

#endif /* E2MD_MT_PLAN_H */
