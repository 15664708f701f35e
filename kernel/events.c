// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications to the agent on the "events" multicast group. They are sent
 * from the packet path (softirq), so they allocate atomically, and each is
 * bounded: once per key slot and reason (a key mismatch once per run of
 * failed MACs, keyslot.c), or rate-limited per device.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>

#include "device.h"
#include "events.h"
#include "flow.h"
#include "keyslot.h"
#include "netlink.h"

static void e2m_event_send(struct e2m_device *e2m, u32 teid,
			   const struct e2m_keyslot *slot,
			   enum e2m_event_reason reason)
{
	u8 cmd = slot ? E2M_CMD_EVENT_KEY : E2M_CMD_EVENT_NO_KEY;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &e2m_genl_family, 0, cmd);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, E2M_A_IFINDEX, e2m->dev->ifindex) ||
	    nla_put_u8(msg, E2M_A_EVENT_REASON, reason))
		goto err;
	nest = nla_nest_start(msg, E2M_A_FLOW);
	if (!nest || nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid))
		goto err;
	if (slot && (nla_put_u8(msg, E2M_FLOW_A_KEY_ID, slot->key_id) ||
		     nla_put_s32(msg, E2M_FLOW_A_KEY_SERIAL, slot->serial)))
		goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&e2m_genl_family, dev_net(e2m->dev), msg, 0,
				E2M_MCGRP_EVENTS_ID, GFP_ATOMIC);
	return;
err:
	nlmsg_free(msg);
}

void e2m_event_key(struct e2m_flow *flow, struct e2m_keyslot *slot,
		   enum e2m_event_reason reason)
{
	e2m_event_send(flow->e2m, flow->local_teid, slot, reason);
}

/* Once per slot, with the reason e2m_keyslot_alive() gave. */
void e2m_event_key_dead(struct e2m_flow *flow, struct e2m_keyslot *slot, int err)
{
	enum e2m_event_reason reason;

	if (test_and_set_bit(E2M_SLOT_F_NOTIFIED_DEAD, &slot->flags))
		return;
	switch (err) {
	case -EKEYEXPIRED:
		reason = E2M_EVENT_KEY_EXPIRED;
		break;
	case -EKEYREVOKED:
		reason = E2M_EVENT_KEY_REVOKED;
		break;
	case -EKEYREJECTED:
		reason = E2M_EVENT_MAC_FAILURES;
		break;
	default:
		reason = E2M_EVENT_KEY_INVALID;
		break;
	}
	e2m_event_key(flow, slot, reason);
}

/*
 * Traffic nobody has a key for. The agent needs to hear of a TEID once,
 * not once a packet: the same TEID again within a second is not reported,
 * and the device sends at most 10 such events a second.
 */
void e2m_event_no_key(struct e2m_device *e2m, u32 teid,
		      enum e2m_event_reason reason)
{
	unsigned long last = READ_ONCE(e2m->last_unknown_jiffies);

	if (teid == READ_ONCE(e2m->last_unknown_teid) && last &&
	    time_before(jiffies, last + HZ))
		return;
	if (!__ratelimit(&e2m->event_ratelimit))
		return;
	WRITE_ONCE(e2m->last_unknown_teid, teid);
	WRITE_ONCE(e2m->last_unknown_jiffies, jiffies ?: 1);
	e2m_event_send(e2m, teid, NULL, reason);
}
