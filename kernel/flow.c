// SPDX-License-Identifier: GPL-2.0
/*
 * Flows and the two tables that find them: an xarray by local TEID (ordered,
 * so that a netlink dump can resume at a TEID) and a hash table by inner
 * address. Both are changed under the RTNL and read under RCU; so is what a
 * flow points to (its peer, its inner addresses, its key slots). The
 * device's third table, of peers (peer.c), only configuration reads. Lookups
 * made under the RTNL take rcu_read_lock() all the same: holding the RTNL
 * keeps entries from being added or removed, not the hash table's buckets
 * from being resized and freed under a preemptible reader.
 */
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "deferred.h"
#include "device.h"
#include "fault.h"
#include "flow.h"
#include "keyslot.h"
#include "objcount.h"
#include "peer.h"

static const struct rhashtable_params e2m_inner_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct e2m_inner, addr),
	.head_offset = offsetof(struct e2m_inner, node),
	.automatic_shrinking = true,
};

/*
 * The flows, in a cache of their own: a flow is 360 octets, which
 * kmalloc() would round up to 512 (issue 18: up to 10^6 flows a device).
 * Made at module init; destroyed at exit once the deferred frees have
 * run (e2m_deferred_exit()), which is where every flow is freed.
 */
static struct kmem_cache *e2m_flow_cache;

int e2m_flow_cache_init(void)
{
	e2m_flow_cache = KMEM_CACHE(e2m_flow, 0);
	return e2m_flow_cache ? 0 : -ENOMEM;
}

void e2m_flow_cache_exit(void)
{
	kmem_cache_destroy(e2m_flow_cache);
}

int e2m_flow_table_init(struct e2m_device *e2m)
{
	int ret;

	xa_init(&e2m->flows);
	ret = rhashtable_init(&e2m->inner, &e2m_inner_params);
	if (ret)
		return ret;
	ret = e2m_peer_table_init(e2m);
	if (ret)
		rhashtable_destroy(&e2m->inner);
	return ret;
}

/* After e2m_flow_remove_all(): the tables are empty. */
void e2m_flow_table_destroy(struct e2m_device *e2m)
{
	e2m_peer_table_destroy(e2m);
	rhashtable_destroy(&e2m->inner);
	xa_destroy(&e2m->flows);
}

/* Under RCU or the RTNL (xa_load() takes rcu_read_lock() itself). */
struct e2m_flow *e2m_flow_lookup_teid(struct e2m_device *e2m, u32 teid)
{
	return xa_load(&e2m->flows, teid);
}

/*
 * Under RCU or the RTNL. The hash table's lockdep annotations know
 * rcu_read_lock() only, not the _bh flavour transmit holds, and the RTNL
 * does not keep a resize from freeing the buckets: the lookup takes one.
 * The flow it returns is freed after a grace period of any flavour.
 */
struct e2m_flow *e2m_flow_lookup_inner(struct e2m_device *e2m,
				       const struct in6_addr *addr)
{
	struct e2m_inner *inner;
	struct e2m_flow *flow;

	rcu_read_lock();
	inner = rhashtable_lookup(&e2m->inner, addr, e2m_inner_params);
	flow = inner ? inner->flow : NULL;
	rcu_read_unlock();
	return flow;
}

/* Under RCU: whether @addr is the flow's inner address of @family. */
bool e2m_flow_inner_is(struct e2m_flow *flow, sa_family_t family,
		       const struct in6_addr *addr)
{
	const struct e2m_inner *inner;

	if (family == AF_INET)
		inner = rcu_dereference(flow->inner4);
	else
		inner = rcu_dereference(flow->inner6);
	return inner && ipv6_addr_equal(&inner->addr, addr);
}

struct e2m_keyslot *e2m_flow_slot(struct e2m_flow *flow, u8 key_id)
{
	int i;

	for (i = 0; i < E2M_MAX_SLOTS; i++) {
		struct e2m_keyslot *slot = rcu_dereference_rtnl(flow->slots[i]);

		if (slot && slot->key_id == key_id)
			return slot;
	}
	return NULL;
}

static struct e2m_keyslot *e2m_flow_tx_locked(struct e2m_flow *flow)
{
	return rcu_dereference_protected(flow->tx_slot,
					 lockdep_is_held(&flow->tx_lock));
}

/*
 * Binds @slot, which no packet can reach yet, in a free slot of the flow or
 * in place of a dead one with the same Key ID (e2m_keyslot_take_over()).
 * Transmits with it if the flow has no slot to transmit with or it replaces
 * that one; else, with E2M_KEY_F_TX_ON_RX, once the peer has used it. The
 * slot must be the only one of its key set in its direction
 * (e2m_keyslot_claim()). On failure the caller still owns @slot.
 */
int e2m_flow_bind(struct e2m_flow *flow, struct e2m_keyslot *slot, u32 flags,
		  struct netlink_ext_ack *extack)
{
	struct e2m_keyslot *old, *tx;
	int i, idx = -1, ret;

	ASSERT_RTNL();
	old = e2m_flow_slot(flow, slot->key_id);
	/* Where @old is, or without one a free slot. */
	for (i = 0; i < E2M_MAX_SLOTS; i++)
		if (rtnl_dereference(flow->slots[i]) == old) {
			idx = i;
			break;
		}
	if (idx < 0) {
		NL_SET_ERR_MSG(extack, "the flow has two keys bound already");
		return -ENOSPC;
	}
	if (old) {
		ret = e2m_keyslot_take_over(slot, old, extack);
		if (ret)
			return ret;
	}
	ret = e2m_keyslot_claim(slot, extack);
	if (ret)
		return ret;

	spin_lock_bh(&flow->tx_lock);
	tx = e2m_flow_tx_locked(flow);
	if (old)
		clear_bit(E2M_SLOT_F_TX_PENDING, &old->flags);
	if (tx && tx != old && (flags & E2M_KEY_F_TX_ON_RX))
		set_bit(E2M_SLOT_F_TX_PENDING, &slot->flags);
	rcu_assign_pointer(flow->slots[idx], slot);
	if (!tx || tx == old)
		rcu_assign_pointer(flow->tx_slot, slot);
	spin_unlock_bh(&flow->tx_lock);
	e2m_keyslot_release(old);
	/* Packets that waited for a key go now, or wait on. */
	e2m_stage_kick(flow);
	return 0;
}

/* Transmits with @slot from now on: an explicit choice, no switch pending. */
void e2m_flow_use(struct e2m_flow *flow, struct e2m_keyslot *slot)
{
	int i;

	ASSERT_RTNL();
	spin_lock_bh(&flow->tx_lock);
	for (i = 0; i < E2M_MAX_SLOTS; i++) {
		struct e2m_keyslot *s = rtnl_dereference(flow->slots[i]);

		if (s)
			clear_bit(E2M_SLOT_F_TX_PENDING, &s->flags);
	}
	rcu_assign_pointer(flow->tx_slot, slot);
	spin_unlock_bh(&flow->tx_lock);
}

/* Drops @slot, unless it transmits while another slot is bound. */
int e2m_flow_unbind(struct e2m_flow *flow, struct e2m_keyslot *slot,
		    struct netlink_ext_ack *extack)
{
	struct e2m_keyslot *tx;
	int i, bound = 0;

	ASSERT_RTNL();
	for (i = 0; i < E2M_MAX_SLOTS; i++)
		bound += !!rtnl_dereference(flow->slots[i]);
	spin_lock_bh(&flow->tx_lock);
	tx = e2m_flow_tx_locked(flow);
	if (slot == tx && bound > 1) {
		spin_unlock_bh(&flow->tx_lock);
		NL_SET_ERR_MSG(extack,
			       "the key is in use for transmission: switch to the other first");
		return -EBUSY;
	}
	clear_bit(E2M_SLOT_F_TX_PENDING, &slot->flags);
	for (i = 0; i < E2M_MAX_SLOTS; i++)
		if (rtnl_dereference(flow->slots[i]) == slot)
			RCU_INIT_POINTER(flow->slots[i], NULL);
	if (slot == tx)
		RCU_INIT_POINTER(flow->tx_slot, NULL);
	spin_unlock_bh(&flow->tx_lock);
	e2m_keyslot_release(slot);
	return 0;
}

/*
 * On receive, in softirq: a packet under @slot, bound with
 * E2M_KEY_F_TX_ON_RX, passed the MAC and replay checks, so the peer has the
 * key: transmit with it from now on. Once; not if the slot was unbound or
 * KEY_USE chose meanwhile (either clears the bit under the lock).
 */
void e2m_flow_tx_on_rx(struct e2m_flow *flow, struct e2m_keyslot *slot)
{
	spin_lock(&flow->tx_lock);
	if (test_and_clear_bit(E2M_SLOT_F_TX_PENDING, &slot->flags))
		rcu_assign_pointer(flow->tx_slot, slot);
	spin_unlock(&flow->tx_lock);
}

static struct e2m_inner *e2m_inner_new(struct e2m_flow *flow,
				       const struct in6_addr *addr)
{
	struct e2m_inner *inner;

	if (e2m_fault())
		return NULL;
	inner = kzalloc(sizeof(*inner), GFP_KERNEL);
	if (!inner)
		return NULL;
	inner->addr = *addr;
	inner->flow = flow;
	return inner;
}

/*
 * Makes @inner (which may be NULL) findable on transmit. Can fail: the
 * address was taken (the callers have checked it was not) or the table
 * could not grow.
 */
static int e2m_inner_insert(struct e2m_device *e2m, struct e2m_inner *inner,
			    struct netlink_ext_ack *extack)
{
	int ret;

	if (!inner)
		return 0;
	if (e2m_fault())
		return -ENOMEM;
	ret = rhashtable_lookup_insert_fast(&e2m->inner, &inner->node,
					    e2m_inner_params);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(extack, "inner address already belongs to another flow");
	return ret;
}

/* Transmit finds @inner (which may be NULL) no more; RCU readers still may. */
static void e2m_inner_remove(struct e2m_device *e2m, struct e2m_inner *inner)
{
	if (inner)
		rhashtable_remove_fast(&e2m->inner, &inner->node, e2m_inner_params);
}

/*
 * The new inner address of one family, or NULL if the request keeps the
 * current one (@cur, which may be NULL). ERR_PTR(-EEXIST) if another flow
 * has it, ERR_PTR(-ENOMEM).
 */
static struct e2m_inner *e2m_inner_prepare(struct e2m_flow *flow,
					   struct e2m_inner *cur,
					   const struct in6_addr *addr,
					   struct netlink_ext_ack *extack)
{
	struct e2m_inner *inner;

	if (cur && ipv6_addr_equal(&cur->addr, addr))
		return NULL;
	if (e2m_flow_lookup_inner(flow->e2m, addr)) {
		NL_SET_ERR_MSG(extack, "inner address already belongs to another flow");
		return ERR_PTR(-EEXIST);
	}
	inner = e2m_inner_new(flow, addr);
	return inner ?: ERR_PTR(-ENOMEM);
}

/*
 * What a flow configuration is about to publish: every object made and
 * every address checked before anything changes. Only the new inner
 * addresses are seen before publication, from their insertion on: they
 * lead to this same flow, which the request gives them to.
 */
struct e2m_flow_update {
	struct e2m_peer *peer;		/* with a reference */
	struct e2m_inner *inner4, *inner6;
};

/*
 * Prepares the objects @cfg asks for. @flow's current inner addresses
 * (none for a new flow) are kept where @cfg gives them again. On failure
 * nothing is left prepared.
 */
static int e2m_flow_prepare(struct e2m_flow *flow,
			    const struct e2m_flow_config *cfg,
			    const struct e2m_endpoint *ep,
			    struct e2m_flow_update *up,
			    struct netlink_ext_ack *extack)
{
	struct in6_addr addr;
	int ret = -ENOMEM;

	memset(up, 0, sizeof(*up));
	if (cfg->has_inner4) {
		e2m_inner_v4(&addr, cfg->inner4);
		up->inner4 = e2m_inner_prepare(flow, rtnl_dereference(flow->inner4),
					       &addr, extack);
		if (IS_ERR(up->inner4)) {
			ret = PTR_ERR(up->inner4);
			up->inner4 = NULL;
			goto err;
		}
	}
	if (cfg->has_inner6) {
		up->inner6 = e2m_inner_prepare(flow, rtnl_dereference(flow->inner6),
					       &cfg->inner6, extack);
		if (IS_ERR(up->inner6)) {
			ret = PTR_ERR(up->inner6);
			up->inner6 = NULL;
			goto err;
		}
	}
	if (ep) {
		up->peer = e2m_peer_get(flow->e2m, ep);
		if (!up->peer)
			goto err;
	}
	return 0;
err:
	kfree(up->inner4);
	kfree(up->inner6);
	return ret;
}

/*
 * Inserts the prepared inner addresses; on failure takes back what it
 * inserted and frees what was prepared, after a grace period for what
 * transmit may have found. The flow is then as it was.
 */
static int e2m_flow_insert(struct e2m_flow *flow, struct e2m_flow_update *up,
			   struct netlink_ext_ack *extack)
{
	struct e2m_device *e2m = flow->e2m;
	int ret;

	ret = e2m_inner_insert(e2m, up->inner4, extack);
	if (ret) {
		kfree(up->inner4);
		goto err;
	}
	ret = e2m_inner_insert(e2m, up->inner6, extack);
	if (ret) {
		e2m_inner_remove(e2m, up->inner4);
		if (up->inner4)
			kfree_rcu(up->inner4, rcu);
		goto err;
	}
	return 0;
err:
	kfree(up->inner6);
	e2m_peer_put(e2m, up->peer);
	return ret;
}

/*
 * Publishes what e2m_flow_insert() inserted, and the new peer; the objects
 * replaced go after a grace period (the old peer once its last flow lets
 * it go). Cannot fail.
 */
static void e2m_flow_publish(struct e2m_flow *flow, struct e2m_flow_update *up)
{
	struct e2m_device *e2m = flow->e2m;
	struct e2m_inner *old4 = NULL, *old6 = NULL;
	struct e2m_peer *old = NULL;

	if (up->inner4) {
		old4 = rtnl_dereference(flow->inner4);
		rcu_assign_pointer(flow->inner4, up->inner4);
	}
	if (up->inner6) {
		old6 = rtnl_dereference(flow->inner6);
		rcu_assign_pointer(flow->inner6, up->inner6);
	}
	if (up->peer) {
		old = rtnl_dereference(flow->peer);
		rcu_assign_pointer(flow->peer, up->peer);
	}
	e2m_inner_remove(e2m, old4);
	e2m_inner_remove(e2m, old6);
	if (old4)
		kfree_rcu(old4, rcu);
	if (old6)
		kfree_rcu(old6, rcu);
	e2m_peer_put(e2m, old);
}

static void e2m_flow_free(struct e2m_flow *flow)
{
	int i;

	/* Closed and emptied at unlink; a flow never linked never staged. */
	WARN_ON_ONCE(e2m_stage_len(flow));
	for (i = 0; i < E2M_MAX_SLOTS; i++)
		e2m_keyslot_free_now(rcu_dereference_protected(flow->slots[i], true));
	/* Its peer it let go at unlink (or never had one), under the RTNL. */
	kfree(rcu_dereference_protected(flow->inner4, true));
	kfree(rcu_dereference_protected(flow->inner6, true));
	kmem_cache_free(e2m_flow_cache, flow);
	e2m_obj_destroyed(E2M_OBJ_FLOW);
}

/* A grace period has passed: slots and inners are as unreachable. */
static void e2m_flow_free_deferred(struct e2m_deferred *d)
{
	e2m_flow_free(container_of(d, struct e2m_flow, free));
}

static void e2m_flow_free_rcu(struct rcu_head *rcu)
{
	e2m_defer_queue(container_of(rcu, struct e2m_deferred, rcu),
			e2m_flow_free_deferred);
}

/* Frees @flow, unlinked, after a grace period, in process context. */
static void e2m_flow_defer_free(struct e2m_flow *flow)
{
	call_rcu(&flow->free.rcu, e2m_flow_free_rcu);
}

/*
 * A new flow is made whole (peer, inner addresses) before anything
 * can find it; its inner addresses become findable first, its TEID last.
 * If storing the TEID fails, transmit may have found the flow by an inner
 * address: it is then freed after a grace period, by the deferred path, as
 * a removed flow is (never with synchronize_rcu() under the RTNL).
 */
int e2m_flow_create(struct e2m_device *e2m, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct e2m_flow_update up;
	struct e2m_flow *flow;
	int ret;

	ASSERT_RTNL();
	if (e2m_flow_lookup_teid(e2m, cfg->local_teid)) {
		NL_SET_ERR_MSG(extack, "a flow with this local TEID exists");
		return -EEXIST;
	}
	flow = e2m_fault() ? NULL : kmem_cache_zalloc(e2m_flow_cache, GFP_KERNEL);
	if (!flow)
		return -ENOMEM;
	flow->e2m = e2m;
	flow->local_teid = cfg->local_teid;
	flow->remote_teid = cfg->remote_teid;
	spin_lock_init(&flow->tx_lock);
	e2m_stage_init(&flow->stage);
	e2m_obj_created(E2M_OBJ_FLOW);
	ret = e2m_flow_prepare(flow, cfg, &cfg->peer, &up, extack);
	if (ret) {
		e2m_flow_free(flow);
		return ret;
	}
	/* The flow's from here: whatever finds the flow finds its peer. */
	RCU_INIT_POINTER(flow->peer, up.peer);
	up.peer = NULL;
	ret = e2m_flow_insert(flow, &up, extack);
	if (ret)
		goto err_defer;
	RCU_INIT_POINTER(flow->inner4, up.inner4);
	RCU_INIT_POINTER(flow->inner6, up.inner6);
	ret = e2m_fault() ? -ENOMEM :
	      xa_insert(&e2m->flows, flow->local_teid, flow, GFP_KERNEL);
	if (ret) {
		e2m_inner_remove(e2m, up.inner4);
		e2m_inner_remove(e2m, up.inner6);
		goto err_defer;
	}
	WRITE_ONCE(e2m->nflows, e2m->nflows + 1);
	return 0;

err_defer:
	/* Transmit may have found it by an inner address for a moment. */
	e2m_stage_close(flow);
	e2m_peer_put(e2m, rtnl_dereference(flow->peer));
	e2m_flow_defer_free(flow);
	return ret;
}

/*
 * Changes the peer (address, port), the remote TEID and/or the inner
 * addresses, all or nothing: every new object is made or found and every
 * new address checked and inserted before the first is published; a
 * failure at any step leaves the flow as it was (the tests fail each
 * step, fault.h).
 */
int e2m_flow_change(struct e2m_flow *flow, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct e2m_endpoint ep, *new_ep = NULL;
	struct e2m_flow_update up;
	int ret;

	ASSERT_RTNL();
	if (cfg->has_peer || cfg->has_port) {
		/* The whole key: the unused part of an IPv4 address is zero. */
		ep = rtnl_dereference(flow->peer)->ep;
		if (cfg->has_peer) {
			ep.family = cfg->peer.family;
			ep.addr = cfg->peer.addr;
		}
		if (cfg->has_port)
			ep.port = cfg->peer.port;
		new_ep = &ep;
	}
	ret = e2m_flow_prepare(flow, cfg, new_ep, &up, extack);
	if (ret)
		return ret;
	ret = e2m_flow_insert(flow, &up, extack);
	if (ret)
		return ret;
	e2m_flow_publish(flow, &up);
	if (cfg->has_remote_teid)
		WRITE_ONCE(flow->remote_teid, cfg->remote_teid);
	return 0;
}

/* Unlinks the flow from both tables and frees it after a grace period. */
void e2m_flow_remove(struct e2m_flow *flow)
{
	struct e2m_device *e2m = flow->e2m;
	int i;

	ASSERT_RTNL();
	for (i = 0; i < E2M_MAX_SLOTS; i++) {
		struct e2m_keyslot *slot = rtnl_dereference(flow->slots[i]);

		if (slot)
			e2m_keyslot_unclaim(slot);
	}
	xa_erase(&e2m->flows, flow->local_teid);
	e2m_inner_remove(e2m, rtnl_dereference(flow->inner4));
	e2m_inner_remove(e2m, rtnl_dereference(flow->inner6));
	WRITE_ONCE(e2m->nflows, e2m->nflows - 1);
	e2m_stage_close(flow);
	/* Packets that found the flow may still send to its peer: see peer.h. */
	e2m_peer_put(e2m, rtnl_dereference(flow->peer));
	e2m_flow_defer_free(flow);
}

void e2m_flow_remove_all(struct e2m_device *e2m)
{
	struct e2m_flow *flow;
	unsigned long teid;

	xa_for_each(&e2m->flows, teid, flow)
		e2m_flow_remove(flow);
}
