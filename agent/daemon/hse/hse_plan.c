// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's decisions, see hse_plan.h.
 */
#include <errno.h>
#include <sys/socket.h>
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

static bool transmits(const struct e2m_flow *flow, uint8_t key_id)
{
	return flow->has_tx_key_id && flow->tx_key_id == key_id;
}

/* The flow's own run again: the slot of its KSI says what can be done. */
static int plan_same_run(const struct e2m_slot *same)
{
	if (!same)
		return -ESTALE;
	if (same->state == E2M_SLOT_DEAD)
		return 0;
	return same->state == E2M_SLOT_EXHAUSTED ||
	       same->state == E2M_SLOT_MAC_LIMIT ? -EKEYEXPIRED : -EALREADY;
}

int hse_plan_install(const struct e2m_flow *flow, uint8_t ksi, bool new_run,
		     struct hse_plan *plan)
{
	const struct e2m_slot *same, *drop;

	memset(plan, 0, sizeof(*plan));
	if (!flow) {
		plan->create_flow = new_run;
		return new_run ? 0 : -ESTALE;
	}
	same = e2m_flow_slot(flow, ksi);
	if (!new_run)
		return plan_same_run(same);
	if (same) {
		/* The kernel keeps the transmitting slot while another is bound. */
		if (transmits(flow, ksi) && flow->nslots > 1)
			return -EBUSY;
		drop = same;
	} else if (flow->nslots >= E2M_MAX_SLOTS) {
		drop = slot_to_drop(flow);
		if (!drop)
			return -EKEYEXPIRED;
	} else {
		drop = NULL;
	}
	if (drop) {
		plan->unbind = true;
		plan->unbind_key_id = drop->key_id;
	}
	/* The UE switches when its attach completes; we follow its lead. */
	if (flow->nslots > (drop ? 1u : 0u))
		plan->bind_flags = E2M_KEY_F_TX_ON_RX;
	return 0;
}

static bool ip_equal(const struct e2m_ip *a, const struct e2m_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return a->family != AF_INET6 ||
	       !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

bool hse_plan_endpoint_changed(const struct e2m_flow *have,
			       const struct e2m_flow *want)
{
	return have->remote_teid != want->remote_teid ||
	       !ip_equal(&have->peer, &want->peer) ||
	       (want->peer_port && have->peer_port != want->peer_port) ||
	       (want->has_inner4 &&
		(!have->has_inner4 ||
		 have->inner4.s_addr != want->inner4.s_addr)) ||
	       (want->has_inner6 &&
		(!have->has_inner6 ||
		 memcmp(&have->inner6, &want->inner6, sizeof(want->inner6))));
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
	case E2M_EVENT_MAC_FAILURES:	/* the key set is spent for good */
		return HSE_ACTION_AKA_NEEDED;
	default:
		return HSE_ACTION_NONE;
	}
}
