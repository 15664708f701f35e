/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_FLOW_H
#define _E2M_FLOW_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/ipv6.h>
#include <linux/e2m.h>

#include "stats.h"

struct e2m_device;
struct e2m_keyslot;
struct netlink_ext_ack;

/* Where a flow sends to; replaced as a whole, read under RCU. */
struct e2m_peer {
	struct rcu_head rcu;
	u32 remote_teid;
	__be16 port;
	sa_family_t family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
};

/* An inner address of a flow, the key of the device's inner table. */
struct e2m_inner {
	struct rhash_head node;
	struct in6_addr addr;		/* IPv4 as an IPv4-mapped address */
	struct e2m_flow *flow;
	bool in_table;
};

/*
 * A flow: one PDP context or PDU session of one device, reached by local
 * TEID (receive) and by inner address (transmit). Lifetime: created and
 * removed under the RTNL by netlink; after removal it is freed once no
 * packet can see it (deferred.h), together with its key slots.
 *
 * The slots change under the RTNL only. The slot used to transmit changes
 * under the RTNL and also on receive (E2M_KEY_F_TX_ON_RX), so every change
 * of @tx_slot, and of a slot's E2M_SLOT_F_TX_PENDING, is made under
 * @tx_lock: a slot being unbound can never become the one that transmits.
 */
struct e2m_flow {
	struct e2m_device *e2m;
	u32 local_teid;
	struct e2m_peer __rcu *peer;
	struct e2m_inner inner4;
	struct e2m_inner inner6;
	struct e2m_keyslot __rcu *slots[E2M_MAX_SLOTS];
	struct e2m_keyslot __rcu *tx_slot;
	spinlock_t tx_lock;		/* see above; taken _bh but on receive */
	struct dst_cache dst_cache;
	struct e2m_stats __percpu *stats;
	struct rcu_work free_work;
};

struct e2m_flow_config {
	u32 local_teid;
	struct e2m_peer peer;
	bool has_peer, has_remote_teid, has_port;
	bool has_inner4, has_inner6;
	__be32 inner4;
	struct in6_addr inner6;
};

struct e2m_flow *e2m_flow_lookup_teid(struct e2m_device *e2m, u32 teid);
struct e2m_flow *e2m_flow_lookup_inner(struct e2m_device *e2m,
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

int e2m_flow_table_init(struct e2m_device *e2m);
void e2m_flow_table_destroy(struct e2m_device *e2m);

static inline void e2m_inner_v4(struct in6_addr *out, __be32 v4)
{
	ipv6_addr_set_v4mapped(v4, out);
}

#endif /* _E2M_FLOW_H */
