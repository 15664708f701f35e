// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the UDP encapsulation handler of the device's sockets. A G-PDU
 * is matched to its flow by TEID; its MAC is verified (in constant time)
 * before anything else, then its COUNT against the replay window, then it
 * is decrypted in place and the inner packet, if it belongs to the flow,
 * is delivered on the e2m device. Runs in softirq context, synchronously.
 */
#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "crypto.h"
#include "device.h"
#include "events.h"
#include "flow.h"
#include "gtpu.h"
#include "keyslot.h"
#include "receive.h"
#include "replay.h"

/* Checks the decrypted inner packet and trims it to its IP length. */
static bool e2m_rx_inner_ok(struct e2m_device *e2m, struct e2m_flow *flow,
			    struct sk_buff *skb)
{
	bool ue = READ_ONCE(e2m->role) == E2M_ROLE_UE;
	struct in6_addr addr;
	unsigned int len;

	if (skb->len < 1)
		return false;
	switch (skb->data[0] >> 4) {
	case 4: {
		const struct iphdr *iph = (const void *)skb->data;

		if (skb->len < sizeof(*iph) || iph->ihl < 5)
			return false;
		len = ntohs(iph->tot_len);
		if (len < iph->ihl * 4 || len > skb->len)
			return false;
		e2m_inner_v4(&addr, ue ? iph->daddr : iph->saddr);
		if (!e2m_flow_inner_is(flow, AF_INET, &addr))
			return false;
		skb->protocol = htons(ETH_P_IP);
		break;
	}
	case 6: {
		const struct ipv6hdr *ip6h = (const void *)skb->data;

		if (skb->len < sizeof(*ip6h))
			return false;
		len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
		if (len > skb->len)
			return false;
		addr = ue ? ip6h->daddr : ip6h->saddr;
		if (!e2m_flow_inner_is(flow, AF_INET6, &addr))
			return false;
		skb->protocol = htons(ETH_P_IPV6);
		break;
	}
	default:
		return false;
	}
	return !pskb_trim(skb, len);
}

/*
 * Verifies, checks and decrypts the protected N-PDU at @pdu in place.
 * @wait: set when the flow has no usable key for it, one that a pull can
 * bring (the packet is untouched then, and may be staged).
 */
static enum e2m_drop e2m_rx_unprotect(struct e2m_device *e2m,
				      struct e2m_flow *flow, u8 *pdu,
				      unsigned int pdu_len, bool *wait)
{
	/* we accept the other's */
	u8 direction = READ_ONCE(e2m->role) == E2M_ROLE_UE;
	struct e2m_keyslot *slot;
	u8 mac[E2M_PDU_MAC_LEN];
	struct e2m_crypto *c;
	unsigned int ct_len;
	u32 count;
	int alive;

	if (pdu_len <= E2M_PDU_OVERHEAD)
		return E2M_DROP_TOO_SHORT;
	if ((pdu[0] & E2M_PDU_FIXED_MASK) != (E2M_PDU_VERSION | E2M_PDU_UP))
		return E2M_DROP_BAD_HEADER;
	slot = e2m_flow_slot(flow, pdu[0] & E2M_PDU_KEY_ID_MASK);
	if (!slot) {
		e2m_event_no_key(e2m, flow->local_teid, E2M_EVENT_NO_LIVE_KEY);
		*wait = true;
		return E2M_DROP_NO_KEY;
	}
	alive = e2m_keyslot_alive(slot);
	c = e2m_keyslot_crypto(slot);
	if (!alive && !c)
		alive = -EKEYREVOKED;	/* killed since: its event is sent */
	if (alive) {
		e2m_event_key_dead(flow, slot, alive);
		e2m_event_no_key(e2m, flow->local_teid, E2M_EVENT_NO_LIVE_KEY);
		/* A key set killed for failed MACs is spent: no pull helps. */
		*wait = alive != -EKEYREJECTED;
		return E2M_DROP_DEAD_KEY;
	}

	count = get_unaligned_be32(pdu + 1);
	ct_len = pdu_len - E2M_PDU_OVERHEAD;
	if (e2m_nia2(c, count, slot->key_id, direction, pdu,
		     E2M_PDU_HDR_LEN + ct_len, mac))
		return E2M_DROP_CRYPTO;
	if (crypto_memneq(mac, pdu + E2M_PDU_HDR_LEN + ct_len, E2M_PDU_MAC_LEN)) {
		/*
		 * One guess at the 32-bit MAC: counted, and limited. On a
		 * local link, a run of them is also a peer with another key.
		 */
		if (e2m_keyslot_mismatch(slot))
			e2m_event_key(flow, slot, E2M_EVENT_KEY_MISMATCH);
		if (e2m_keyslot_mac_failure(slot))
			e2m_event_key_dead(flow, slot, -EKEYREJECTED);
		return E2M_DROP_AUTH;
	}
	if (!e2m_replay_accept(slot->replay, count))
		return E2M_DROP_REPLAY;
	e2m_keyslot_accepted(slot);
	if (unlikely(test_bit(E2M_SLOT_F_TX_PENDING, &slot->flags)))
		e2m_flow_tx_on_rx(flow, slot);
	if (e2m_nea2(c, count, slot->key_id, direction,
		     pdu + E2M_PDU_HDR_LEN, ct_len))
		return E2M_DROP_CRYPTO;
	return E2M_DROP__COUNT;
}

/*
 * The G-PDU @skb (data at the UDP header, linear and ours) for @flow:
 * verified, decrypted and delivered, staged while the flow has no usable
 * key, or dropped. From e2m_receive() and from the stage's drain
 * (@from_stage: the packet was staged, and goes back to the head of the
 * stage if it still finds no key). In softirq context, or with BHs off
 * under rcu_read_lock_bh(). True if the stage has the packet.
 */
static bool e2m_rx_flow(struct e2m_flow *flow, struct sk_buff *skb,
			const struct e2m_gtpu_info *gtpu, bool xnet,
			bool from_stage)
{
	struct e2m_device *e2m = flow->e2m;
	unsigned int off = sizeof(struct udphdr), len;
	bool wait = false;
	enum e2m_drop why;

	/* Packets wait for a key: this one waits behind them. */
	if (!from_stage && e2m_stage_busy(&flow->stage, E2M_STAGE_RX)) {
		why = E2M_DROP_NO_KEY;
		goto stage;
	}
	why = e2m_rx_unprotect(e2m, flow, skb->data + off + gtpu->hdr_len,
			       gtpu->msg_len - gtpu->hdr_len, &wait);
	if (why != E2M_DROP__COUNT) {
		if (wait)
			goto stage;
		goto drop;
	}

	/* Strip UDP, GTP-U and the e2m header; the MAC with the trim below. */
	len = gtpu->msg_len - gtpu->hdr_len - E2M_PDU_OVERHEAD;
	__skb_pull(skb, off + gtpu->hdr_len + E2M_PDU_HDR_LEN);
	if (pskb_trim(skb, len) || !e2m_rx_inner_ok(e2m, flow, skb)) {
		why = E2M_DROP_INNER;
		goto drop;
	}
	len = skb->len;

	skb_scrub_packet(skb, xnet);
	skb->dev = e2m->dev;
	skb->pkt_type = PACKET_HOST;
	/*
	 * NIA2 has just verified every octet of the inner packet as the peer
	 * sent it, so its transport checksums need no second look (as
	 * WireGuard does after decryption).
	 */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	e2m_flow_count_rx(flow, len);
	dev_sw_netstats_rx_add(e2m->dev, len);
	/*
	 * The backlog, not GRO: N-PDUs of small devices are mostly single
	 * datagrams that GRO would only look at (as gtp.c does).
	 */
	netif_rx(skb);
	return false;

stage:
	why = e2m_stage_add(flow, E2M_STAGE_RX, skb, from_stage, why);
	if (why == E2M_DROP__COUNT)
		return true;
drop:
	e2m_flow_count_drop(flow, why);
	DEV_STATS_INC(e2m->dev, rx_dropped);
	kfree_skb(skb);
	return false;
}

/*
 * From the stage's drain: the G-PDU was parsed before it was staged, and
 * the device's sockets are in the device's namespace (socket.c).
 */
bool e2m_receive_staged(struct e2m_flow *flow, struct sk_buff *skb)
{
	unsigned int off = sizeof(struct udphdr);
	struct e2m_gtpu_info gtpu;

	if (WARN_ON_ONCE(e2m_gtpu_parse(skb->data + off, skb->len - off,
					&gtpu))) {
		kfree_skb(skb);
		return false;
	}
	return e2m_rx_flow(flow, skb, &gtpu, false, true);
}

int e2m_receive(struct sock *sk, struct sk_buff *skb)
{
	struct e2m_device *e2m = rcu_dereference_sk_user_data(sk);
	struct e2m_gtpu_info gtpu;
	struct e2m_flow *flow;
	unsigned int off;
	enum e2m_drop why;

	if (!e2m)
		return 1;	/* the socket is being torn down: let UDP have it */

	/* skb->data is at the UDP header. Decryption needs it all, ours. */
	if (skb_linearize(skb) || skb_unclone(skb, GFP_ATOMIC)) {
		why = E2M_DROP_NOMEM;
		goto drop;
	}
	off = sizeof(struct udphdr);
	if (skb->len < off ||
	    e2m_gtpu_parse(skb->data + off, skb->len - off, &gtpu)) {
		why = E2M_DROP_BAD_HEADER;
		goto drop;
	}
	if (gtpu.type != E2M_GTPU_TYPE_GPDU) {
		why = E2M_DROP_NOT_GPDU;
		goto drop;
	}
	flow = e2m_flow_lookup_teid(e2m, gtpu.teid);
	if (!flow) {
		e2m_event_no_key(e2m, gtpu.teid, E2M_EVENT_UNKNOWN_TEID);
		why = E2M_DROP_NO_FLOW;
		goto drop;
	}
	e2m_rx_flow(flow, skb, &gtpu, !net_eq(sock_net(sk), dev_net(e2m->dev)),
		    false);
	return 0;

drop:
	e2m_device_count_drop(e2m, why);
	DEV_STATS_INC(e2m->dev, rx_dropped);
	kfree_skb(skb);
	return 0;
}
