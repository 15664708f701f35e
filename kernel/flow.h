/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_FLOW_H
#define _E2M_FLOW_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <linux/e2m.h>

#include "deferred.h"
#include "device.h"
#include "peer.h"
#include "stage.h"
#include "stats.h"

struct e2m_device;
struct e2m_keyslot;
struct netlink_ext_ack;

/*
 * An inner address of a flow, a key of the device's inner table. Never
 * changed once published: FLOW_SET inserts a new one and frees the old one
 * after a grace period, so receive and transmit read it under RCU without
 * a lock.
 */
struct e2m_inner {
	struct rhash_head node;
	struct in6_addr addr;		/* IPv4 as an IPv4-mapped address */
	struct e2m_flow *flow;
	struct rcu_head rcu;
};

/*
 * A flow: one PDP context or PDU session of one device, reached by local
 * TEID (receive) and by inner address (transmit). Lifetime: created and
 * removed under the RTNL by netlink; after removal it is freed once no
 * packet can see it (deferred.h), together with its key slots and its
 * inner addresses. Its peer is shared with the device's other flows to
 * the same endpoint (peer.h): the flow holds a reference from its
 * creation until it is unlinked or moved to another peer, under the RTNL;
 * the peer itself goes a grace period after its last flow let it go.
 *
 * @peer, @inner4 and @inner6 are replaced under the RTNL, whole, by
 * FLOW_SET, which prepares every new object before it publishes any
 * (all or nothing), and are read under RCU. The objects they replace go
 * after a grace period: an inner address with kfree_rcu(), a peer once
 * its last flow drops it (e2m_peer_put()).
 *
 * @remote_teid is written under the RTNL with WRITE_ONCE and read with
 * READ_ONCE (transmit, dumps). It is not published together with @peer:
 * a packet sent while FLOW_SET changes both may carry the new TEID to the
 * old endpoint or the old TEID to the new one, as one sent just before
 * or after would reach the peer that the change left behind.
 *
 * The slots change under the RTNL only. The slot used to transmit changes
 * under the RTNL and also on receive (E2M_KEY_F_TX_ON_RX), so every change
 * of @tx_slot, and of a slot's E2M_SLOT_F_TX_PENDING, is made under
 * @tx_lock: a slot being unbound can never become the one that transmits.
 *
 * @stage holds the packets that wait for a key (stage.h): closed and
 * emptied when the flow is unlinked, before its deferred free.
 */
struct e2m_flow {
	struct e2m_device *e2m;
	u32 local_teid;
	u32 remote_teid;		/* see above */
	struct e2m_peer __rcu *peer;
	struct e2m_inner __rcu *inner4;
	struct e2m_inner __rcu *inner6;
	struct e2m_keyslot __rcu *slots[E2M_MAX_SLOTS];
	struct e2m_keyslot __rcu *tx_slot;
	spinlock_t tx_lock;		/* see above; taken _bh but on receive */
	struct e2m_flow_stats stats;
	struct e2m_stage stage;
	struct e2m_deferred free;	/* deferred.h */
};

struct e2m_flow_config {
	u32 local_teid;
	struct e2m_endpoint peer;
	u32 remote_teid;
	bool has_peer, has_remote_teid, has_port;
	bool has_inner4, has_inner6;
	__be32 inner4;
	struct in6_addr inner6;
};

struct e2m_flow *e2m_flow_lookup_teid(struct e2m_device *e2m, u32 teid);
struct e2m_flow *e2m_flow_lookup_inner(struct e2m_device *e2m,
				       const struct in6_addr *addr);
bool e2m_flow_inner_is(struct e2m_flow *flow, sa_family_t family,
		       const struct in6_addr *addr);
int e2m_flow_create(struct e2m_device *e2m, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack);
int e2m_flow_change(struct e2m_flow *flow, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack);
void e2m_flow_remove(struct e2m_flow *flow);
void e2m_flow_remove_all(struct e2m_device *e2m);
struct e2m_keyslot *e2m_flow_slot(struct e2m_flow *flow, u8 key_id);
int e2m_flow_bind(struct e2m_flow *flow, struct e2m_keyslot *slot, u32 flags,
		  struct netlink_ext_ack *extack);
void e2m_flow_use(struct e2m_flow *flow, struct e2m_keyslot *slot);
int e2m_flow_unbind(struct e2m_flow *flow, struct e2m_keyslot *slot,
		    struct netlink_ext_ack *extack);
void e2m_flow_tx_on_rx(struct e2m_flow *flow, struct e2m_keyslot *slot);

int e2m_flow_cache_init(void);
void e2m_flow_cache_exit(void);
int e2m_flow_table_init(struct e2m_device *e2m);
void e2m_flow_table_destroy(struct e2m_device *e2m);

/*
 * A flow's counts, each made twice: on the flow (FLOW_GET) and in its
 * device's totals (DEV_GET's E2M_A_STATS_TOTAL), which outlive the flow.
 */
static inline void e2m_flow_count_rx(struct e2m_flow *flow, unsigned int len)
{
	e2m_flow_stats_rx(&flow->stats, len);
	e2m_stats_rx(flow->e2m->totals, len);
}

static inline void e2m_flow_count_tx(struct e2m_flow *flow, unsigned int len)
{
	e2m_flow_stats_tx(&flow->stats, len);
	e2m_stats_tx(flow->e2m->totals, len);
}

static inline void e2m_flow_count_staged(struct e2m_flow *flow, bool rx)
{
	e2m_flow_stats_staged(&flow->stats, rx);
	e2m_stats_staged(flow->e2m->totals, rx);
}

static inline void e2m_flow_count_drop(struct e2m_flow *flow,
				       enum e2m_drop why)
{
	e2m_flow_stats_drop(&flow->stats, why);
	e2m_stats_drop(flow->e2m->totals, why);
}

static inline void e2m_inner_v4(struct in6_addr *out, __be32 v4)
{
	ipv6_addr_set_v4mapped(v4, out);
}

#endif /* _E2M_FLOW_H */
