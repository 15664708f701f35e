/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's decisions, apart from their execution so that they can be
 * tested without a kernel (Documentation/best.md, "The HSE"):
 *
 * hse_plan_install() - what a triplet's key set needs done to the flow of
 *	its TEID, given the flow as the kernel has it (NULL: no flow) and
 *	whether the key set is of a newer AKA run than the flow's (new_run)
 *	or of the flow's own run again:
 *
 *	no flow, a new run		create it, bind (the first key
 *					bound transmits)
 *	no slot of the KSI, < 2 slots	bind with E2M_KEY_F_TX_ON_RX (a
 *					rekey: the UE switches first)
 *	no slot of the KSI, 2 slots	unbind the slot not used for
 *					transmission, then bind as above
 *	a slot of the KSI, a new run	unbind it, then bind as above; if
 *					it transmits beside another slot,
 *					refused (-EBUSY): the run's KSI is
 *					in use
 *	the run again:
 *	  a DEAD slot of the KSI	bind in place of it (the kernel
 *					carries COUNT and the replay window
 *					over), no flag
 *	  a LIVE slot of the KSI	nothing: that key set is in already
 *					(-EALREADY)
 *	  an EXHAUSTED slot of the KSI	refused (-EKEYEXPIRED): COUNT is
 *					used up, a new AKA run is needed
 *	  a MAC_LIMIT slot of the KSI	refused (-EKEYEXPIRED): the kernel
 *					killed the key set for failed MACs
 *					and never binds it again
 *	  no slot of the KSI, no flow	refused (-ESTALE): where its COUNTs
 *					got to is lost, and binding it anew
 *					would send COUNTs again under the
 *					same keys
 *
 * hse_plan_endpoint_changed() - whether a flow's remote TEID, peer or an
 *	inner address the triplet names differ from the triplet's (then
 *	E2M_CMD_FLOW_SET; an inner address is changed, never removed).
 *
 * hse_event_action() - what a kernel event asks of the HSE: pull the key
 *	set of the flow again (a key revoked, expired or invalidated, or
 *	traffic without a live key), or log that a new AKA run is needed
 *	(COUNT near or at its end: the same key set would not help).
 */
#ifndef E2MD_HSE_PLAN_H
#define E2MD_HSE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/e2m_flow.h"

struct hse_plan {
	bool create_flow;
	bool update_flow;		/* FLOW_SET first: a new endpoint */
	bool unbind;			/* unbind_key_id first */
	uint8_t unbind_key_id;
	uint32_t bind_flags;		/* E2M_KEY_F_* */
};

/* 0 with *plan set, -EALREADY, -EKEYEXPIRED, -EBUSY or -ESTALE (above). */
int hse_plan_install(const struct e2m_flow *flow, uint8_t ksi, bool new_run,
		     struct hse_plan *plan);

bool hse_plan_endpoint_changed(const struct e2m_flow *have,
			       const struct e2m_flow *want);

enum hse_action {
	HSE_ACTION_NONE,
	HSE_ACTION_PULL,		/* pull the key set again, rebind */
	HSE_ACTION_AKA_NEEDED,		/* log event=aka-needed */
};

/* cmd is E2M_CMD_EVENT_KEY or E2M_CMD_EVENT_NO_KEY, reason the event's. */
enum hse_action hse_event_action(uint8_t cmd, uint8_t reason);

#endif /* E2MD_HSE_PLAN_H */
