// SPDX-License-Identifier: GPL-2.0
/*
 * Flows and the two tables that find them: an xarray by local TEID (ordered,
 * so that a netlink dump can resume at a TEID) and a hash table by inner
 * address. Both are changed under the RTNL and read under RCU.
 */
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "deferred.h"
#include "device.h"
#include "flow.h"
#include "keyslot.h"
#include "objcount.h"

static const struct rhashtable_params e2m_inner_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct e2m_inner, addr),
	.head_offset = offsetof(struct e2m_inner, node),
	.automatic_shrinking = true,
};

int e2m_flow_table_init(struct e2m_device *e2m)
{
	xa_init(&e2m->flows);
	return rhashtable_init(&e2m->inner, &e2m_inner_params);
}

/* After e2m_flow_remove_all(): both tables are empty. */
void e2m_flow_table_destroy(struct e2m_device *e2m)
{
	rhashtable_destroy(&e2m->inner);
	xa_destroy(&e2m->flows);
}

struct e2m_flow *e2m_flow_lookup_teid(struct e2m_device *e2m, u32 teid)
{
	return xa_load(&e2m->flows, teid);
}

struct e2m_flow *e2m_flow_lookup_inner(struct e2m_device *e2m,
				       const struct in6_addr *addr)
{
	struct e2m_inner *inner;

	inner = rhashtable_lookup(&e2m->inner, addr, e2m_inner_params);
	return inner ? inner->flow : NULL;
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

static int e2m_inner_add(struct e2m_device *e2m, struct e2m_inner *inner,
			 const struct in6_addr *addr, struct netlink_ext_ack *extack)
{
	int ret;

	inner->addr = *addr;
	ret = rhashtable_lookup_insert_fast(&e2m->inner, &inner->node,
					    e2m_inner_params);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(extack, "inner address already belongs to another flow");
	inner->in_table = !ret;
	return ret;
}

static void e2m_inner_del(struct e2m_device *e2m, struct e2m_inner *inner)
{
	if (!inner->in_table)
		return;
	rhashtable_remove_fast(&e2m->inner, &inner->node, e2m_inner_params);
	inner->in_table = false;
}

static struct e2m_peer *e2m_peer_dup(const struct e2m_peer *cfg)
{
	struct e2m_peer *peer = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);

	return peer;
}

int e2m_flow_create(struct e2m_device *e2m, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct in6_addr addr;
	struct e2m_flow *flow;
	int ret;

	ASSERT_RTNL();
	if (e2m_flow_lookup_teid(e2m, cfg->local_teid)) {
		NL_SET_ERR_MSG(extack, "a flow with this local TEID exists");
		return -EEXIST;
	}
	flow = kzalloc(sizeof(*flow), GFP_KERNEL);
	if (!flow)
		return -ENOMEM;
	flow->e2m = e2m;
	flow->local_teid = cfg->local_teid;
	flow->inner4.flow = flow;
	flow->inner6.flow = flow;
	spin_lock_init(&flow->tx_lock);
	flow->stats = e2m_stats_alloc();
	ret = dst_cache_init(&flow->dst_cache, GFP_KERNEL);
	if (!flow->stats || ret) {
		ret = -ENOMEM;
		goto err_free;
	}
	RCU_INIT_POINTER(flow->peer, e2m_peer_dup(&cfg->peer));
	if (!rcu_access_pointer(flow->peer)) {
		ret = -ENOMEM;
		goto err_free;
	}

	if (cfg->has_inner4) {
		e2m_inner_v4(&addr, cfg->inner4);
		ret = e2m_inner_add(e2m, &flow->inner4, &addr, extack);
		if (ret)
			goto err_inner;
	}
	if (cfg->has_inner6) {
		ret = e2m_inner_add(e2m, &flow->inner6, &cfg->inner6, extack);
		if (ret)
			goto err_inner;
	}
	ret = xa_insert(&e2m->flows, flow->local_teid, flow, GFP_KERNEL);
	if (ret)
		goto err_inner;
	e2m->nflows++;
	e2m_obj_created(E2M_OBJ_FLOW);
	return 0;

err_inner:
	e2m_inner_del(e2m, &flow->inner4);
	e2m_inner_del(e2m, &flow->inner6);
	/* Lookups may have seen the inner entries: wait before freeing. */
	synchronize_rcu();
err_free:
	kfree(rcu_access_pointer(flow->peer));
	if (flow->dst_cache.cache)
		dst_cache_destroy(&flow->dst_cache);
	e2m_stats_free(flow->stats);
	kfree(flow);
	return ret;
}

/*
 * Changes the peer and/or the inner addresses. Inner addresses are swapped
 * one family at a time; if the new one is taken, nothing changes.
 */
int e2m_flow_change(struct e2m_flow *flow, const struct e2m_flow_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct e2m_device *e2m = flow->e2m;
	struct e2m_peer *old, *peer = NULL;
	struct e2m_inner new4 = { .flow = flow }, new6 = { .flow = flow };
	struct in6_addr addr;
	int ret;

	old = rtnl_dereference(flow->peer);
	if (cfg->has_peer || cfg->has_remote_teid || cfg->has_port) {
		peer = e2m_peer_dup(old);
		if (!peer)
			return -ENOMEM;
		if (cfg->has_peer) {
			peer->family = cfg->peer.family;
			peer->addr = cfg->peer.addr;
		}
		if (cfg->has_remote_teid)
			peer->remote_teid = cfg->peer.remote_teid;
		if (cfg->has_port)
			peer->port = cfg->peer.port;
	}

	/* Check the new inner addresses are free before touching anything. */
	if (cfg->has_inner4) {
		e2m_inner_v4(&addr, cfg->inner4);
		if (!ipv6_addr_equal(&addr, &flow->inner4.addr) &&
		    e2m_flow_lookup_inner(e2m, &addr)) {
			NL_SET_ERR_MSG(extack, "inner address already belongs to another flow");
			ret = -EEXIST;
			goto err;
		}
		new4.addr = addr;
	}
	if (cfg->has_inner6) {
		if (!ipv6_addr_equal(&cfg->inner6, &flow->inner6.addr) &&
		    e2m_flow_lookup_inner(e2m, &cfg->inner6)) {
			NL_SET_ERR_MSG(extack, "inner address already belongs to another flow");
			ret = -EEXIST;
			goto err;
		}
		new6.addr = cfg->inner6;
	}
	if (cfg->has_inner4 && !ipv6_addr_equal(&new4.addr, &flow->inner4.addr)) {
		e2m_inner_del(e2m, &flow->inner4);
		ret = e2m_inner_add(e2m, &flow->inner4, &new4.addr, extack);
		if (ret)
			goto err;
	}
	if (cfg->has_inner6 && !ipv6_addr_equal(&new6.addr, &flow->inner6.addr)) {
		e2m_inner_del(e2m, &flow->inner6);
		ret = e2m_inner_add(e2m, &flow->inner6, &new6.addr, extack);
		if (ret)
			goto err;
	}

	if (peer) {
		rcu_assign_pointer(flow->peer, peer);
		dst_cache_reset(&flow->dst_cache);
		kfree_rcu(old, rcu);
	}
	return 0;
err:
	kfree(peer);
	return ret;
}

static void e2m_flow_free_work(struct work_struct *work)
{
	struct e2m_flow *flow = container_of(to_rcu_work(work), struct e2m_flow,
					     free_work);
	int i;

	/* A grace period has passed: the slots are as unreachable as the flow. */
	for (i = 0; i < E2M_MAX_SLOTS; i++)
		e2m_keyslot_free_now(rcu_dereference_protected(flow->slots[i], true));
	kfree(rcu_dereference_protected(flow->peer, true));
	dst_cache_destroy(&flow->dst_cache);
	e2m_stats_free(flow->stats);
	kfree(flow);
	e2m_obj_destroyed(E2M_OBJ_FLOW);
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
	e2m_inner_del(e2m, &flow->inner4);
	e2m_inner_del(e2m, &flow->inner6);
	e2m->nflows--;
	e2m_defer(&flow->free_work, e2m_flow_free_work);
}

void e2m_flow_remove_all(struct e2m_device *e2m)
{
	struct e2m_flow *flow;
	unsigned long teid;

	xa_for_each(&e2m->flows, teid, flow)
		e2m_flow_remove(flow);
}
