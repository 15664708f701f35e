// SPDX-License-Identifier: GPL-2.0
/*
 * The peers of a device, shared by the flows that send to them, see
 * peer.h.
 */
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "device.h"
#include "fault.h"
#include "objcount.h"
#include "peer.h"

static const struct rhashtable_params e2m_peer_params = {
	.key_len = sizeof(struct e2m_endpoint),
	.key_offset = offsetof(struct e2m_peer, ep),
	.head_offset = offsetof(struct e2m_peer, node),
	.automatic_shrinking = true,
};

int e2m_peer_table_init(struct e2m_device *e2m)
{
	/* The key is compared as octets: no padding in it. */
	BUILD_BUG_ON(sizeof(struct e2m_endpoint) !=
		     sizeof(__be16) + sizeof(sa_family_t) + sizeof(struct in6_addr));
	return rhashtable_init(&e2m->peers, &e2m_peer_params);
}

/* After the device's flows are removed: every peer is out of the table. */
void e2m_peer_table_destroy(struct e2m_device *e2m)
{
	WARN_ON_ONCE(atomic_read(&e2m->peers.nelems));
	rhashtable_destroy(&e2m->peers);
}

static struct e2m_peer *e2m_peer_new(const struct e2m_endpoint *ep)
{
	struct e2m_peer *peer;

	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return NULL;
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL)) {
		kfree(peer);
		return NULL;
	}
	refcount_set(&peer->refs, 1);
	peer->ep = *ep;
	e2m_obj_created(E2M_OBJ_PEER);
	return peer;
}

/* Once no packet can hold @peer: its routes go with it. */
static void e2m_peer_free(struct e2m_peer *peer)
{
	dst_cache_destroy(&peer->dst_cache);
	kfree(peer);
	e2m_obj_destroyed(E2M_OBJ_PEER);
}

/* In softirq context: dst_cache_destroy() only drops references. */
static void e2m_peer_free_rcu(struct rcu_head *rcu)
{
	e2m_peer_free(container_of(rcu, struct e2m_peer, rcu));
}

/*
 * Under the RTNL: the device's peer at @ep (zeroed where unused, see
 * struct e2m_endpoint), with a reference for the caller, made and put in
 * the table if the device has none yet. One fallible step (fault.h),
 * found or made, so that a configuration's steps do not depend on the
 * other flows. NULL if it could not be made.
 */
struct e2m_peer *e2m_peer_get(struct e2m_device *e2m,
			      const struct e2m_endpoint *ep)
{
	struct e2m_peer *peer;

	ASSERT_RTNL();
	if (e2m_fault())
		return NULL;
	rcu_read_lock();	/* a resize may free buckets (see flow.c) */
	peer = rhashtable_lookup(&e2m->peers, ep, e2m_peer_params);
	rcu_read_unlock();
	if (peer) {
		refcount_inc(&peer->refs);
		return peer;
	}
	peer = e2m_peer_new(ep);
	if (!peer)
		return NULL;
	if (rhashtable_lookup_insert_fast(&e2m->peers, &peer->node,
					  e2m_peer_params)) {
		/* Nothing could find it: no grace period to wait for. */
		e2m_peer_free(peer);
		return NULL;
	}
	return peer;
}

/*
 * Under the RTNL: drops a flow's reference to @peer (which may be NULL).
 * The last one takes it out of the table, and frees it once no packet
 * can hold it.
 */
void e2m_peer_put(struct e2m_device *e2m, struct e2m_peer *peer)
{
	ASSERT_RTNL();
	if (!peer || !refcount_dec_and_test(&peer->refs))
		return;
	rhashtable_remove_fast(&e2m->peers, &peer->node, e2m_peer_params);
	call_rcu(&peer->rcu, e2m_peer_free_rcu);
}
