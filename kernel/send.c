// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: an inner IP packet handed to the e2m device is matched to its
 * flow by inner address, prefixed with the e2m header, encrypted in place
 * (NEA2), MACed (NIA2) and sent in a GTP-U G-PDU to the flow's peer. A GSO
 * packet is first cut into its segments, each then such a packet of its
 * own. Synchronous, and without allocation when the packet is linear, its
 * own (not a clone), and has the head- and tailroom the device asks for,
 * as every segment cut here is.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/udp.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "crypto.h"
#include "device.h"
#include "events.h"
#include "flow.h"
#include "fresh.h"
#include "gtpu.h"
#include "keyslot.h"
#include "send.h"

#ifdef E2M_DEBUG
/*
 * For the tests: GSO packets that e2m_xmit() cut into segments, and
 * packets that e2m_tx_own() had to copy to write them.
 */
static atomic_t e2m_tx_gso = ATOMIC_INIT(0);
static atomic_t e2m_tx_copied = ATOMIC_INIT(0);

static int e2m_tx_test_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops e2m_tx_test_ops = {
	.get = e2m_tx_test_get,
};

module_param_cb(test_tx_gso, &e2m_tx_test_ops, &e2m_tx_gso, 0444);
MODULE_PARM_DESC(test_tx_gso,
		 "debug builds: GSO packets cut into segments on transmit (tests)");
module_param_cb(test_tx_copied, &e2m_tx_test_ops, &e2m_tx_copied, 0444);
MODULE_PARM_DESC(test_tx_copied,
		 "debug builds: packets copied on transmit to be written (tests)");

#define e2m_tx_test_inc(v) atomic_inc(&(v))
#else
#define e2m_tx_test_inc(v) do { } while (0)
#endif

/* The flow's key for the inner address that identifies the device. */
static bool e2m_tx_inner_addr(struct e2m_device *e2m, struct sk_buff *skb,
			      struct in6_addr *addr)
{
	bool ue = READ_ONCE(e2m->role) == E2M_ROLE_UE;

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return false;
		iph = ip_hdr(skb);
		e2m_inner_v4(addr, ue ? iph->saddr : iph->daddr);
		return true;
	}
	case htons(ETH_P_IPV6): {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return false;
		ip6h = ipv6_hdr(skb);
		*addr = ue ? ip6h->saddr : ip6h->daddr;
		/* Those keys are IPv4's (e2m_inner_v4()). */
		return !ipv6_addr_v4mapped(addr);
	}
	}
	return false;
}

/* The next COUNT, or 0 if the key may not send any more. */
static u32 e2m_tx_count(struct e2m_device *e2m, struct e2m_flow *flow,
			struct e2m_keyslot *slot)
{
	u64 count = atomic64_inc_return(slot->tx_count);

	if (unlikely(count >= READ_ONCE(e2m->count_notify)) &&
	    !test_and_set_bit(E2M_SLOT_F_NOTIFIED_NEAR, &slot->flags))
		e2m_event_key(flow, slot, E2M_EVENT_COUNT_NOTIFY);
	/*
	 * The 64-bit counter never comes round, and nothing above the limit
	 * (at most U32_MAX) is sent. The key set stays exhausted in this
	 * direction for good, on every flow and device.
	 */
	if (unlikely(count > READ_ONCE(e2m->count_limit))) {
		e2m_fresh_exhaust(slot->fresh, slot->direction);
		set_bit(E2M_SLOT_F_EXHAUSTED, &slot->flags);
		if (!test_and_set_bit(E2M_SLOT_F_NOTIFIED_EXHAUSTED, &slot->flags))
			e2m_event_key(flow, slot, E2M_EVENT_COUNT_EXHAUSTED);
		return 0;
	}
	return count;
}

/*
 * Makes @skb linear and its own, with @headroom before its data and room
 * for the MAC after it: encryption writes in place. On transmit neither a
 * clone's data nor page fragments are the packet's to write, whatever
 * marks it carries: TCP keeps both for retransmission (its clones own
 * their header alone, skb_header_cloned() is false; pskb_copy() shares the
 * fragments with no mark at all), sendfile() and splice() lend the page
 * cache, MSG_ZEROCOPY the user's pages. (skb_cow_data() thinks the same:
 * it pulls every fragment into the head.) So such a packet, or one short
 * of room, is copied once: one new head with all the room
 * (pskb_expand_head() keeps the fragments), into whose tailroom the
 * fragments are then pulled without another allocation. A packet that is
 * its own and has the room, as every segment e2m_xmit() cuts, stays.
 */
static int e2m_tx_own(struct sk_buff *skb, unsigned int headroom)
{
	/* The head's room after its data (skb_tailroom() is 0 if paged). */
	unsigned int room = skb_end_pointer(skb) - skb_tail_pointer(skb);
	unsigned int tail = skb->data_len + E2M_PDU_MAC_LEN;
	unsigned int nhead = 0, ntail = 0;

	if (skb_headroom(skb) < headroom)
		nhead = ALIGN(headroom - skb_headroom(skb), NET_SKB_PAD);
	if (room < tail)
		ntail = tail - room;
	if (likely(!nhead && !ntail && !skb_cloned(skb) &&
		   !skb_is_nonlinear(skb)))
		return 0;
	e2m_tx_test_inc(e2m_tx_copied);
	if ((nhead || ntail || skb_cloned(skb)) &&
	    pskb_expand_head(skb, nhead, ntail, GFP_ATOMIC))
		return -ENOMEM;
	return skb_linearize(skb);
}

/*
 * Encrypts the packet in place and frames it: e2m header, MAC, GTP-U.
 * Returns E2M_DROP__COUNT when done, else why the packet is dropped.
 */
static enum e2m_drop
e2m_tx_protect(struct e2m_device *e2m, struct sk_buff *skb,
	       struct e2m_keyslot *slot, u32 count, u32 remote_teid,
	       unsigned int headroom)
{
	struct e2m_crypto *c = e2m_keyslot_crypto(slot);
	bool hse = READ_ONCE(e2m->role) == E2M_ROLE_HSE;
	unsigned int len = skb->len;
	u8 *hdr;

	if (unlikely(!c))
		return E2M_DROP_DEAD_KEY;	/* killed since e2m_xmit() looked */
	if (e2m_tx_own(skb, headroom))
		return E2M_DROP_NOMEM;
	/*
	 * The transport checksum the stack left to the device
	 * (NETIF_F_HW_CSUM), before encryption hides it: on the packet's own
	 * linear data, so it copies nothing.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return E2M_DROP_NOMEM;

	hdr = skb_push(skb, E2M_PDU_HDR_LEN);
	hdr[0] = E2M_PDU_VERSION | E2M_PDU_UP | slot->key_id;
	put_unaligned_be32(count, hdr + 1);
	skb_put(skb, E2M_PDU_MAC_LEN);
	if (e2m_pdu_seal(c, count, slot->key_id, hse, skb, 0, len))
		return E2M_DROP_CRYPTO;
	e2m_gtpu_build(skb_push(skb, sizeof(struct e2m_gtpu_hdr)), remote_teid,
		       len + E2M_PDU_OVERHEAD);
	return E2M_DROP__COUNT;
}

/*
 * The device's socket of the peer's family, read once: it is replaced (port
 * change) and released (device down) under the RTNL, after a grace period
 * (e2m_socket_close()); NULL while the device is down. The source port is
 * the socket's own, so that one packet never mixes two configurations.
 */
static struct sock *e2m_tx_sock(struct e2m_device *e2m, sa_family_t family)
{
	struct socket *sock;

	if (family == AF_INET)
		sock = rcu_dereference_bh(e2m->sock4);
	else
		sock = rcu_dereference_bh(e2m->sock6);
	return sock ? sock->sk : NULL;
}

/*
 * @peer's route cache holds routes to @peer only (see struct e2m_peer): a
 * route cached by a CPU that still sends to a replaced peer is never used
 * for its successor.
 */
static enum e2m_drop e2m_tx_ipv4(struct e2m_device *e2m, struct sk_buff *skb,
				 struct e2m_keyslot *slot, u32 count,
				 struct e2m_peer *peer, u32 remote_teid)
{
	struct sock *sk = e2m_tx_sock(e2m, AF_INET);
	struct net *net = dev_net(e2m->dev);
	struct flowi4 fl4 = {
		.daddr = peer->ep.addr.v4,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_dport = peer->ep.port,
	};
	enum e2m_drop why;
	struct rtable *rt;

	if (!sk)
		return E2M_DROP_NO_ROUTE;
	fl4.fl4_sport = inet_sk(sk)->inet_sport;
	rt = dst_cache_get_ip4(&peer->dst_cache, &fl4.saddr);
	if (!rt) {
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return E2M_DROP_NO_ROUTE;
		if (rt->dst.dev == e2m->dev) {
			ip_rt_put(rt);
			return E2M_DROP_NO_ROUTE;
		}
		dst_cache_set_ip4(&peer->dst_cache, &rt->dst, fl4.saddr);
	}
	why = e2m_tx_protect(e2m, skb, slot, count, remote_teid,
			     LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len +
			     sizeof(struct iphdr) + sizeof(struct udphdr) +
			     sizeof(struct e2m_gtpu_hdr) + E2M_PDU_HDR_LEN);
	if (why != E2M_DROP__COUNT) {
		ip_rt_put(rt);
		return why;
	}
	/*
	 * The device's counters are ours (inner packets, e2m_xmit()):
	 * without a device the tunnel core does not count the outer packet
	 * again, as a locally sent packet has none until the route gives it.
	 */
	skb->dev = NULL;
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl4.fl4_sport,
			    fl4.fl4_dport, false, false);
	return E2M_DROP__COUNT;
}

static enum e2m_drop e2m_tx_ipv6(struct e2m_device *e2m, struct sk_buff *skb,
				 struct e2m_keyslot *slot, u32 count,
				 struct e2m_peer *peer, u32 remote_teid)
{
	struct sock *sk = e2m_tx_sock(e2m, AF_INET6);
	struct net *net = dev_net(e2m->dev);
	struct flowi6 fl6 = {
		.daddr = peer->ep.addr.v6,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_dport = peer->ep.port,
	};
	struct dst_entry *dst;
	enum e2m_drop why;

	if (!sk)
		return E2M_DROP_NO_ROUTE;
	fl6.fl6_sport = inet_sk(sk)->inet_sport;
	dst = dst_cache_get_ip6(&peer->dst_cache, &fl6.saddr);
	if (!dst) {
		dst = ipv6_stub->ipv6_dst_lookup_flow(net, sk, &fl6, NULL);
		if (IS_ERR(dst))
			return E2M_DROP_NO_ROUTE;
		if (dst->dev == e2m->dev) {
			dst_release(dst);
			return E2M_DROP_NO_ROUTE;
		}
		dst_cache_set_ip6(&peer->dst_cache, dst, &fl6.saddr);
	}
	why = e2m_tx_protect(e2m, skb, slot, count, remote_teid,
			     LL_RESERVED_SPACE(dst->dev) + dst->header_len +
			     sizeof(struct ipv6hdr) + sizeof(struct udphdr) +
			     sizeof(struct e2m_gtpu_hdr) + E2M_PDU_HDR_LEN);
	if (why != E2M_DROP__COUNT) {
		dst_release(dst);
		return why;
	}
	/* No device: it is counted once, by us (see e2m_tx_ipv4()). */
	udp_tunnel6_xmit_skb(dst, sk, skb, NULL, &fl6.saddr, &fl6.daddr, 0,
			     ip6_dst_hoplimit(dst), 0, fl6.fl6_sport,
			     fl6.fl6_dport, false);
	return E2M_DROP__COUNT;
}

/*
 * A flow without a usable key (@why): its stage takes the packet, or it is
 * dropped. True if staged.
 */
static bool e2m_tx_stage(struct e2m_flow *flow, struct sk_buff *skb,
			 bool from_stage, enum e2m_drop why)
{
	struct net_device *dev = flow->e2m->dev;

	why = e2m_stage_add(flow, E2M_STAGE_TX, skb, from_stage, why);
	if (why == E2M_DROP__COUNT)
		return true;
	e2m_flow_count_drop(flow, why);
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return false;
}

/*
 * Sends @skb on @flow, or stages it while the flow has no usable key. From
 * e2m_xmit() and from the stage's drain (@from_stage: the packet was
 * staged, and goes back to the head of the stage if it still finds no
 * key), under rcu_read_lock_bh(). True if the stage has the packet.
 */
static bool e2m_xmit_flow(struct e2m_flow *flow, struct sk_buff *skb,
			  bool from_stage)
{
	struct e2m_device *e2m = flow->e2m;
	struct net_device *dev = e2m->dev;
	struct e2m_peer *peer;
	struct e2m_keyslot *slot;
	enum e2m_drop why;
	unsigned int len;
	u32 count, remote_teid;
	int alive;

	/* Packets wait for a key: this one waits behind them. */
	if (!from_stage && e2m_stage_busy(&flow->stage, E2M_STAGE_TX))
		return e2m_tx_stage(flow, skb, false, E2M_DROP_NO_KEY);
	slot = rcu_dereference_bh(flow->tx_slot);
	if (!slot)
		return e2m_tx_stage(flow, skb, from_stage, E2M_DROP_NO_KEY);
	alive = e2m_keyslot_alive(slot);
	if (alive) {
		e2m_event_key_dead(flow, slot, alive);
		/* A key set killed for failed MACs is spent: no pull helps. */
		if (alive != -EKEYREJECTED)
			return e2m_tx_stage(flow, skb, from_stage,
					    E2M_DROP_DEAD_KEY);
		why = E2M_DROP_DEAD_KEY;
		goto drop;
	}
	if (test_bit(E2M_SLOT_F_EXHAUSTED, &slot->flags)) {
		why = E2M_DROP_COUNTER_EXHAUSTED;
		goto drop;
	}
	count = e2m_tx_count(e2m, flow, slot);
	if (!count) {
		why = E2M_DROP_COUNTER_EXHAUSTED;
		goto drop;
	}

	len = skb->len;
	skb_scrub_packet(skb, true);
	/* Read once: address, family and routes of one endpoint (flow.h). */
	peer = rcu_dereference_bh(flow->peer);
	remote_teid = READ_ONCE(flow->remote_teid);
	if (peer->ep.family == AF_INET)
		why = e2m_tx_ipv4(e2m, skb, slot, count, peer, remote_teid);
	else
		why = e2m_tx_ipv6(e2m, skb, slot, count, peer, remote_teid);
	if (why != E2M_DROP__COUNT)
		goto drop;
	e2m_flow_count_tx(flow, len);
	dev_sw_netstats_tx_add(dev, 1, len);
	return false;

drop:
	e2m_flow_count_drop(flow, why);
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return false;
}

/* From the stage's drain, under rcu_read_lock_bh(). See e2m_xmit_flow(). */
bool e2m_xmit_staged(struct e2m_flow *flow, struct sk_buff *skb)
{
	return e2m_xmit_flow(flow, skb, true);
}

/* One packet, not GSO: to its flow, or dropped. Under rcu_read_lock_bh(). */
static void e2m_xmit_one(struct e2m_device *e2m, struct sk_buff *skb)
{
	struct e2m_flow *flow;
	struct in6_addr inner;
	enum e2m_drop why;

	if (!e2m_tx_inner_addr(e2m, skb, &inner)) {
		why = E2M_DROP_INNER;
		goto drop;
	}
	flow = e2m_flow_lookup_inner(e2m, &inner);
	if (!flow) {
		why = E2M_DROP_NO_FLOW;
		goto drop;
	}
	e2m_xmit_flow(flow, skb, false);
	return;

drop:
	e2m_device_count_drop(e2m, why);
	DEV_STATS_INC(e2m->dev, tx_dropped);
	kfree_skb(skb);
}

/*
 * A GSO packet (TCP, UDP_SEGMENT, ... : NETIF_F_GSO_SOFTWARE) becomes its
 * segments, each then a packet like any other, as if the stack had cut
 * them: its own flow lookup, COUNT, MAC and counters, or its own stage
 * place or drop. Cut without scatter-gather or checksum offload (features
 * 0), each segment is a new linear packet of its own with its checksums
 * done while it was copied, which e2m_tx_protect() writes as it is: that
 * copy is the one a segment needs anyway, as the GSO packet's fragments
 * are not ours to write (see e2m_tx_own()). The segments' sizes are the
 * stack's: gso_size was set under the device's MTU. A packet that cannot
 * be cut is one drop, on the device: nomem, or inner when the stack
 * refuses its headers.
 */
static struct sk_buff *e2m_tx_segment(struct e2m_device *e2m,
				      struct sk_buff *skb)
{
	struct sk_buff *segs = skb_gso_segment(skb, 0);

	if (IS_ERR(segs)) {
		e2m_device_count_drop(e2m, PTR_ERR(segs) == -ENOMEM ?
					   E2M_DROP_NOMEM : E2M_DROP_INNER);
		DEV_STATS_INC(e2m->dev, tx_dropped);
		kfree_skb(skb);
		return NULL;
	}
	if (!segs) {
		/* One segment (e.g. TCP at most one MSS): it goes whole. */
		skb_gso_reset(skb);
		return skb;
	}
	e2m_tx_test_inc(e2m_tx_gso);
	consume_skb(skb);
	return segs;
}

/* Called under rcu_read_lock_bh(). */
netdev_tx_t e2m_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct e2m_device *e2m = netdev_priv(dev);
	struct sk_buff *next;

	if (!skb_is_gso(skb)) {
		e2m_xmit_one(e2m, skb);
		return NETDEV_TX_OK;
	}
	skb_list_walk_safe(e2m_tx_segment(e2m, skb), skb, next) {
		skb_mark_not_on_list(skb);
		e2m_xmit_one(e2m, skb);
	}
	return NETDEV_TX_OK;
}
