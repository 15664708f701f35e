// SPDX-License-Identifier: GPL-2.0
/*
 * Key slots: an e2mkeyset or a ks_local key from the caller's keyrings,
 * bound to a flow. An e2mkeyset gives its K_enc and K_int; a ks_local key
 * gives the Ks_local from which the module derives them (ks_link.h), so
 * that the link keys never exist outside the kernel.
 */
#include <linux/key.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "deferred.h"
#include "fresh.h"
#include "keyset.h"
#include "keyslot.h"
#include "ks_link.h"
#include "ks_local.h"
#include "objcount.h"

/*
 * Makes @slot the one that transmits with its key set in its direction;
 * refused if another slot does, or if the key set ran out of COUNTs.
 */
int e2m_keyslot_claim(struct e2m_keyslot *slot, struct netlink_ext_ack *extack)
{
	int ret = e2m_fresh_claim(slot->fresh, slot->direction);

	if (ret && e2m_fresh_is_forged(slot->fresh))
		NL_SET_ERR_MSG(extack,
			       "the key set was killed for failed MACs: it is never bound again");
	else if (ret == -EBUSY)
		NL_SET_ERR_MSG(extack,
			       "the key set transmits on another flow in this direction: unbind it there first");
	else if (ret)
		NL_SET_ERR_MSG(extack,
			       "the key set reached the COUNT limit in this direction: it is never bound again");
	else
		set_bit(E2M_SLOT_F_CLAIMED, &slot->flags);
	return ret;
}

/*
 * The setter of both counts of failed MACs below (kp->arg is the count's
 * variable): 1 to 2^20, anything else refused with the value unchanged.
 * Bind reads them with READ_ONCE.
 */
static int e2m_mac_count_param_set(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 1 || n > E2M_MAC_FAIL_LIMIT_MAX)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops e2m_mac_count_param_ops = {
	.set = e2m_mac_count_param_set,
	.get = param_get_uint,
};

/*
 * The MAC-failure limit. NIA2's MAC is 32 bits: each forged packet is one
 * guess, right with probability 2^-32, so a slot that allows L failed MACs
 * lets an on-path attacker succeed with probability at most L / 2^32. The
 * default, 1024 (2^10), bounds that at 2^-22 per receiving end of a key
 * set, since a key set whose slot reaches it is killed and never bound
 * again (a slot of it bound in the other direction, on this host, keeps
 * its own count: the two ends of a link each allow L). Honest traffic
 * almost never fails: the UDP checksum catches damage on the way, so a
 * run of failures means a forger or a peer that holds another key (the
 * local link's key-mismatch rule reports the same event). Read when a key
 * is bound: a change applies to keys bound afterwards.
 */
static unsigned int e2m_mac_fail_limit = 1024;

module_param_cb(mac_fail_limit, &e2m_mac_count_param_ops, &e2m_mac_fail_limit,
		0644);
MODULE_PARM_DESC(mac_fail_limit,
		 "failed MACs after which a key slot is killed (1..2^20, default 1024)");

/*
 * The key-mismatch rule of a local link (seed 001 7.3), for ks_local slots:
 * this many failed MACs in a row, with no packet accepted in between, mean
 * that the peer protects with another Ks_local (one end re-established,
 * or its key was replaced), not that packets were damaged: the UDP
 * checksum catches damage, so honest traffic fails a MAC almost never and
 * a single failure proves nothing. The default, 8, reports a mismatch
 * after a few packets of the peer's traffic while a burst of a few forged
 * or corrupted packets does not. An attacker who can send forged packets
 * can make the event come, no more: the agent re-establishes the key,
 * which an attacker on the path could disrupt by dropping packets anyway.
 * Independent of mac_fail_limit, which kills the slot; read at bind.
 */
static unsigned int e2m_key_mismatch_failures = 8;

module_param_cb(key_mismatch_failures, &e2m_mac_count_param_ops,
		&e2m_key_mismatch_failures, 0644);
MODULE_PARM_DESC(key_mismatch_failures,
		 "failed MACs in a row on a ks_local slot that report a key mismatch (1..2^20, default 8)");

/*
 * The keys of a bind, in memory of their own, wiped when freed: an
 * e2mkeyset's K_enc and K_int as copied out under key->sem, or a ks_local
 * key's Ks_local (copied so) and the K_enc, K_int derived from it outside
 * the lock.
 */
struct e2m_slot_keys {
	u8 ks_local[E2M_KS_LOCAL_KEY_LEN];
	u8 k_enc[E2M_ALG_KEY_LEN];
	u8 k_int[E2M_ALG_KEY_LEN];
};

/*
 * Copies the key set out of an e2mkeyset key, under key->sem: the
 * algorithms, the Key ID, a reference to its COUNT state and the two keys.
 */
static int e2m_keyslot_read_keyset(struct e2m_keyslot *slot, struct key *key,
				   struct e2m_slot_keys *keys,
				   struct netlink_ext_ack *extack)
{
	const struct e2m_keyset *ks = dereference_key_locked(key);

	if (ks->enc_alg != E2M_ALG_AES || ks->int_alg != E2M_ALG_AES) {
		NL_SET_ERR_MSG(extack, "key algorithms are not NEA2/NIA2");
		return -ENOPKG;
	}
	slot->key_id = ks->key_id;
	slot->enc_alg = ks->enc_alg;
	slot->int_alg = ks->int_alg;
	slot->fresh = e2m_fresh_get(ks->fresh);
	memcpy(keys->k_enc, ks->k_enc, E2M_ALG_KEY_LEN);
	memcpy(keys->k_int, ks->k_int, E2M_ALG_KEY_LEN);
	return 0;
}

/*
 * Copies Ks_local out of a ks_local key, under key->sem, with a reference
 * to its COUNT state; the Key ID and algorithm are the request's.
 */
static void e2m_keyslot_read_ks_local(struct e2m_keyslot *slot,
				      struct key *key,
				      const struct e2m_bind_req *req,
				      struct e2m_slot_keys *keys)
{
	const struct e2m_ks_local *kl = dereference_key_locked(key);

	slot->key_id = req->key_id;
	slot->enc_alg = req->alg;
	slot->int_alg = req->alg;
	slot->fresh = e2m_fresh_get(kl->fresh);
	memcpy(keys->ks_local, kl->key, E2M_KS_LOCAL_KEY_LEN);
}

/* Under key->sem only for the copy; the caller wipes @keys. */
static int e2m_keyslot_read_key(struct e2m_keyslot *slot, struct key *key,
				const struct e2m_bind_req *req,
				struct e2m_slot_keys *keys,
				struct netlink_ext_ack *extack)
{
	int ret;

	down_read(&key->sem);
	ret = key_validate(key);
	if (!ret && !dereference_key_locked(key))
		ret = -EKEYREVOKED;
	if (ret)
		NL_SET_ERR_MSG(extack, "key is revoked, expired or invalidated");
	else if (slot->kind == E2M_KEY_KIND_KEYSET)
		ret = e2m_keyslot_read_keyset(slot, key, keys, extack);
	else
		e2m_keyslot_read_ks_local(slot, key, req, keys);
	up_read(&key->sem);
	return ret;
}

/* Keys the slot's transforms; may sleep and load crypto modules. */
static int e2m_keyslot_crypto_init(struct e2m_keyslot *slot, const u8 *k_enc,
				   const u8 *k_int)
{
	struct e2m_keyslot_crypto *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return -ENOMEM;
	ret = e2m_crypto_init(&c->c, k_enc, k_int);
	if (ret) {
		kfree_sensitive(c);
		return ret;
	}
	e2m_obj_created(E2M_OBJ_SLOT_CRYPTO);
	RCU_INIT_POINTER(slot->crypto, c);
	return 0;
}

/*
 * What a bind of @kind needs from the request: a ks_local key names its
 * Key ID and the algorithm of the link, for which this module must
 * implement NEA and NIA; an e2mkeyset key carries both itself.
 */
static int e2m_keyslot_check_req(u8 kind, const struct e2m_bind_req *req,
				 struct netlink_ext_ack *extack)
{
	if (kind == E2M_KEY_KIND_KEYSET) {
		if (req->has_key_id || req->has_alg) {
			NL_SET_ERR_MSG(extack,
				       "an e2mkeyset key carries its Key ID and algorithms: give neither");
			return -EINVAL;
		}
		return 0;
	}
	if (!req->has_key_id) {
		NL_SET_ERR_MSG(extack,
			       "a ks_local key is bound under a Key ID (E2M_FLOW_A_KEY_ID): missing");
		return -EINVAL;
	}
	if (!req->has_alg) {
		NL_SET_ERR_MSG(extack,
			       "a ks_local key needs the link's algorithm (E2M_FLOW_A_KEY_ALG): missing");
		return -EINVAL;
	}
	switch (req->alg) {
	case E2M_ALG_AES:
		return 0;
	case E2M_ALG_NULL:
		NL_SET_ERR_MSG(extack,
			       "algorithm 0: NIA0 (no integrity) is never accepted");
		return -EINVAL;
	case E2M_ALG_SNOW3G:
	case E2M_ALG_ZUC:
		NL_SET_ERR_MSG(extack, "algorithm not implemented by this module");
		return -ENOPKG;
	default:
		NL_SET_ERR_MSG(extack, "unknown algorithm");
		return -EINVAL;
	}
}

/*
 * The slot's K_enc and K_int into @keys: copied from an e2mkeyset key, or
 * derived from a ks_local key's Ks_local once key->sem is released (the
 * derivation allocates a transform, may sleep and load modules).
 */
static int e2m_keyslot_keys(struct e2m_keyslot *slot, struct key *key,
			    const struct e2m_bind_req *req,
			    struct e2m_slot_keys *keys,
			    struct netlink_ext_ack *extack)
{
	int ret;

	ret = e2m_keyslot_read_key(slot, key, req, keys, extack);
	if (ret || slot->kind != E2M_KEY_KIND_KS_LOCAL)
		return ret;
	ret = e2m_ks_link_derive(keys->ks_local, req->alg, keys->k_enc,
				 keys->k_int);
	if (ret)
		NL_SET_ERR_MSG(extack, "could not derive the link keys with hmac(sha256)");
	return ret;
}

/*
 * Looks up the requested key with the permissions of the calling process
 * (the netlink request runs in its context), checks that it is a live
 * e2mkeyset or ks_local key with algorithms this module implements, and
 * prepares its transforms. Called without the RTNL: looking the key up,
 * deriving link keys and allocating transforms may sleep and load
 * modules, and the key's semaphore is held only to copy the key out. The
 * slot is then attached to its device (e2m_keyslot_attach()) and bound
 * (e2m_flow_bind()) under the RTNL; the caller frees it with
 * e2m_keyslot_free_now() if that fails.
 */
struct e2m_keyslot *e2m_keyslot_prepare(const struct e2m_bind_req *req,
					struct netlink_ext_ack *extack)
{
	struct e2m_slot_keys *keys;
	struct e2m_keyslot *slot;
	key_ref_t ref;
	struct key *key;
	u8 kind;
	int ret;

	ref = lookup_user_key(req->serial, 0, KEY_NEED_SEARCH);
	if (IS_ERR(ref)) {
		ret = PTR_ERR(ref);
		if (ret == -EKEYREVOKED || ret == -EKEYEXPIRED)
			NL_SET_ERR_MSG(extack, "key is revoked, expired or invalidated");
		else
			NL_SET_ERR_MSG(extack, "key not found or not searchable by the caller");
		return ERR_PTR(ret);
	}
	key = key_ref_to_ptr(ref);
	if (key->type == &e2m_keyset_key_type) {
		kind = E2M_KEY_KIND_KEYSET;
	} else if (key->type == &e2m_ks_local_key_type) {
		kind = E2M_KEY_KIND_KS_LOCAL;
	} else {
		NL_SET_ERR_MSG(extack, "key is not of type " E2M_KEYSET_KEY_TYPE
			       " or " E2M_KS_LOCAL_KEY_TYPE);
		key_ref_put(ref);
		return ERR_PTR(-EKEYREJECTED);
	}
	ret = e2m_keyslot_check_req(kind, req, extack);
	if (ret) {
		key_ref_put(ref);
		return ERR_PTR(ret);
	}

	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	keys = kzalloc(sizeof(*keys), GFP_KERNEL);
	if (!slot || !keys) {
		kfree(keys);
		kfree(slot);
		key_ref_put(ref);
		return ERR_PTR(-ENOMEM);
	}
	/* From here on e2m_keyslot_free_now() undoes whatever was done. */
	e2m_obj_created(E2M_OBJ_KEYSLOT);
	INIT_LIST_HEAD(&slot->fresh_node);
	slot->key = key;
	slot->serial = req->serial;
	slot->kind = kind;
	slot->mac_fail_limit = READ_ONCE(e2m_mac_fail_limit);
	if (kind == E2M_KEY_KIND_KS_LOCAL)
		slot->mismatch_limit = READ_ONCE(e2m_key_mismatch_failures);

	ret = e2m_keyslot_keys(slot, key, req, keys, extack);
	if (!ret) {
		ret = e2m_keyslot_crypto_init(slot, keys->k_enc, keys->k_int);
		if (ret)
			NL_SET_ERR_MSG(extack, "could not set up ctr(aes) / cmac(aes)");
	}
	kfree_sensitive(keys);
	if (ret)
		goto err;

	/*
	 * A revoke from now on finds the slot and kills it; one that came
	 * before set KEY_FLAG_REVOKED before it took the lock, so the check
	 * below sees it.
	 */
	spin_lock(&slot->fresh->lock);
	list_add(&slot->fresh_node, &slot->fresh->slots);
	spin_unlock(&slot->fresh->lock);
	ret = key_validate(key);
	if (ret) {
		NL_SET_ERR_MSG(extack, "key is revoked, expired or invalidated");
		goto err;
	}
	return slot;

err:
	e2m_keyslot_free_now(slot);
	return ERR_PTR(ret);
}

/*
 * What the slot takes from the device it is bound on: the size of its
 * replay window and the direction it transmits in, from which it carries
 * on the key set's COUNT. Under the RTNL, which keeps both as they are.
 */
int e2m_keyslot_attach(struct e2m_keyslot *slot, u32 window, u8 direction)
{
	slot->replay = e2m_replay_alloc(window, GFP_KERNEL);
	if (!slot->replay)
		return -ENOMEM;
	slot->direction = direction;
	slot->tx_count = e2m_fresh_tx_count(slot->fresh, direction);
	return 0;
}

/*
 * @slot, which no packet can reach yet, is to take the place of @old, bound
 * to the same flow under the same Key ID, and carry on from it: its last
 * COUNT sent (the new key set's COUNT goes on above it, if not above it
 * already) and its replay window. This is how an agent that lost its keys
 * (flushed, restarted) binds the same key set again: starting COUNT at 1
 * under the same key would reuse keystream, and the peer's replay window,
 * which has seen those COUNTs, would refuse the packets anyway. Only a dead
 * slot is taken over: a live one is in use, an exhausted one has no COUNT
 * left to give. Under the RTNL; may sleep. @old stays on its flow, so
 * alive, until e2m_flow_bind() publishes @slot in its place and releases
 * it (freed a grace period later, e2m_keyslot_release()).
 */
int e2m_keyslot_take_over(struct e2m_keyslot *slot, struct e2m_keyslot *old,
			  struct netlink_ext_ack *extack)
{
	if (test_bit(E2M_SLOT_F_MAC_LIMIT, &old->flags)) {
		NL_SET_ERR_MSG(extack,
			       "the key with this Key ID was killed for failed MACs: unbind it first");
		return -EEXIST;
	}
	if (test_bit(E2M_SLOT_F_EXHAUSTED, &old->flags))
		goto exhausted;
	if (!e2m_keyslot_alive(old)) {
		NL_SET_ERR_MSG(extack, "a key with this Key ID is bound already");
		return -EEXIST;
	}
	/*
	 * The slot is dead now and stays so: every packet from here on
	 * leaves it alone. One that saw the key alive just before may still
	 * take a COUNT from it or mark its window; a grace period after its
	 * death none is left, and both stand still. Their copies must be
	 * whole before KEY_BIND publishes the new slot, so this waits rather
	 * than deferring with call_rcu(); but only for a slot that died less
	 * than a grace period ago (its key expired and this bind is the first
	 * to see it, or a revoke a moment ago), expedited as synchronize_net()
	 * under the RTNL. The usual take-over, of a slot whose key was
	 * revoked or expired well before the agent binds again, does not
	 * wait at all. Until E2M_SLOT_F_DEAD is set, its killer is still
	 * noting the state: wait a whole grace period then.
	 */
	if (test_bit(E2M_SLOT_F_DEAD, &old->flags)) {
		/* Pairs with smp_mb__before_atomic() in e2m_keyslot_kill(). */
		smp_rmb();
		cond_synchronize_rcu_expedited(READ_ONCE(old->dead_gp));
	} else {
		synchronize_rcu_expedited();
	}
	if (test_bit(E2M_SLOT_F_EXHAUSTED, &old->flags))
		goto exhausted;
	e2m_fresh_carry_on(slot->fresh, slot->direction,
			   atomic64_read(old->tx_count));
	e2m_replay_copy(slot->replay, old->replay);
	return 0;

exhausted:
	NL_SET_ERR_MSG(extack, "the key with this Key ID reached the COUNT limit: unbind it first");
	return -EEXIST;
}

/* Frees and wipes the transforms and CMAC subkeys; may sleep. */
static void e2m_keyslot_crypto_free(struct e2m_keyslot_crypto *c)
{
	e2m_crypto_free(&c->c);
	kfree_sensitive(c);
	e2m_obj_destroyed(E2M_OBJ_SLOT_CRYPTO);
}

static void e2m_keyslot_crypto_free_work(struct work_struct *work)
{
	e2m_keyslot_crypto_free(container_of(to_rcu_work(work),
					     struct e2m_keyslot_crypto, free_work));
}

/* Takes the transforms from the slot: whoever gets them frees them. */
static struct e2m_keyslot_crypto *e2m_keyslot_take_crypto(struct e2m_keyslot *slot)
{
	return unrcu_pointer(xchg(&slot->crypto, RCU_INITIALIZER(NULL)));
}

/*
 * For a slot nobody can reach any more, e.g. from its flow's deferred free,
 * or one that was never bound. Process context.
 */
void e2m_keyslot_free_now(struct e2m_keyslot *slot)
{
	struct e2m_keyslot_crypto *c;

	if (!slot)
		return;
	/* After this no revoke can find the slot. */
	if (slot->fresh) {
		spin_lock(&slot->fresh->lock);
		list_del(&slot->fresh_node);
		spin_unlock(&slot->fresh->lock);
	}
	c = e2m_keyslot_take_crypto(slot);
	if (c)
		e2m_keyslot_crypto_free(c);
	e2m_replay_free(slot->replay);
	e2m_keyslot_unclaim(slot);
	e2m_fresh_put(slot->fresh);
	key_put(slot->key);
	kfree_sensitive(slot);
	e2m_obj_destroyed(E2M_OBJ_KEYSLOT);
}

static void e2m_keyslot_free_work(struct work_struct *work)
{
	e2m_keyslot_free_now(container_of(to_rcu_work(work), struct e2m_keyslot,
					  free_work));
}

/*
 * The slot no longer transmits for its key set: another may bind it now
 * and carries on from the same COUNT. Once; on unbind, on flow removal,
 * at the latest when the slot is freed.
 */
void e2m_keyslot_unclaim(struct e2m_keyslot *slot)
{
	if (test_and_clear_bit(E2M_SLOT_F_CLAIMED, &slot->flags))
		e2m_fresh_unclaim(slot->fresh, slot->direction);
}

/* The slot must be unreachable for new readers; frees it after a grace period. */
void e2m_keyslot_release(struct e2m_keyslot *slot)
{
	if (!slot)
		return;
	e2m_keyslot_unclaim(slot);
	e2m_defer(&slot->free_work, e2m_keyslot_free_work);
}

/*
 * Whether the key may still be used: 0, or why not: the errno
 * key_validate() gave (-EKEYREVOKED, -EKEYEXPIRED, -ENOKEY), or
 * -EKEYREJECTED for a slot killed by failed MACs. Once dead, a slot stays
 * dead. An expiry or an invalidation has no callback: the slot sees it
 * here, at its next packet, and drops its transforms then.
 */
int e2m_keyslot_alive(struct e2m_keyslot *slot)
{
	int ret;

	ret = READ_ONCE(slot->dead_err);
	if (unlikely(ret))
		return ret;
	ret = key_validate(slot->key);
	if (unlikely(ret))
		e2m_keyslot_kill(slot, ret);
	return ret;
}

/*
 * The slot is dead for good, for reason @err (as e2m_keyslot_alive()
 * gives it): no packet is sent or accepted with it any more, and what it
 * derived from the key is freed after a grace period, when no packet can
 * still hold it. Any context: it only queues the free. The first reason
 * given stays.
 */
void e2m_keyslot_kill(struct e2m_keyslot *slot, int err)
{
	struct e2m_keyslot_crypto *c;

	/*
	 * The killer that set the reason notes the RCU state after it (a
	 * packet that saw the slot alive began before it), then sets
	 * E2M_SLOT_F_DEAD: whoever sees the bit reads that state
	 * (e2m_keyslot_take_over()).
	 */
	if (!cmpxchg(&slot->dead_err, 0, err)) {
		WRITE_ONCE(slot->dead_gp, get_state_synchronize_rcu());
		/* Pairs with smp_rmb() in e2m_keyslot_take_over(). */
		smp_mb__before_atomic();
		set_bit(E2M_SLOT_F_DEAD, &slot->flags);
	}
	c = e2m_keyslot_take_crypto(slot);
	if (c)
		e2m_defer(&c->free_work, e2m_keyslot_crypto_free_work);
}

/*
 * The key of @fresh was revoked (keyset.c, under key->sem): every slot
 * made from it dies now, not at its next packet, and drops its transforms.
 */
void e2m_keyslots_kill_bound(struct e2m_fresh *fresh, int err)
{
	struct e2m_keyslot *slot;

	spin_lock(&fresh->lock);
	list_for_each_entry(slot, &fresh->slots, fresh_node)
		e2m_keyslot_kill(slot, err);
	spin_unlock(&fresh->lock);
}

/*
 * A MAC received under the slot did not verify. Counts it; at the slot's
 * limit kills the slot and its key set (e2m_fresh_forged()). True for the
 * one failure that did: the caller sends the event. Softirq.
 */
bool e2m_keyslot_mac_failure(struct e2m_keyslot *slot)
{
	u64 n = atomic64_inc_return(&slot->mac_failures);

	if (likely(n < slot->mac_fail_limit))
		return false;
	if (test_and_set_bit(E2M_SLOT_F_MAC_LIMIT, &slot->flags))
		return false;
	e2m_fresh_forged(slot->fresh);
	e2m_keyslot_kill(slot, -EKEYREJECTED);
	return true;
}

/*
 * A MAC received under a ks_local slot did not verify: one more in the
 * current run (see struct e2m_keyslot). True for the one failure that
 * makes the run reach the slot's limit, once until a packet is accepted
 * (e2m_keyslot_accepted()): the caller sends E2M_EVENT_KEY_MISMATCH.
 * Always false for an e2mkeyset slot. Softirq.
 */
bool e2m_keyslot_mismatch(struct e2m_keyslot *slot)
{
	if (!slot->mismatch_limit)
		return false;
	if ((u32)atomic_inc_return(&slot->mac_fail_run) < slot->mismatch_limit)
		return false;
	return !test_and_set_bit(E2M_SLOT_F_NOTIFIED_MISMATCH, &slot->flags);
}
