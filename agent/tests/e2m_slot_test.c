// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/e2m_flow.c's reading of a flow's key slots as FLOW_GET gives
 * them: the MAC-failure counter (u64, every bit of it), the state of a
 * slot killed for failed MACs, and a slot from a kernel without either.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "kernel/e2m_flow.h"
#include "tap.h"

/* A flow of TEID 100 with one slot; mac_failures < 0: no such attribute. */
static struct nl_msg *flow_msg(uint8_t state, long long mac_failures,
			       uint64_t big)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *flow, *slot;

	flow = nla_nest_start(msg, E2M_A_FLOW);
	nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, 100);
	slot = nla_nest_start(msg, E2M_FLOW_A_SLOT);
	nla_put_u8(msg, E2M_SLOT_A_KEY_ID, 5);
	nla_put_u32(msg, E2M_SLOT_A_KEY_SERIAL, 1234);
	nla_put_u8(msg, E2M_SLOT_A_STATE, state);
	if (mac_failures >= 0)
		nla_put_u64(msg, E2M_SLOT_A_MAC_FAILURES,
			    big ? big : (uint64_t)mac_failures);
	nla_nest_end(msg, slot);
	nla_nest_end(msg, flow);
	return msg;
}

static int parse(struct nl_msg *msg, struct e2m_flow *flow)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[E2M_A_MAX + 1];
	struct genl_conn conn;
	int ret;

	memset(&conn, 0, sizeof(conn));
	nla_parse(tb, E2M_A_MAX, nlmsg_attrdata(nlh, 0), nlmsg_attrlen(nlh, 0),
		  NULL);
	ret = e2m_flow_parse(&conn, tb, flow);
	nlmsg_free(msg);
	return ret;
}

int main(void)
{
	struct e2m_flow flow;

	ok(parse(flow_msg(E2M_SLOT_LIVE, 1023, 0), &flow) == 0 &&
	   flow.nslots == 1 && flow.slots[0].key_id == 5 &&
	   flow.slots[0].state == E2M_SLOT_LIVE &&
	   flow.slots[0].mac_failures == 1023,
	   "a live slot with 1023 failed MACs");
	ok(parse(flow_msg(E2M_SLOT_MAC_LIMIT, 1024, 0), &flow) == 0 &&
	   flow.slots[0].state == E2M_SLOT_MAC_LIMIT &&
	   flow.slots[0].mac_failures == 1024,
	   "a slot killed at 1024 failed MACs: state MAC_LIMIT");
	ok(parse(flow_msg(E2M_SLOT_LIVE, 0, UINT64_C(0x8000000000000001)),
		 &flow) == 0 &&
	   flow.slots[0].mac_failures == UINT64_C(0x8000000000000001),
	   "the counter is read as all 64 bits");
	ok(parse(flow_msg(E2M_SLOT_DEAD, -1, 0), &flow) == 0 &&
	   flow.slots[0].state == E2M_SLOT_DEAD &&
	   flow.slots[0].mac_failures == 0,
	   "a kernel without the counter: 0");
	ok(!strcmp(e2m_slot_state_name(E2M_SLOT_MAC_LIMIT), "mac-limit") &&
	   !strcmp(e2m_slot_state_name(E2M_SLOT_LIVE), "live") &&
	   !strcmp(e2m_slot_state_name(E2M_SLOT_DEAD), "dead") &&
	   !strcmp(e2m_slot_state_name(E2M_SLOT_EXHAUSTED), "exhausted"),
	   "state names: live, dead, exhausted, mac-limit");
	ok(!strcmp(e2m_slot_state_name(0), "unknown") &&
	   !strcmp(e2m_slot_state_name(5), "unknown"),
	   "states 0 and 5: unknown");
	return done_testing();
}
