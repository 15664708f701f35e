// SPDX-License-Identifier: GPL-2.0
/*
 * Key slots: an e2mkeyset key from the caller's keyrings, bound to a flow.
 */
#include <linux/key.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "deferred.h"
#include "fresh.h"
#include "keyset.h"
#include "keyslot.h"
#include "objcount.h"

/*
 * Makes @slot the one that transmits with its key set in its direction;
 * refused if another slot does, or if the key set ran out of COUNTs.
 */
int e2m_keyslot_claim(struct e2m_keyslot *slot, struct netlink_ext_ack *extack)
{
	int ret = e2m_fresh_claim(slot->fresh, slot->direction);

	if (ret == -EBUSY)
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
 * Looks up @serial with the permissions of the calling process (the netlink
 * request runs in its context), checks that it is a live e2mkeyset key with
 * algorithms this module implements, and prepares its transforms. The slot
 * carries on from the key set's last COUNT sent in @direction; it may
 * transmit once e2m_keyslot_claim() made it the key set's one slot there.
 */
struct e2m_keyslot *e2m_keyslot_bind(key_serial_t serial, u32 window,
				     u8 direction, struct netlink_ext_ack *extack)
{
	const struct e2m_keyset *ks;
	struct e2m_keyslot *slot;
	key_ref_t ref;
	struct key *key;
	int ret;

	ref = lookup_user_key(serial, 0, KEY_NEED_SEARCH);
	if (IS_ERR(ref)) {
		ret = PTR_ERR(ref);
		if (ret == -EKEYREVOKED || ret == -EKEYEXPIRED)
			NL_SET_ERR_MSG(extack, "key is revoked, expired or invalidated");
		else
			NL_SET_ERR_MSG(extack, "key not found or not searchable by the caller");
		return ERR_PTR(ret);
	}
	key = key_ref_to_ptr(ref);
	if (key->type != &e2m_keyset_key_type) {
		NL_SET_ERR_MSG(extack, "key is not of type " E2M_KEYSET_KEY_TYPE);
		ret = -EKEYREJECTED;
		goto err_put;
	}

	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot) {
		ret = -ENOMEM;
		goto err_put;
	}
	slot->replay = e2m_replay_alloc(window, GFP_KERNEL);
	if (!slot->replay) {
		ret = -ENOMEM;
		goto err_free;
	}

	down_read(&key->sem);
	ret = key_validate(key);
	ks = dereference_key_locked(key);
	if (!ret && !ks)
		ret = -EKEYREVOKED;
	if (ret) {
		up_read(&key->sem);
		NL_SET_ERR_MSG(extack, "key is revoked, expired or invalidated");
		goto err_free;
	}
	if (ks->enc_alg != E2M_ALG_AES || ks->int_alg != E2M_ALG_AES) {
		up_read(&key->sem);
		NL_SET_ERR_MSG(extack, "key algorithms are not NEA2/NIA2");
		ret = -ENOPKG;
		goto err_free;
	}
	slot->key_id = ks->key_id;
	slot->enc_alg = ks->enc_alg;
	slot->int_alg = ks->int_alg;
	slot->direction = direction;
	slot->fresh = e2m_fresh_get(ks->fresh);
	slot->tx_count = &slot->fresh->tx_count[direction];
	ret = e2m_crypto_init(&slot->crypto, ks->k_enc, ks->k_int);
	up_read(&key->sem);
	if (ret) {
		NL_SET_ERR_MSG(extack, "could not set up ctr(aes) / cmac(aes)");
		goto err_free;
	}

	slot->key = key;
	slot->serial = serial;
	e2m_obj_created(E2M_OBJ_KEYSLOT);
	return slot;

err_free:
	e2m_fresh_put(slot->fresh);
	e2m_replay_free(slot->replay);
	kfree(slot);
err_put:
	key_ref_put(ref);
	return ERR_PTR(ret);
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
 * left to give. Under the RTNL; may sleep.
 */
int e2m_keyslot_take_over(struct e2m_keyslot *slot, struct e2m_keyslot *old,
			  struct netlink_ext_ack *extack)
{
	if (test_bit(E2M_SLOT_F_EXHAUSTED, &old->flags))
		goto exhausted;
	if (!e2m_keyslot_alive(old)) {
		NL_SET_ERR_MSG(extack, "a key with this Key ID is bound already");
		return -EEXIST;
	}
	/*
	 * The slot is dead now and stays so (E2M_SLOT_F_DEAD): every packet
	 * from here on leaves it alone. One that saw the key alive just
	 * before may still take a COUNT from it or mark its window; after a
	 * grace period none is left, and both stand still.
	 */
	synchronize_net();
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

/* For a slot nobody can reach any more, e.g. from its flow's deferred free. */
void e2m_keyslot_free_now(struct e2m_keyslot *slot)
{
	if (!slot)
		return;
	e2m_crypto_free(&slot->crypto);
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
 * Whether the key may still be used: 0, or the errno key_validate() gives
 * (-EKEYREVOKED, -EKEYEXPIRED, -ENOKEY). Once dead, a slot stays dead.
 */
int e2m_keyslot_alive(struct e2m_keyslot *slot)
{
	int ret;

	if (unlikely(test_bit(E2M_SLOT_F_DEAD, &slot->flags)))
		return -EKEYREVOKED;
	ret = key_validate(slot->key);
	if (unlikely(ret))
		set_bit(E2M_SLOT_F_DEAD, &slot->flags);
	return ret;
}
