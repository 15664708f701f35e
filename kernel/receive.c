// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the UDP encapsulation handler of the device's sockets. A G-PDU
 * is matched to its flow by TEID; its MAC is verified (in constant time)
 * before anything else, then its COUNT against the replay window, then it
 * is decrypted in place and the inner packet, if it belongs to the flow,
 * is delivered on the e2m device. Runs in softirq context, synchronously,
 * and without allocation for a packet that is its own (page fragments and
 * all: only the headers are made linear): on the CPU that received it, or
 * with receive steering on (steer.h) from its GTP-U header on in a NAPI
 * poll of the device on its flow's CPU.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/udp.h>
#include <net/gro_cells.h>
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
#include "steer.h"

/* Checks the decrypted inner packet and trims it to its IP length. */
static bool e2m_rx_inner_ok(struct e2m_device *e2m, struct e2m_flow *flow,
			    struct sk_buff *skb)
{
	bool ue = READ_ONCE(e2m->role) == E2M_ROLE_UE;
	struct in6_addr addr;
	unsigned int len;

	if (!pskb_may_pull(skb, 1))
		return false;
	switch (skb->data[0] >> 4) {
	case 4: {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return false;
		iph = (const void *)skb->data;
		if (iph->ihl < 5)
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
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return false;
		ip6h = (const void *)skb->data;
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

#ifdef E2M_DEBUG
/* For the tests: G-PDUs decrypted while in page fragments, not linearised. */
static atomic_t e2m_rx_nonlinear = ATOMIC_INIT(0);

static int e2m_rx_nonlinear_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&e2m_rx_nonlinear));
}

static const struct kernel_param_ops e2m_rx_nonlinear_ops = {
	.get = e2m_rx_nonlinear_get,
};

module_param_cb(test_rx_nonlinear, &e2m_rx_nonlinear_ops, NULL, 0444);
MODULE_PARM_DESC(test_rx_nonlinear,
		 "debug builds: G-PDUs decrypted in page fragments (tests)");
#endif

struct e2m_rx_key {
	struct e2m_flow *flow;
	struct e2m_keyslot *slot;
};

/*
 * Between the MAC and decryption: COUNT against the replay window. A
 * packet that passes both shows the peer has the key, whatever becomes of
 * its decryption.
 */
static bool e2m_rx_accept(void *arg, u32 count)
{
	struct e2m_rx_key *k = arg;

	if (!e2m_replay_accept(k->slot->replay, count))
		return false;
	e2m_keyslot_accepted(k->slot);
	if (unlikely(test_bit(E2M_SLOT_F_TX_PENDING, &k->slot->flags)))
		e2m_flow_tx_on_rx(k->flow, k->slot);
	return true;
}

/*
 * Verifies, checks and decrypts in place the protected N-PDU of @pdu_len
 * octets at @off in @skb; its e2m header is linear, the rest may be in
 * page fragments that are the packet's own. @wait: set when the flow has
 * no usable key for it, one that a pull can bring (the packet is untouched
 * then, and may be staged).
 */
static enum e2m_drop e2m_rx_unprotect(struct e2m_device *e2m,
				      struct e2m_flow *flow,
				      struct sk_buff *skb, unsigned int off,
				      unsigned int pdu_len, bool *wait)
{
	/* we accept the other's */
	u8 direction = READ_ONCE(e2m->role) == E2M_ROLE_UE;
	const u8 *pdu = skb->data + off;
	struct e2m_keyslot *slot;
	struct e2m_crypto *c;
	struct e2m_rx_key k;
	u32 count;
	int alive, ret;

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

	/* The MAC (in constant time), then COUNT, then decryption. */
	count = get_unaligned_be32(pdu + 1);
	k.flow = flow;
	k.slot = slot;
	ret = e2m_pdu_open(c, count, slot->key_id, direction, skb, off,
			   pdu_len - E2M_PDU_OVERHEAD, e2m_rx_accept, &k);
	if (ret == -EBADMSG) {
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
	if (ret == -EALREADY)
		return E2M_DROP_REPLAY;
	if (ret)
		return E2M_DROP_CRYPTO;
#ifdef E2M_DEBUG
	if (skb_is_nonlinear(skb))
		atomic_inc(&e2m_rx_nonlinear);
#endif
	return E2M_DROP__COUNT;
}

/*
 * The G-PDU @skb (data at the UDP header, headers linear, see
 * e2m_rx_writable()) for @flow:
 * verified, decrypted and delivered, staged while the flow has no usable
 * key, or dropped. From e2m_receive() and from the stage's drain
 * (@from_stage: the packet was staged, and goes back to the head of the
 * stage if it still finds no key). Under rcu_read_lock(), in softirq
 * context or with BHs off. @napi: the device's steering NAPI this runs
 * in (steer.h), NULL elsewhere. True if the stage has the packet.
 */
static bool e2m_rx_flow(struct e2m_flow *flow, struct sk_buff *skb,
			const struct e2m_gtpu_info *gtpu, bool xnet,
			bool from_stage, struct napi_struct *napi)
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
	why = e2m_rx_unprotect(e2m, flow, skb, off + gtpu->hdr_len,
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
	 * With GRO on (off in a new device, device.c), through the device's
	 * GRO cell, as vxlan and geneve do: a TCP burst cut into segments by
	 * the sender goes up the stack as one packet, a lone datagram as it
	 * came. With GRO off, the backlog (netif_rx(), as gtp.c). A full
	 * cell or backlog drops the packet into the device's rx_dropped.
	 * Steered, it is in a NAPI poll of the device already: up the stack
	 * from there (GRO, or with GRO off a list passed up at the poll's
	 * end), with no second queue.
	 */
	if (napi)
		napi_gro_receive(napi, skb);
	else
		gro_cells_receive(&e2m->gro_cells, skb);
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
 * From the stage's drain, with BHs off under rcu_read_lock(): the G-PDU
 * was parsed before it was staged, and the device's sockets are in the
 * device's namespace (socket.c).
 */
bool e2m_receive_staged(struct e2m_flow *flow, struct sk_buff *skb)
{
	unsigned int off = sizeof(struct udphdr);
	struct e2m_gtpu_info gtpu;

	if (WARN_ON_ONCE(e2m_gtpu_parse(skb->data + off, skb->len - off,
					skb_headlen(skb) - off, &gtpu))) {
		kfree_skb(skb);
		return false;
	}
	return e2m_rx_flow(flow, skb, &gtpu, false, true, NULL);
}

/*
 * Decryption writes in place, into the head and the page fragments: those
 * of a packet that is ours alone (no clone, no frag list, no fragment
 * shared with the page cache or a user, SKBFL_SHARED_FRAG) stay where they
 * are; any other packet is made linear and ours, a copy.
 */
static bool e2m_rx_writable(struct sk_buff *skb)
{
	if (!skb_cloned(skb) && !skb_has_frag_list(skb) &&
	    !skb_has_shared_frag(skb))
		return true;
	return !skb_linearize(skb) && !skb_unclone(skb, GFP_ATOMIC);
}

/* The usual GTP-U header, one extension header and the e2m header. */
#define E2M_RX_PULL	(sizeof(struct e2m_gtpu_hdr) + E2M_GTPU_OPT_LEN + 8 + \
			 E2M_PDU_HDR_LEN)

/*
 * Parses the GTP-U header at @off, and makes it and the e2m header after
 * it linear; the payload may stay in fragments.
 */
static enum e2m_drop e2m_rx_headers(struct sk_buff *skb, unsigned int off,
				    struct e2m_gtpu_info *gtpu)
{
	int ret;

	if (skb->len < off)
		return E2M_DROP_BAD_HEADER;
	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len,
				      off + E2M_RX_PULL)))
		return E2M_DROP_NOMEM;
	ret = e2m_gtpu_parse(skb->data + off, skb->len - off,
			     skb_headlen(skb) - off, gtpu);
	if (ret == -ENODATA) {	/* a long chain of extension headers */
		if (skb_linearize(skb))
			return E2M_DROP_NOMEM;
		ret = e2m_gtpu_parse(skb->data + off, skb->len - off,
				     skb->len - off, gtpu);
	}
	if (ret)
		return E2M_DROP_BAD_HEADER;
	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len,
				      off + gtpu->hdr_len + E2M_PDU_HDR_LEN)))
		return E2M_DROP_NOMEM;
	return E2M_DROP__COUNT;
}

/* A G-PDU, its GTP-U header parsed: to its flow, on this CPU. */
static void e2m_rx_gpdu(struct e2m_device *e2m, struct sk_buff *skb,
			const struct e2m_gtpu_info *gtpu, bool xnet,
			struct napi_struct *napi)
{
	struct e2m_flow *flow = e2m_flow_lookup_teid(e2m, gtpu->teid);

	if (!flow) {
		e2m_event_no_key(e2m, gtpu->teid, E2M_EVENT_UNKNOWN_TEID);
		e2m_device_count_drop(e2m, E2M_DROP_NO_FLOW);
		DEV_STATS_INC(e2m->dev, rx_dropped);
		kfree_skb(skb);
		return;
	}
	e2m_rx_flow(flow, skb, gtpu, xnet, false, napi);
}

void e2m_receive_steered(struct e2m_device *e2m, struct sk_buff *skb,
			 struct napi_struct *napi)
{
	const struct e2m_steer_cb cb = *e2m_steer_cb(skb);

	e2m_rx_gpdu(e2m, skb, &cb.gtpu, cb.xnet, napi);
}

int e2m_receive(struct sock *sk, struct sk_buff *skb)
{
	struct e2m_device *e2m = rcu_dereference_sk_user_data(sk);
	struct e2m_gtpu_info gtpu;
	unsigned int off;
	enum e2m_drop why;
	bool xnet;

	if (!e2m)
		return 1;	/* the socket is being torn down: let UDP have it */

	/* skb->data is at the UDP header. */
	off = sizeof(struct udphdr);
	if (!e2m_rx_writable(skb)) {
		why = E2M_DROP_NOMEM;
		goto drop;
	}
	why = e2m_rx_headers(skb, off, &gtpu);
	if (why != E2M_DROP__COUNT)
		goto drop;
	if (gtpu.type != E2M_GTPU_TYPE_GPDU) {
		why = E2M_DROP_NOT_GPDU;
		goto drop;
	}
	xnet = !net_eq(sock_net(sk), dev_net(e2m->dev));
	if (!e2m_steer(e2m, skb, &gtpu, xnet))
		e2m_rx_gpdu(e2m, skb, &gtpu, xnet, NULL);
	return 0;

drop:
	e2m_device_count_drop(e2m, why);
	DEV_STATS_INC(e2m->dev, rx_dropped);
	kfree_skb(skb);
	return 0;
}
