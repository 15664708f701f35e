// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's decisions, see hse_plan.h.
 */
#include <errno.h>
#include <string.h>

#include "hse_plan.h"

/* The slot to drop to make room: the one not used for transmission. */
static const struct e2m_slot *slot_to_drop(const struct e2m_flow *flow)
{
	unsigned int i;

	for (i = 0; i < flow->nslots; i++)
		if (!flow->has_tx_key_id ||
		    flow->slots[i].key_id != flow->tx_key_id)
			return &flow->slots[i];
	return NULL;
}

int hse_plan_install(const struct e2m_flow *flow, uint8_t ksi,
		     struct hse_plan *plan)
{
	const struct e2m_slot *same, *drop;

	memset(plan, 0, sizeof(*plan));
	if (!flow) {
		plan->create_flow = true;
		return 0;
	}
	same = e2m_flow_slot(flow, ksi);
	if (same) {
		if (same->state == E2M_SLOT_DEAD)
			return 0;
		return same->state == E2M_SLOT_EXHAUSTED ? -EKEYEXPIRED :
		       -EALREADY;
	}
	if (flow->nslots >= E2M_MAX_SLOTS) {
		drop = slot_to_drop(flow);
		if (!drop)
			return -EKEYEXPIRED;
		plan->unbind = true;
		plan->unbind_key_id = drop->key_id;
	}
	/* The UE switches when its attach completes; we follow its lead. */
	if (flow->nslots)
		plan->bind_flags = E2M_KEY_F_TX_ON_RX;
	return 0;
}

enum hse_action hse_event_action(uint8_t cmd, uint8_t reason)
{
	if (cmd == E2M_CMD_EVENT_NO_KEY)
		return HSE_ACTION_PULL;
	if (cmd != E2M_CMD_EVENT_KEY)
		return HSE_ACTION_NONE;
	switch (reason) {
	case E2M_EVENT_KEY_REVOKED:
	case E2M_EVENT_KEY_EXPIRED:
	case E2M_EVENT_KEY_INVALID:
	case E2M_EVENT_NO_LIVE_KEY:
		return HSE_ACTION_PULL;
	case E2M_EVENT_COUNT_NOTIFY:
	case E2M_EVENT_COUNT_EXHAUSTED:
		return HSE_ACTION_AKA_NEEDED;
	default:
		return HSE_ACTION_NONE;
	}
}
