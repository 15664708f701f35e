// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's decisions, see mt_plan.h.
 */
#include <errno.h>

#include <linux/e2m.h>

#include "mt_plan.h"

static enum mt_action plan_btid(const struct mt_plan_in *in)
{
	bool usable = !in->naf_key &&
		      in->expires - in->now >= MT_LIFETIME_MIN;
	bool missing = in->naf_key == -ENOENT ||
		       in->naf_key == -EKEYEXPIRED ||
		       (!in->naf_key && !usable);

	if (!in->naf_listed)
		return MT_REFUSE_UNKNOWN_NAF;
	if (usable)
		return MT_DERIVE;
	if (!missing)
		return MT_REFUSE_INTERNAL;
	if (in->after_bootstrap)
		return MT_REFUSE_BOOTSTRAP;
	return in->bootstrap_running ? MT_WAIT_BOOTSTRAP : MT_BOOTSTRAP;
}

enum mt_action mt_plan_message(const struct mt_plan_in *in)
{
	switch (in->type) {
	case LOCAL_NAF_ID_LIST_REQUEST:
		return MT_ANSWER_NAF_IDS;
	case LOCAL_BTID_REQUEST:
		return plan_btid(in);
	case LOCAL_COMPLETE:
		return MT_COMPLETE;
	case LOCAL_REKEY_WATCH:
		if (!in->naf_listed)
			return MT_REFUSE_UNKNOWN_NAF;
		if (in->watches >= MT_WATCHES_MAX ||
		    in->link_watches >= MT_WATCHES_PER_LINK)
			return MT_REFUSE_WATCHES;
		return MT_HOLD_WATCH;
	default:
		return MT_REFUSE_UNEXPECTED;
	}
}

uint32_t mt_plan_lifetime(int64_t expires, int64_t now)
{
	if (expires - now < 1)
		return 1;
	if (expires - now > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(expires - now);
}

enum mt_rekey mt_plan_rekey(bool watched, int64_t last_sent, int64_t now)
{
	if (last_sent && now - last_sent < MT_REKEY_GAP && now >= last_sent)
		return MT_REKEY_TOO_SOON;
	return watched ? MT_REKEY_SEND : MT_REKEY_NO_WATCH;
}

const char *mt_plan_event(uint8_t cmd, uint8_t reason)
{
	if (cmd != E2M_CMD_EVENT_KEY)
		return NULL;
	switch (reason) {
	case E2M_EVENT_KEY_MISMATCH:
	case E2M_EVENT_MAC_FAILURES:
		return LOCAL_REKEY_MISMATCH;
	case E2M_EVENT_KEY_EXPIRED:
		return LOCAL_REKEY_EXPIRED;
	case E2M_EVENT_KEY_REVOKED:
		return LOCAL_REKEY_REVOKED;
	default:
		return NULL;
	}
}

enum mt_switch mt_plan_switch(const struct e2m_flow *flow,
			      uint8_t old_key_id)
{
	if (!e2m_flow_slot(flow, old_key_id))
		return MT_SWITCH_GONE;
	if (flow->has_tx_key_id && flow->tx_key_id == old_key_id)
		return MT_SWITCH_WAIT;
	return MT_SWITCH_UNBIND_OLD;
}
