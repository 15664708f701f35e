// SPDX-License-Identifier: GPL-2.0
/*
 * The "e2m" generic netlink family: the API of uapi/linux/e2m.h. Every
 * operation has its own policy, so an attribute that does not belong to it
 * is refused; every refusal says why in the extack. Changes run under the
 * RTNL, which also keeps devices from going away under an operation; dumps
 * run under RCU and resume where the previous message ended.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/e2m.h>

#include "compat.h"
#include "device.h"
#include "flow.h"
#include "keyslot.h"
#include "netlink.h"
#include "steer.h"

#define E2M_DEV_ID_POLICY						\
	[E2M_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),			\
	[E2M_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

static const struct nla_policy e2m_flow_config_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = NLA_POLICY_MIN(NLA_U32, 1),
	[E2M_FLOW_A_REMOTE_TEID] = { .type = NLA_U32 },
	[E2M_FLOW_A_PEER_IPV4] = { .type = NLA_BE32 },
	[E2M_FLOW_A_PEER_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[E2M_FLOW_A_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[E2M_FLOW_A_INNER_IPV4] = { .type = NLA_BE32 },
	[E2M_FLOW_A_INNER_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[E2M_FLOW_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0),
};

static const struct nla_policy e2m_flow_id_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy e2m_key_bind_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = NLA_POLICY_MIN(NLA_U32, 1),
	[E2M_FLOW_A_KEY_SERIAL] = NLA_POLICY_MIN(NLA_S32, 1),
	[E2M_FLOW_A_KEY_FLAGS] = NLA_POLICY_MASK(NLA_U32, E2M_KEY_F_TX_ON_RX),
	/* A ks_local key only: its Key ID and the link's algorithm. */
	[E2M_FLOW_A_KEY_ID] = NLA_POLICY_MAX(NLA_U8, E2M_KEY_ID_MAX),
	[E2M_FLOW_A_KEY_ALG] = { .type = NLA_U8 },
};

static const struct nla_policy e2m_key_id_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = NLA_POLICY_MIN(NLA_U32, 1),
	[E2M_FLOW_A_KEY_ID] = NLA_POLICY_MAX(NLA_U8, E2M_KEY_ID_MAX),
};

static const struct nla_policy e2m_dev_get_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
};

static const struct nla_policy e2m_dev_set_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
	[E2M_A_ROLE] = NLA_POLICY_RANGE(NLA_U8, E2M_ROLE_HSE, E2M_ROLE_UE),
	[E2M_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[E2M_A_REPLAY_WINDOW] = NLA_POLICY_RANGE(NLA_U32, E2M_REPLAY_WINDOW_MIN,
						 E2M_REPLAY_WINDOW_MAX),
	[E2M_A_COUNT_NOTIFY] = NLA_POLICY_MIN(NLA_U32, 1),
	[E2M_A_COUNT_LIMIT] = NLA_POLICY_MIN(NLA_U32, 1),
	[E2M_A_RX_CPUS] = NLA_POLICY_RANGE(NLA_BINARY, sizeof(u32),
					   E2M_RX_CPUS_MAX_LEN),
};

static const struct nla_policy e2m_flow_config_top_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
	[E2M_A_FLOW] = NLA_POLICY_NESTED(e2m_flow_config_policy),
};

static const struct nla_policy e2m_flow_id_top_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
	[E2M_A_FLOW] = NLA_POLICY_NESTED(e2m_flow_id_policy),
};

static const struct nla_policy e2m_key_bind_top_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
	[E2M_A_FLOW] = NLA_POLICY_NESTED(e2m_key_bind_policy),
};

static const struct nla_policy e2m_key_id_top_policy[E2M_A_MAX + 1] = {
	E2M_DEV_ID_POLICY,
	[E2M_A_FLOW] = NLA_POLICY_NESTED(e2m_key_id_policy),
};

/*
 * The e2m device named by the request. The caller holds the RTNL or
 * rcu_read_lock(), either of which keeps the device from going away.
 */
static struct e2m_device *e2m_nl_device(struct net *net, struct nlattr **attrs,
					struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (!attrs[E2M_A_IFINDEX] && !attrs[E2M_A_IFNAME]) {
		NL_SET_ERR_MSG(extack, "device not given (E2M_A_IFINDEX or E2M_A_IFNAME)");
		return ERR_PTR(-EINVAL);
	}
	rcu_read_lock();
	if (attrs[E2M_A_IFINDEX])
		dev = dev_get_by_index_rcu(net, nla_get_u32(attrs[E2M_A_IFINDEX]));
	else
		dev = dev_get_by_name_rcu(net, nla_data(attrs[E2M_A_IFNAME]));
	rcu_read_unlock();
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!e2m_is_device(dev)) {
		NL_SET_ERR_MSG(extack, "not an e2m device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/* The nested flow attributes, parsed by the op's own nested policy. */
static struct nlattr **e2m_nl_flow_attrs(struct genl_info *info,
					 const struct nla_policy *policy,
					 struct nlattr **tb)
{
	int ret;

	if (!info->attrs[E2M_A_FLOW]) {
		NL_SET_ERR_MSG(info->extack, "flow attributes (E2M_A_FLOW) missing");
		return ERR_PTR(-EINVAL);
	}
	ret = nla_parse_nested(tb, E2M_FLOW_A_MAX, info->attrs[E2M_A_FLOW],
			       policy, info->extack);
	if (ret)
		return ERR_PTR(ret);
	if (!tb[E2M_FLOW_A_LOCAL_TEID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[E2M_A_FLOW],
				    "local TEID (E2M_FLOW_A_LOCAL_TEID) missing");
		return ERR_PTR(-EINVAL);
	}
	return tb;
}

static struct e2m_flow *e2m_nl_flow(struct e2m_device *e2m, struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct e2m_flow *flow;

	flow = e2m_flow_lookup_teid(e2m, nla_get_u32(tb[E2M_FLOW_A_LOCAL_TEID]));
	if (!flow) {
		NL_SET_ERR_MSG_ATTR(extack, tb[E2M_FLOW_A_LOCAL_TEID],
				    "no flow with this local TEID");
		return ERR_PTR(-ENOENT);
	}
	return flow;
}

static int e2m_nl_put_dev(struct sk_buff *msg, struct e2m_device *e2m,
			  u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &e2m_genl_family, flags,
			  E2M_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, E2M_A_IFINDEX, e2m->dev->ifindex) ||
	    nla_put_string(msg, E2M_A_IFNAME, e2m->dev->name) ||
	    nla_put_u8(msg, E2M_A_ROLE, READ_ONCE(e2m->role)) ||
	    nla_put_u16(msg, E2M_A_PORT, READ_ONCE(e2m->port)) ||
	    nla_put_u32(msg, E2M_A_REPLAY_WINDOW, READ_ONCE(e2m->replay_window)) ||
	    nla_put_u32(msg, E2M_A_COUNT_NOTIFY, READ_ONCE(e2m->count_notify)) ||
	    nla_put_u32(msg, E2M_A_COUNT_LIMIT, READ_ONCE(e2m->count_limit)) ||
	    nla_put_u32(msg, E2M_A_FLOWS, READ_ONCE(e2m->nflows)) ||
	    nla_put_u32(msg, E2M_A_STAGED_BYTES, atomic_read(&e2m->staged_bytes)) ||
	    e2m_steer_put(msg, e2m) ||
	    e2m_stats_put(msg, E2M_A_STATS, e2m->stats) ||
	    e2m_stats_put(msg, E2M_A_STATS_TOTAL, e2m->totals)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * The key's expiry, seconds since the epoch, or 0 for none: the keyring
 * keeps TIME64_MAX (or 0, on older kernels) for a key that never expires.
 */
static u64 e2m_nl_key_expiry(const struct key *key)
{
	time64_t expiry = READ_ONCE(key->expiry);

	return expiry > 0 && expiry != TIME64_MAX ? expiry : 0;
}

static int e2m_nl_put_slot(struct sk_buff *msg, const struct e2m_keyslot *slot)
{
	u8 state = E2M_SLOT_LIVE;
	struct nlattr *nest;

	if (test_bit(E2M_SLOT_F_MAC_LIMIT, &slot->flags))
		state = E2M_SLOT_MAC_LIMIT;
	else if (test_bit(E2M_SLOT_F_DEAD, &slot->flags))
		state = E2M_SLOT_DEAD;
	else if (test_bit(E2M_SLOT_F_EXHAUSTED, &slot->flags))
		state = E2M_SLOT_EXHAUSTED;
	nest = nla_nest_start(msg, E2M_FLOW_A_SLOT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, E2M_SLOT_A_KEY_ID, slot->key_id) ||
	    nla_put_s32(msg, E2M_SLOT_A_KEY_SERIAL, slot->serial) ||
	    nla_put_u8(msg, E2M_SLOT_A_ENC_ALG, slot->enc_alg) ||
	    nla_put_u8(msg, E2M_SLOT_A_INT_ALG, slot->int_alg) ||
	    nla_put_u64_64bit(msg, E2M_SLOT_A_TX_COUNT,
			      atomic64_read(slot->tx_count) + 1, E2M_SLOT_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_SLOT_A_RX_COUNT,
			      READ_ONCE(slot->replay->top), E2M_SLOT_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_SLOT_A_MAC_FAILURES,
			      atomic64_read(&slot->mac_failures), E2M_SLOT_A_PAD) ||
	    nla_put_u8(msg, E2M_SLOT_A_KEY_TYPE, slot->kind) ||
	    nla_put_u64_64bit(msg, E2M_SLOT_A_EXPIRY,
			      e2m_nl_key_expiry(slot->key), E2M_SLOT_A_PAD) ||
	    nla_put_u8(msg, E2M_SLOT_A_STATE, state) ||
	    nla_put_u8(msg, E2M_SLOT_A_TX_PENDING,
		       test_bit(E2M_SLOT_F_TX_PENDING, &slot->flags))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Under the RTNL or RCU. */
static int e2m_nl_put_flow(struct sk_buff *msg, struct e2m_flow *flow,
			   u32 portid, u32 seq, int flags)
{
	const struct e2m_endpoint *ep = &rcu_dereference_rtnl(flow->peer)->ep;
	const struct e2m_inner *inner4 = rcu_dereference_rtnl(flow->inner4);
	const struct e2m_inner *inner6 = rcu_dereference_rtnl(flow->inner6);
	const struct e2m_keyslot *tx = rcu_dereference_rtnl(flow->tx_slot);
	struct nlattr *nest;
	void *hdr;
	int i;

	hdr = genlmsg_put(msg, portid, seq, &e2m_genl_family, flags,
			  E2M_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, E2M_A_IFINDEX, flow->e2m->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(msg, E2M_A_FLOW);
	if (!nest)
		goto cancel;
	if (nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, flow->local_teid) ||
	    nla_put_u32(msg, E2M_FLOW_A_REMOTE_TEID, READ_ONCE(flow->remote_teid)) ||
	    nla_put_u16(msg, E2M_FLOW_A_PEER_PORT, ntohs(ep->port)))
		goto cancel;
	if (ep->family == AF_INET ?
	    nla_put_in_addr(msg, E2M_FLOW_A_PEER_IPV4, ep->addr.v4) :
	    nla_put_in6_addr(msg, E2M_FLOW_A_PEER_IPV6, &ep->addr.v6))
		goto cancel;
	if (inner4 &&
	    nla_put_in_addr(msg, E2M_FLOW_A_INNER_IPV4, inner4->addr.s6_addr32[3]))
		goto cancel;
	if (inner6 && nla_put_in6_addr(msg, E2M_FLOW_A_INNER_IPV6, &inner6->addr))
		goto cancel;
	if (tx && nla_put_u8(msg, E2M_FLOW_A_TX_KEY_ID, tx->key_id))
		goto cancel;
	if (nla_put_u32(msg, E2M_FLOW_A_STAGED, e2m_stage_len(flow)))
		goto cancel;
	for (i = 0; i < E2M_MAX_SLOTS; i++) {
		const struct e2m_keyslot *slot = rcu_dereference_rtnl(flow->slots[i]);

		if (slot && e2m_nl_put_slot(msg, slot))
			goto cancel;
	}
	if (e2m_flow_stats_put(msg, E2M_FLOW_A_STATS, &flow->stats))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int e2m_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct e2m_device *e2m;
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	e2m = e2m_nl_device(genl_info_net(info), info->attrs, info->extack);
	ret = IS_ERR(e2m) ? PTR_ERR(e2m) :
	      e2m_nl_put_dev(msg, e2m, info->snd_portid, info->snd_seq, 0);
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many e2m devices earlier messages held. */
static int e2m_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!e2m_is_device(dev))
			continue;
		if (idx >= cb->args[0] &&
		    e2m_nl_put_dev(skb, netdev_priv(dev), NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		idx++;
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int e2m_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct e2m_steer_map *steer = NULL;
	u32 notify, limit;
	struct e2m_device *e2m;
	int ret = 0;

	rtnl_lock();
	e2m = e2m_nl_device(genl_info_net(info), attrs, info->extack);
	if (IS_ERR(e2m)) {
		ret = PTR_ERR(e2m);
		goto out;
	}
	/* Check everything before changing anything. */
	if (attrs[E2M_A_ROLE] && e2m->nflows &&
	    nla_get_u8(attrs[E2M_A_ROLE]) != e2m->role) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[E2M_A_ROLE],
				    "the role cannot change while the device has flows");
		ret = -EBUSY;
		goto out;
	}
	if (attrs[E2M_A_REPLAY_WINDOW] &&
	    nla_get_u32(attrs[E2M_A_REPLAY_WINDOW]) % 64) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[E2M_A_REPLAY_WINDOW],
				    "replay window is not a multiple of 64");
		ret = -EINVAL;
		goto out;
	}
	notify = attrs[E2M_A_COUNT_NOTIFY] ?
		 nla_get_u32(attrs[E2M_A_COUNT_NOTIFY]) : e2m->count_notify;
	limit = attrs[E2M_A_COUNT_LIMIT] ?
		nla_get_u32(attrs[E2M_A_COUNT_LIMIT]) : e2m->count_limit;
	if (notify > limit) {
		NL_SET_ERR_MSG(info->extack, "count notify threshold above the count limit");
		ret = -EINVAL;
		goto out;
	}
	if (attrs[E2M_A_RX_CPUS]) {
		ret = e2m_steer_prepare(e2m, attrs[E2M_A_RX_CPUS], &steer,
					info->extack);
		if (ret)
			goto out;
	}
	if (attrs[E2M_A_PORT]) {
		ret = e2m_device_set_port(e2m, nla_get_u16(attrs[E2M_A_PORT]));
		if (ret) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[E2M_A_PORT],
					    "cannot listen on this UDP port");
			e2m_steer_abort(steer);
			goto out;
		}
	}
	if (attrs[E2M_A_RX_CPUS])
		e2m_steer_commit(e2m, steer);
	if (attrs[E2M_A_ROLE])
		WRITE_ONCE(e2m->role, nla_get_u8(attrs[E2M_A_ROLE]));
	if (attrs[E2M_A_REPLAY_WINDOW])
		WRITE_ONCE(e2m->replay_window,
			   nla_get_u32(attrs[E2M_A_REPLAY_WINDOW]));
	WRITE_ONCE(e2m->count_notify, notify);
	WRITE_ONCE(e2m->count_limit, limit);
out:
	rtnl_unlock();
	return ret;
}

/*
 * The flow configuration in @tb; @create: LOCAL_TEID, a peer and an inner.
 * Checks everything a request alone can get wrong, before the device is
 * even looked up: a refused FLOW_NEW or FLOW_SET changes nothing.
 */
static int e2m_nl_flow_config(struct nlattr **tb, bool create,
			      struct e2m_flow_config *cfg,
			      struct netlink_ext_ack *extack)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_teid = nla_get_u32(tb[E2M_FLOW_A_LOCAL_TEID]);
	cfg->peer.port = htons(E2M_GTPU_PORT);

	if (tb[E2M_FLOW_A_PEER_IPV4] && tb[E2M_FLOW_A_PEER_IPV6]) {
		NL_SET_ERR_MSG(extack, "give one peer address, IPv4 or IPv6");
		return -EINVAL;
	}
	if (tb[E2M_FLOW_A_PEER_IPV4]) {
		cfg->peer.family = AF_INET;
		cfg->peer.addr.v4 = nla_get_in_addr(tb[E2M_FLOW_A_PEER_IPV4]);
		cfg->has_peer = true;
	} else if (tb[E2M_FLOW_A_PEER_IPV6]) {
		cfg->peer.family = AF_INET6;
		cfg->peer.addr.v6 = nla_get_in6_addr(tb[E2M_FLOW_A_PEER_IPV6]);
		cfg->has_peer = true;
	}
	if (tb[E2M_FLOW_A_REMOTE_TEID]) {
		cfg->remote_teid = nla_get_u32(tb[E2M_FLOW_A_REMOTE_TEID]);
		cfg->has_remote_teid = true;
	}
	if (tb[E2M_FLOW_A_PEER_PORT]) {
		cfg->peer.port = htons(nla_get_u16(tb[E2M_FLOW_A_PEER_PORT]));
		cfg->has_port = true;
	}
	if (tb[E2M_FLOW_A_INNER_IPV4]) {
		cfg->inner4 = nla_get_in_addr(tb[E2M_FLOW_A_INNER_IPV4]);
		cfg->has_inner4 = true;
	}
	if (tb[E2M_FLOW_A_INNER_IPV6]) {
		cfg->inner6 = nla_get_in6_addr(tb[E2M_FLOW_A_INNER_IPV6]);
		cfg->has_inner6 = true;
		/* The inner table keys IPv4 addresses so (e2m_inner_v4()). */
		if (ipv6_addr_v4mapped(&cfg->inner6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[E2M_FLOW_A_INNER_IPV6],
					    "inner IPv6 address is IPv4-mapped: give it as INNER_IPV4");
			return -EINVAL;
		}
	}
	if (!create)
		return 0;
	if (!cfg->has_peer || !cfg->has_remote_teid) {
		NL_SET_ERR_MSG(extack, "a new flow needs a peer address and a remote TEID");
		return -EINVAL;
	}
	if (!cfg->has_inner4 && !cfg->has_inner6) {
		NL_SET_ERR_MSG(extack, "a new flow needs an inner IPv4 or IPv6 address");
		return -EINVAL;
	}
	return 0;
}

static int e2m_nl_flow_new_set(struct genl_info *info, bool create)
{
	struct nlattr *tb_buf[E2M_FLOW_A_MAX + 1], **tb;
	struct e2m_flow_config cfg;
	struct e2m_device *e2m;
	struct e2m_flow *flow;
	int ret;

	tb = e2m_nl_flow_attrs(info, e2m_flow_config_policy, tb_buf);
	if (IS_ERR(tb))
		return PTR_ERR(tb);
	ret = e2m_nl_flow_config(tb, create, &cfg, info->extack);
	if (ret)
		return ret;

	rtnl_lock();
	e2m = e2m_nl_device(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(e2m)) {
		ret = PTR_ERR(e2m);
		goto out;
	}
	if (create) {
		ret = e2m_flow_create(e2m, &cfg, info->extack);
	} else {
		flow = e2m_nl_flow(e2m, tb, info->extack);
		ret = IS_ERR(flow) ? PTR_ERR(flow) :
		      e2m_flow_change(flow, &cfg, info->extack);
	}
out:
	rtnl_unlock();
	return ret;
}

static int e2m_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_new_set(info, true);
}

static int e2m_nl_flow_set(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_new_set(info, false);
}

/*
 * Runs @op on the flow the request names, under the RTNL, with the nested
 * attributes parsed by @policy.
 */
static int e2m_nl_flow_op(struct genl_info *info, const struct nla_policy *policy,
			  int (*op)(struct e2m_flow *flow, struct nlattr **tb,
				    struct genl_info *info))
{
	struct nlattr *tb_buf[E2M_FLOW_A_MAX + 1], **tb;
	struct e2m_device *e2m;
	struct e2m_flow *flow;
	int ret;

	tb = e2m_nl_flow_attrs(info, policy, tb_buf);
	if (IS_ERR(tb))
		return PTR_ERR(tb);
	rtnl_lock();
	e2m = e2m_nl_device(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(e2m)) {
		ret = PTR_ERR(e2m);
		goto out;
	}
	flow = e2m_nl_flow(e2m, tb, info->extack);
	ret = IS_ERR(flow) ? PTR_ERR(flow) : op(flow, tb, info);
out:
	rtnl_unlock();
	return ret;
}

static int e2m_flow_del_op(struct e2m_flow *flow, struct nlattr **tb,
			   struct genl_info *info)
{
	e2m_flow_remove(flow);
	return 0;
}

static int e2m_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_op(info, e2m_flow_id_policy, e2m_flow_del_op);
}

static int e2m_flow_get_op(struct e2m_flow *flow, struct nlattr **tb,
			   struct genl_info *info)
{
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = e2m_nl_put_flow(msg, flow, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int e2m_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_op(info, e2m_flow_id_policy, e2m_flow_get_op);
}

/*
 * All flows of one device, in local TEID order. cb->args[0] is the next
 * TEID to put, cb->args[1] is set once the last flow went out.
 */
static int e2m_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = e2m_compat_dump_attrs(cb);
	unsigned long teid = cb->args[0];
	struct e2m_device *e2m;
	struct e2m_flow *flow;
	int ret = 0;

	if (cb->args[1])
		return 0;
	rcu_read_lock();
	e2m = e2m_nl_device(sock_net(skb->sk), attrs, cb->extack);
	if (IS_ERR(e2m)) {
		ret = PTR_ERR(e2m);
		goto out;
	}
	xa_for_each_start(&e2m->flows, teid, flow, teid) {
		if (e2m_nl_put_flow(skb, flow, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			cb->args[0] = teid;
			ret = skb->len;
			goto out;
		}
	}
	cb->args[1] = 1;
	ret = skb->len;
out:
	rcu_read_unlock();
	return ret;
}

/*
 * The key is looked up and the slot's transforms allocated before the
 * RTNL is taken: both may sleep, wait for key->sem or load crypto modules.
 * Under the RTNL the slot only takes the device's settings and is
 * published (or refused, then freed).
 */
static int e2m_nl_key_bind(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb_buf[E2M_FLOW_A_MAX + 1], **tb;
	struct netlink_ext_ack *extack = info->extack;
	struct e2m_bind_req req = {};
	struct e2m_keyslot *slot;
	struct e2m_device *e2m;
	struct e2m_flow *flow;
	u32 flags = 0;
	int ret;

	tb = e2m_nl_flow_attrs(info, e2m_key_bind_policy, tb_buf);
	if (IS_ERR(tb))
		return PTR_ERR(tb);
	if (!tb[E2M_FLOW_A_KEY_SERIAL]) {
		NL_SET_ERR_MSG(extack, "key serial (E2M_FLOW_A_KEY_SERIAL) missing");
		return -EINVAL;
	}
	if (tb[E2M_FLOW_A_KEY_FLAGS])
		flags = nla_get_u32(tb[E2M_FLOW_A_KEY_FLAGS]);
	req.serial = nla_get_s32(tb[E2M_FLOW_A_KEY_SERIAL]);
	if (tb[E2M_FLOW_A_KEY_ID]) {
		req.has_key_id = true;
		req.key_id = nla_get_u8(tb[E2M_FLOW_A_KEY_ID]);
	}
	if (tb[E2M_FLOW_A_KEY_ALG]) {
		req.has_alg = true;
		req.alg = nla_get_u8(tb[E2M_FLOW_A_KEY_ALG]);
	}
	slot = e2m_keyslot_prepare(&req, extack);
	if (IS_ERR(slot))
		return PTR_ERR(slot);

	rtnl_lock();
	e2m = e2m_nl_device(genl_info_net(info), info->attrs, extack);
	if (IS_ERR(e2m)) {
		ret = PTR_ERR(e2m);
		goto out;
	}
	flow = e2m_nl_flow(e2m, tb, extack);
	if (IS_ERR(flow)) {
		ret = PTR_ERR(flow);
		goto out;
	}
	ret = e2m_keyslot_attach(slot, e2m->replay_window,
				 e2m->role == E2M_ROLE_HSE);
	if (!ret)
		ret = e2m_flow_bind(flow, slot, flags, extack);
out:
	rtnl_unlock();
	if (ret)
		e2m_keyslot_free_now(slot);
	return ret;
}

static struct e2m_keyslot *e2m_nl_slot(struct e2m_flow *flow, struct nlattr **tb,
				       struct netlink_ext_ack *extack)
{
	struct e2m_keyslot *slot;

	if (!tb[E2M_FLOW_A_KEY_ID]) {
		NL_SET_ERR_MSG(extack, "Key ID (E2M_FLOW_A_KEY_ID) missing");
		return ERR_PTR(-EINVAL);
	}
	slot = e2m_flow_slot(flow, nla_get_u8(tb[E2M_FLOW_A_KEY_ID]));
	if (!slot) {
		NL_SET_ERR_MSG_ATTR(extack, tb[E2M_FLOW_A_KEY_ID],
				    "no key with this Key ID is bound to the flow");
		return ERR_PTR(-ENOENT);
	}
	return slot;
}

static int e2m_key_use_op(struct e2m_flow *flow, struct nlattr **tb,
			  struct genl_info *info)
{
	struct e2m_keyslot *slot = e2m_nl_slot(flow, tb, info->extack);

	if (IS_ERR(slot))
		return PTR_ERR(slot);
	e2m_flow_use(flow, slot);
	return 0;
}

static int e2m_nl_key_use(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_op(info, e2m_key_id_policy, e2m_key_use_op);
}

static int e2m_key_unbind_op(struct e2m_flow *flow, struct nlattr **tb,
			     struct genl_info *info)
{
	struct e2m_keyslot *slot = e2m_nl_slot(flow, tb, info->extack);

	if (IS_ERR(slot))
		return PTR_ERR(slot);
	return e2m_flow_unbind(flow, slot, info->extack);
}

static int e2m_nl_key_unbind(struct sk_buff *skb, struct genl_info *info)
{
	return e2m_nl_flow_op(info, e2m_key_id_policy, e2m_key_unbind_op);
}

static const struct genl_ops e2m_genl_ops[] = {
	{
		.cmd = E2M_CMD_DEV_GET,
		.doit = e2m_nl_dev_get_doit,
		.dumpit = e2m_nl_dev_get_dumpit,
		.policy = e2m_dev_get_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_DEV_SET,
		.doit = e2m_nl_dev_set,
		.policy = e2m_dev_set_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_FLOW_NEW,
		.doit = e2m_nl_flow_new,
		.policy = e2m_flow_config_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_FLOW_SET,
		.doit = e2m_nl_flow_set,
		.policy = e2m_flow_config_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_FLOW_DEL,
		.doit = e2m_nl_flow_del,
		.policy = e2m_flow_id_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_FLOW_GET,
		.doit = e2m_nl_flow_get_doit,
		.dumpit = e2m_nl_flow_get_dumpit,
		.policy = e2m_flow_id_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_KEY_BIND,
		.doit = e2m_nl_key_bind,
		.policy = e2m_key_bind_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_KEY_USE,
		.doit = e2m_nl_key_use,
		.policy = e2m_key_id_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = E2M_CMD_KEY_UNBIND,
		.doit = e2m_nl_key_unbind,
		.policy = e2m_key_id_top_policy,
		.maxattr = E2M_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/*
 * Events name TEIDs, key serials and COUNT limits: only an admin of the
 * network namespace may listen, as only one may ask (GENL_UNS_ADMIN_PERM:
 * CAP_NET_ADMIN in the namespace's user namespace, as WireGuard).
 */
static const struct genl_multicast_group e2m_genl_mcgrps[] = {
	[E2M_MCGRP_EVENTS_ID] = {
		.name = E2M_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family e2m_genl_family __ro_after_init = {
	.name = E2M_GENL_NAME,
	.version = E2M_GENL_VERSION,
	.maxattr = E2M_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = e2m_genl_ops,
	.n_ops = ARRAY_SIZE(e2m_genl_ops),
	.resv_start_op = E2M_CMD_KEY_UNBIND + 1,
	.mcgrps = e2m_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(e2m_genl_mcgrps),
};

int e2m_netlink_init(void)
{
	return genl_register_family(&e2m_genl_family);
}

void e2m_netlink_exit(void)
{
	genl_unregister_family(&e2m_genl_family);
}
