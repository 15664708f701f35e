// SPDX-License-Identifier: GPL-2.0
/*
 * nl/e2m_flow.c's reading of the kernel's key events: what the HSE acts
 * on (device, TEID, Key ID, reason), and events it must not trust.
 */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kernel/e2m_flow.h"
#include "tap.h"

/* An event's attributes as the kernel puts them; key_id < 0: none. */
static struct nl_msg *event_msg(uint32_t ifindex, int reason, long long teid,
				int key_id)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *flow;

	if (ifindex)
		nla_put_u32(msg, E2M_A_IFINDEX, ifindex);
	if (reason >= 0)
		nla_put_u8(msg, E2M_A_EVENT_REASON, (uint8_t)reason);
	flow = nla_nest_start(msg, E2M_A_FLOW);
	if (teid >= 0)
		nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, (uint32_t)teid);
	if (key_id >= 0)
		nla_put_u8(msg, E2M_FLOW_A_KEY_ID, (uint8_t)key_id);
	nla_nest_end(msg, flow);
	return msg;
}

static int parse(struct nl_msg *msg, uint8_t cmd, struct e2m_key_event *ev,
		 struct genl_conn *conn)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[E2M_A_MAX + 1];
	int ret;

	memset(conn, 0, sizeof(*conn));
	nla_parse(tb, E2M_A_MAX, nlmsg_attrdata(nlh, 0), nlmsg_attrlen(nlh, 0),
		  NULL);
	ret = e2m_key_event_parse(conn, cmd, tb, ev);
	nlmsg_free(msg);
	return ret;
}

int main(void)
{
	struct e2m_key_event ev;
	struct genl_conn conn;

	ok(parse(event_msg(7, E2M_EVENT_KEY_REVOKED, 0x3e8, 1),
		 E2M_CMD_EVENT_KEY, &ev, &conn) == 0 &&
	   ev.cmd == E2M_CMD_EVENT_KEY && ev.reason == E2M_EVENT_KEY_REVOKED &&
	   ev.ifindex == 7 && ev.teid == 0x3e8 && ev.has_key_id &&
	   ev.key_id == 1, "key revoked: device 7, TEID 1000, Key ID 1");
	ok(parse(event_msg(7, E2M_EVENT_UNKNOWN_TEID, 0xfffffffe, -1),
		 E2M_CMD_EVENT_NO_KEY, &ev, &conn) == 0 &&
	   ev.cmd == E2M_CMD_EVENT_NO_KEY &&
	   ev.reason == E2M_EVENT_UNKNOWN_TEID && ev.teid == 0xfffffffe &&
	   !ev.has_key_id, "no key for an unknown TEID: no Key ID");
	ok(parse(event_msg(7, -1, 5, 2), E2M_CMD_EVENT_KEY, &ev, &conn) == 0 &&
	   ev.reason == 0 && ev.key_id == 2, "no reason: 0");
	ok(parse(event_msg(0, E2M_EVENT_KEY_EXPIRED, 5, 2), E2M_CMD_EVENT_KEY,
		 &ev, &conn) == -EBADMSG &&
	   !strcmp(conn.error, "malformed event from the kernel"),
	   "no device: -EBADMSG, \"malformed event from the kernel\"");
	ok(parse(event_msg(7, E2M_EVENT_KEY_EXPIRED, -1, 2), E2M_CMD_EVENT_KEY,
		 &ev, &conn) == -EBADMSG, "no TEID: -EBADMSG");
	ok(parse(event_msg(7, E2M_EVENT_MAC_FAILURES, 0x3e8, 3),
		 E2M_CMD_EVENT_KEY, &ev, &conn) == 0 &&
	   ev.reason == E2M_EVENT_MAC_FAILURES && ev.teid == 0x3e8 &&
	   ev.has_key_id && ev.key_id == 3,
	   "slot killed for failed MACs: TEID 1000, Key ID 3, reason 8");
	ok(!strcmp(e2m_event_reason_name(E2M_EVENT_MAC_FAILURES), "mac-failures"),
	   "reason 8 is named \"mac-failures\"");
	ok(!strcmp(e2m_event_reason_name(E2M_EVENT_KEY_REVOKED), "revoked") &&
	   !strcmp(e2m_event_reason_name(E2M_EVENT_NO_LIVE_KEY), "no-live-key"),
	   "reasons 1 and 7 keep their names");
	ok(parse(event_msg(7, E2M_EVENT_KEY_MISMATCH, 0x3e8, 3),
		 E2M_CMD_EVENT_KEY, &ev, &conn) == 0 &&
	   ev.reason == E2M_EVENT_KEY_MISMATCH && ev.teid == 0x3e8 &&
	   ev.has_key_id && ev.key_id == 3,
	   "a local link's peer holds another key: TEID 1000, Key ID 3, reason 9");
	ok(!strcmp(e2m_event_reason_name(E2M_EVENT_KEY_MISMATCH), "key-mismatch"),
	   "reason 9 is named \"key-mismatch\"");
	/* 9 had no name before it was the key mismatch; 10 has none now. */
	ok(!e2m_event_reason_name(0) && !e2m_event_reason_name(10) &&
	   !e2m_event_reason_name(255),
	   "reasons 0, 10 and 255 have no name (monitor prints the number)");
	return done_testing();
}
