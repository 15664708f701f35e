// SPDX-License-Identifier: GPL-2.0
/*
 * Flow and key commands of the e2m family, see e2m_flow.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "e2m_flow.h"

static struct nla_policy flow_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = { .type = NLA_U32 },
	[E2M_FLOW_A_REMOTE_TEID] = { .type = NLA_U32 },
	[E2M_FLOW_A_PEER_IPV4] = { .minlen = 4, .maxlen = 4 },
	[E2M_FLOW_A_PEER_IPV6] = { .minlen = 16, .maxlen = 16 },
	[E2M_FLOW_A_PEER_PORT] = { .type = NLA_U16 },
	[E2M_FLOW_A_INNER_IPV4] = { .minlen = 4, .maxlen = 4 },
	[E2M_FLOW_A_INNER_IPV6] = { .minlen = 16, .maxlen = 16 },
	[E2M_FLOW_A_TX_KEY_ID] = { .type = NLA_U8 },
	[E2M_FLOW_A_KEY_ID] = { .type = NLA_U8 },
	[E2M_FLOW_A_KEY_SERIAL] = { .type = NLA_U32 },
	[E2M_FLOW_A_SLOT] = { .type = NLA_NESTED },
	[E2M_FLOW_A_STATS] = { .type = NLA_NESTED },
	[E2M_FLOW_A_STAGED] = { .type = NLA_U32 },
};

static struct nla_policy slot_policy[E2M_SLOT_A_MAX + 1] = {
	[E2M_SLOT_A_KEY_ID] = { .type = NLA_U8 },
	[E2M_SLOT_A_KEY_SERIAL] = { .type = NLA_U32 },
	[E2M_SLOT_A_ENC_ALG] = { .type = NLA_U8 },
	[E2M_SLOT_A_INT_ALG] = { .type = NLA_U8 },
	[E2M_SLOT_A_TX_COUNT] = { .type = NLA_U64 },
	[E2M_SLOT_A_RX_COUNT] = { .type = NLA_U64 },
	[E2M_SLOT_A_STATE] = { .type = NLA_U8 },
	[E2M_SLOT_A_TX_PENDING] = { .type = NLA_U8 },
	[E2M_SLOT_A_MAC_FAILURES] = { .type = NLA_U64 },
	[E2M_SLOT_A_KEY_TYPE] = { .type = NLA_U8 },
	[E2M_SLOT_A_EXPIRY] = { .type = NLA_U64 },
};

int e2m_ip_parse(const char *text, struct e2m_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, text, &ip->v4) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, text, &ip->v6) == 1)
		ip->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

const struct e2m_slot *e2m_flow_slot(const struct e2m_flow *flow,
				     uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < flow->nslots; i++)
		if (flow->slots[i].key_id == key_id)
			return &flow->slots[i];
	return NULL;
}

const char *e2m_slot_state_name(uint8_t state)
{
	switch (state) {
	case E2M_SLOT_LIVE:
		return "live";
	case E2M_SLOT_DEAD:
		return "dead";
	case E2M_SLOT_EXHAUSTED:
		return "exhausted";
	case E2M_SLOT_MAC_LIMIT:
		return "mac-limit";
	}
	return "unknown";
}

const char *e2m_key_kind_name(uint8_t kind)
{
	switch (kind) {
	case E2M_KEY_KIND_KEYSET:
		return E2M_KEYSET_KEY_TYPE;
	case E2M_KEY_KIND_KS_LOCAL:
		return E2M_KS_LOCAL_KEY_TYPE;
	}
	return "unknown";
}

const char *e2m_event_reason_name(uint8_t reason)
{
	static const char *const names[] = {
		[E2M_EVENT_KEY_REVOKED] = "revoked",
		[E2M_EVENT_KEY_EXPIRED] = "expired",
		[E2M_EVENT_KEY_INVALID] = "invalid",
		[E2M_EVENT_COUNT_NOTIFY] = "count-notify",
		[E2M_EVENT_COUNT_EXHAUSTED] = "count-exhausted",
		[E2M_EVENT_UNKNOWN_TEID] = "unknown-teid",
		[E2M_EVENT_NO_LIVE_KEY] = "no-live-key",
		[E2M_EVENT_MAC_FAILURES] = "mac-failures",
		[E2M_EVENT_KEY_MISMATCH] = "key-mismatch",
	};

	if (reason < sizeof(names) / sizeof(names[0]))
		return names[reason];
	return NULL;
}

/* ---- replies ------------------------------------------------------------- */

static int malformed(struct genl_conn *conn, const char *what)
{
	return genl_set_error(conn, -EBADMSG, "malformed %s from the kernel",
			      what);
}

static uint8_t get_u8(struct nlattr *nla)
{
	return nla ? nla_get_u8(nla) : 0;
}

static uint64_t get_u64(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

static int parse_slot(struct genl_conn *conn, struct nlattr *nest,
		      struct e2m_slot *slot)
{
	struct nlattr *tb[E2M_SLOT_A_MAX + 1];

	memset(slot, 0, sizeof(*slot));
	if (nla_parse_nested(tb, E2M_SLOT_A_MAX, nest, slot_policy) ||
	    !tb[E2M_SLOT_A_KEY_ID] || !tb[E2M_SLOT_A_KEY_SERIAL])
		return malformed(conn, "key slot");
	slot->key_id = nla_get_u8(tb[E2M_SLOT_A_KEY_ID]);
	slot->serial = (int32_t)nla_get_u32(tb[E2M_SLOT_A_KEY_SERIAL]);
	slot->enc_alg = get_u8(tb[E2M_SLOT_A_ENC_ALG]);
	slot->int_alg = get_u8(tb[E2M_SLOT_A_INT_ALG]);
	slot->state = get_u8(tb[E2M_SLOT_A_STATE]);
	slot->tx_pending = get_u8(tb[E2M_SLOT_A_TX_PENDING]) != 0;
	slot->tx_count = get_u64(tb[E2M_SLOT_A_TX_COUNT]);
	slot->rx_count = get_u64(tb[E2M_SLOT_A_RX_COUNT]);
	/* A kernel from before the MAC-failure limit has none: 0. */
	slot->mac_failures = get_u64(tb[E2M_SLOT_A_MAC_FAILURES]);
	/* One from before ks_local binds only binds e2mkeyset keys. */
	slot->kind = tb[E2M_SLOT_A_KEY_TYPE] ?
		     nla_get_u8(tb[E2M_SLOT_A_KEY_TYPE]) : E2M_KEY_KIND_KEYSET;
	slot->expiry = get_u64(tb[E2M_SLOT_A_EXPIRY]);
	return 0;
}

/* The slots are repeated E2M_FLOW_A_SLOT attributes, which nla_parse folds. */
static int parse_slots(struct genl_conn *conn, struct nlattr *nest,
		       struct e2m_flow *flow)
{
	struct nlattr *nla;
	int rem, ret;

	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != E2M_FLOW_A_SLOT ||
		    flow->nslots == E2M_FLOW_SLOTS_READ)
			continue;
		ret = parse_slot(conn, nla, &flow->slots[flow->nslots]);
		if (ret)
			return ret;
		flow->nslots++;
	}
	return 0;
}

static void parse_addresses(struct nlattr **tb, struct e2m_flow *flow)
{
	if (tb[E2M_FLOW_A_PEER_IPV4]) {
		flow->peer.family = AF_INET;
		memcpy(&flow->peer.v4, nla_data(tb[E2M_FLOW_A_PEER_IPV4]), 4);
	} else if (tb[E2M_FLOW_A_PEER_IPV6]) {
		flow->peer.family = AF_INET6;
		memcpy(&flow->peer.v6, nla_data(tb[E2M_FLOW_A_PEER_IPV6]), 16);
	}
	if (tb[E2M_FLOW_A_INNER_IPV4]) {
		flow->has_inner4 = true;
		memcpy(&flow->inner4, nla_data(tb[E2M_FLOW_A_INNER_IPV4]), 4);
	}
	if (tb[E2M_FLOW_A_INNER_IPV6]) {
		flow->has_inner6 = true;
		memcpy(&flow->inner6, nla_data(tb[E2M_FLOW_A_INNER_IPV6]), 16);
	}
}

int e2m_flow_parse(struct genl_conn *conn, struct nlattr **top,
		   struct e2m_flow *flow)
{
	struct nlattr *tb[E2M_FLOW_A_MAX + 1];
	int ret;

	memset(flow, 0, sizeof(*flow));
	if (!top[E2M_A_FLOW] ||
	    nla_parse_nested(tb, E2M_FLOW_A_MAX, top[E2M_A_FLOW],
			     flow_policy) ||
	    !tb[E2M_FLOW_A_LOCAL_TEID])
		return malformed(conn, "flow");
	flow->local_teid = nla_get_u32(tb[E2M_FLOW_A_LOCAL_TEID]);
	if (tb[E2M_FLOW_A_REMOTE_TEID])
		flow->remote_teid = nla_get_u32(tb[E2M_FLOW_A_REMOTE_TEID]);
	if (tb[E2M_FLOW_A_PEER_PORT])
		flow->peer_port = nla_get_u16(tb[E2M_FLOW_A_PEER_PORT]);
	parse_addresses(tb, flow);
	if (tb[E2M_FLOW_A_TX_KEY_ID]) {
		flow->has_tx_key_id = true;
		flow->tx_key_id = nla_get_u8(tb[E2M_FLOW_A_TX_KEY_ID]);
	}
	if (tb[E2M_FLOW_A_STAGED])
		flow->staged = nla_get_u32(tb[E2M_FLOW_A_STAGED]);
	ret = parse_slots(conn, top[E2M_A_FLOW], flow);
	return ret ? ret : e2m_stats_parse(conn, tb[E2M_FLOW_A_STATS],
					   &flow->stats);
}

int e2m_key_event_parse(struct genl_conn *conn, uint8_t cmd,
			struct nlattr **top, struct e2m_key_event *event)
{
	struct nlattr *tb[E2M_FLOW_A_MAX + 1];

	memset(event, 0, sizeof(*event));
	if (!top[E2M_A_IFINDEX] || !top[E2M_A_FLOW] ||
	    nla_parse_nested(tb, E2M_FLOW_A_MAX, top[E2M_A_FLOW],
			     flow_policy) ||
	    !tb[E2M_FLOW_A_LOCAL_TEID])
		return malformed(conn, "event");
	event->cmd = cmd;
	event->reason = get_u8(top[E2M_A_EVENT_REASON]);
	event->ifindex = nla_get_u32(top[E2M_A_IFINDEX]);
	event->teid = nla_get_u32(tb[E2M_FLOW_A_LOCAL_TEID]);
	if (tb[E2M_FLOW_A_KEY_ID]) {
		event->has_key_id = true;
		event->key_id = nla_get_u8(tb[E2M_FLOW_A_KEY_ID]);
	}
	if (tb[E2M_FLOW_A_KEY_SERIAL]) {
		event->has_serial = true;
		event->serial = (int32_t)nla_get_u32(tb[E2M_FLOW_A_KEY_SERIAL]);
	}
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

/* A request for cmd on ifname with its E2M_A_FLOW nest opened. */
static struct nl_msg *flow_request(struct genl_conn *conn, uint8_t cmd,
				   int flags, const char *ifname,
				   struct nlattr **nest)
{
	struct nl_msg *msg = genl_request_new(conn, cmd, flags);

	if (!msg)
		return NULL;
	if (nla_put_string(msg, E2M_A_IFNAME, ifname) < 0 ||
	    /* Strict validation (new families) wants NLA_F_NESTED. */
	    !(*nest = nla_nest_start(msg, E2M_A_FLOW | NLA_F_NESTED))) {
		nlmsg_free(msg);
		genl_set_error(conn, -EMSGSIZE, "request too large");
		return NULL;
	}
	return msg;
}

/* Closes the nest and runs the request; a put that failed is -EMSGSIZE. */
static int finish(struct genl_conn *conn, struct nl_msg *msg,
		  struct nlattr *nest, int put, genl_reply_fn fn, void *arg)
{
	if (put < 0) {
		nlmsg_free(msg);
		return genl_set_error(conn, -EMSGSIZE, "request too large");
	}
	nla_nest_end(msg, nest);
	return genl_transact(conn, msg, fn, arg);
}

static int put_ip(struct nl_msg *msg, int type4, int type6,
		  const struct e2m_ip *ip)
{
	if (ip->family == AF_INET)
		return nla_put(msg, type4, sizeof(ip->v4), &ip->v4);
	if (ip->family == AF_INET6)
		return nla_put(msg, type6, sizeof(ip->v6), &ip->v6);
	return 0;
}

/* FLOW_NEW or FLOW_SET: the TEIDs, the peer and the inner addresses. */
static int flow_command(struct genl_conn *conn, uint8_t cmd,
			const char *ifname, const struct e2m_flow *flow)
{
	struct nlattr *nest;
	struct nl_msg *msg = flow_request(conn, cmd, 0, ifname, &nest);
	int put;

	if (!msg)
		return -ENOMEM;
	put = nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, flow->local_teid);
	if (put >= 0 && !(cmd == E2M_CMD_FLOW_SET && flow->keep_remote_teid))
		put = nla_put_u32(msg, E2M_FLOW_A_REMOTE_TEID,
				  flow->remote_teid);
	if (put >= 0)
		put = put_ip(msg, E2M_FLOW_A_PEER_IPV4, E2M_FLOW_A_PEER_IPV6,
			     &flow->peer);
	if (put >= 0 && flow->peer_port)
		put = nla_put_u16(msg, E2M_FLOW_A_PEER_PORT, flow->peer_port);
	if (put >= 0 && flow->has_inner4)
		put = nla_put(msg, E2M_FLOW_A_INNER_IPV4, 4, &flow->inner4);
	if (put >= 0 && flow->has_inner6)
		put = nla_put(msg, E2M_FLOW_A_INNER_IPV6, 16, &flow->inner6);
	return finish(conn, msg, nest, put, NULL, NULL);
}

int e2m_flow_new(struct genl_conn *conn, const char *ifname,
		 const struct e2m_flow *flow)
{
	return flow_command(conn, E2M_CMD_FLOW_NEW, ifname, flow);
}

int e2m_flow_set(struct genl_conn *conn, const char *ifname,
		 const struct e2m_flow *flow)
{
	return flow_command(conn, E2M_CMD_FLOW_SET, ifname, flow);
}

/* A command that names a flow by TEID and maybe a Key ID. */
static int teid_command(struct genl_conn *conn, uint8_t cmd,
			const char *ifname, uint32_t teid, int key_id,
			genl_reply_fn fn, void *arg)
{
	struct nlattr *nest;
	struct nl_msg *msg = flow_request(conn, cmd, 0, ifname, &nest);
	int put;

	if (!msg)
		return -ENOMEM;
	put = nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid);
	if (put >= 0 && key_id >= 0)
		put = nla_put_u8(msg, E2M_FLOW_A_KEY_ID, (uint8_t)key_id);
	return finish(conn, msg, nest, put, fn, arg);
}

int e2m_flow_del(struct genl_conn *conn, const char *ifname, uint32_t teid)
{
	return teid_command(conn, E2M_CMD_FLOW_DEL, ifname, teid, -1, NULL,
			    NULL);
}

static int keep_flow(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		     void *arg)
{
	(void)cmd;
	return e2m_flow_parse(conn, tb, arg);
}

int e2m_flow_get(struct genl_conn *conn, const char *ifname, uint32_t teid,
		 struct e2m_flow *flow)
{
	return teid_command(conn, E2M_CMD_FLOW_GET, ifname, teid, -1,
			    keep_flow, flow);
}

struct dump {
	e2m_flow_fn fn;
	void *arg;
};

static int dump_one(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct dump *d = arg;
	struct e2m_flow flow;
	int ret;

	if (cmd != E2M_CMD_FLOW_GET)
		return 0;
	ret = e2m_flow_parse(conn, tb, &flow);
	return ret ? ret : d->fn(&flow, d->arg);
}

int e2m_flow_dump(struct genl_conn *conn, const char *ifname,
		  e2m_flow_fn fn, void *arg)
{
	struct dump d = { fn, arg };
	struct nl_msg *msg = genl_request_new(conn, E2M_CMD_FLOW_GET,
					      NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, E2M_A_IFNAME, ifname) < 0) {
		nlmsg_free(msg);
		return genl_set_error(conn, -EMSGSIZE, "request too large");
	}
	return genl_transact(conn, msg, dump_one, &d);
}

static int key_bind(struct genl_conn *conn, const char *ifname,
		    uint32_t teid, int32_t serial, const struct e2m_link *link,
		    uint32_t flags)
{
	struct nlattr *nest;
	struct nl_msg *msg = flow_request(conn, E2M_CMD_KEY_BIND, 0, ifname,
					  &nest);
	int put;

	if (!msg)
		return -ENOMEM;
	put = nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid);
	if (put >= 0)
		put = nla_put_u32(msg, E2M_FLOW_A_KEY_SERIAL, (uint32_t)serial);
	if (put >= 0 && flags)
		put = nla_put_u32(msg, E2M_FLOW_A_KEY_FLAGS, flags);
	if (put >= 0 && link)
		put = nla_put_u8(msg, E2M_FLOW_A_KEY_ID, link->key_id);
	if (put >= 0 && link)
		put = nla_put_u8(msg, E2M_FLOW_A_KEY_ALG, link->alg);
	return finish(conn, msg, nest, put, NULL, NULL);
}

int e2m_key_bind(struct genl_conn *conn, const char *ifname, uint32_t teid,
		 int32_t serial, uint32_t flags)
{
	return key_bind(conn, ifname, teid, serial, NULL, flags);
}

int e2m_key_bind_link(struct genl_conn *conn, const char *ifname,
		      uint32_t teid, int32_t serial,
		      const struct e2m_link *link, uint32_t flags)
{
	return key_bind(conn, ifname, teid, serial, link, flags);
}

int e2m_key_use(struct genl_conn *conn, const char *ifname, uint32_t teid,
		uint8_t key_id)
{
	return teid_command(conn, E2M_CMD_KEY_USE, ifname, teid, key_id, NULL,
			    NULL);
}

int e2m_key_unbind(struct genl_conn *conn, const char *ifname,
		   uint32_t teid, uint8_t key_id)
{
	return teid_command(conn, E2M_CMD_KEY_UNBIND, ifname, teid, key_id,
			    NULL, NULL);
}
