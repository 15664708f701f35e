/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_PEER_H
#define _E2M_PEER_H

#include <linux/in6.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <net/dst_cache.h>

struct e2m_device;

/*
 * Where a flow sends to: the peer's address and port. The key of the
 * device's peer table, compared whole: zeroed before it is filled (an
 * IPv4 address leaves the rest of @addr zero), and without padding.
 */
struct e2m_endpoint {
	__be16 port;
	sa_family_t family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
};

/*
 * One endpoint of a device and the routes to it, shared by every flow of
 * the device that sends there (a gateway has few peers and many flows):
 * the flows hold @refs, one each, and the device's peer table, keyed by
 * the endpoint, holds the peer while a flow does.
 *
 * Lifetime and locking: the table and @refs change under the RTNL only
 * (FLOW_NEW, FLOW_SET, FLOW_DEL, a device's deletion): e2m_peer_get()
 * finds or makes the peer and takes a reference, e2m_peer_put() drops
 * one; the last takes the peer out of the table and frees it after a
 * grace period (call_rcu(); unload waits with rcu_barrier()), as the
 * packet path reads it under RCU through its flows. The endpoint never
 * changes: FLOW_SET to another endpoint moves the flow to another peer,
 * so a route looked up for one endpoint (or one address family) is never
 * used for another, whatever a transmitting CPU still holds.
 */
struct e2m_peer {
	struct rhash_head node;		/* in the device's peers */
	refcount_t refs;		/* the flows that send here */
	struct e2m_endpoint ep;
	struct dst_cache dst_cache;	/* per CPU, used with BHs off */
	struct rcu_head rcu;
};

struct e2m_peer *e2m_peer_get(struct e2m_device *e2m,
			      const struct e2m_endpoint *ep);
void e2m_peer_put(struct e2m_device *e2m, struct e2m_peer *peer);
int e2m_peer_table_init(struct e2m_device *e2m);
void e2m_peer_table_destroy(struct e2m_device *e2m);

#endif /* _E2M_PEER_H */
