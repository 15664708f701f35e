/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_KEYSLOT_H
#define _E2M_KEYSLOT_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/key.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "crypto.h"
#include "replay.h"

enum e2m_keyslot_flag {
	E2M_SLOT_F_DEAD,		/* key dead, or killed: see @dead_err */
	E2M_SLOT_F_EXHAUSTED,		/* COUNT limit reached */
	E2M_SLOT_F_NOTIFIED_DEAD,
	E2M_SLOT_F_NOTIFIED_NEAR,
	E2M_SLOT_F_NOTIFIED_EXHAUSTED,
	E2M_SLOT_F_TX_PENDING,		/* E2M_KEY_F_TX_ON_RX, not yet done */
	E2M_SLOT_F_CLAIMED,		/* the one slot of its key set (fresh.h) */
	E2M_SLOT_F_MAC_LIMIT,		/* killed: too many failed MACs */
	E2M_SLOT_F_NOTIFIED_MISMATCH,	/* this run of failed MACs reported */
};

/* The largest MAC-failure limit: a forger's odds of 2^20 / 2^32. */
#define E2M_MAC_FAIL_LIMIT_MAX	BIT(20)

/*
 * What the slot derived from its key: the keyed transforms and the CMAC
 * subkeys. A slot drops them as soon as it dies (e2m_keyslot_kill()): the
 * packet path reads the pointer under RCU, so they are freed, and wiped,
 * from the deferred-free workqueue after a grace period.
 */
struct e2m_keyslot_crypto {
	struct e2m_crypto c;
	struct rcu_work free_work;
};

/*
 * What KEY_BIND asks for: the key, and for a ks_local key the Key ID and
 * the algorithm of the link (an e2mkeyset key carries both).
 */
struct e2m_bind_req {
	key_serial_t serial;
	bool has_key_id, has_alg;
	u8 key_id, alg;
};

/*
 * A key bound to a flow under its Key ID. It holds a reference to the
 * keyring key, only to see it die (revoke, expiry, invalidation): the key
 * bytes were copied into the transforms at bind time and the key's own
 * payload is never touched again, except for its COUNT state (fresh.h),
 * which the slot shares: @tx_count points into the material of its bytes
 * (material.h), for @direction, shared with any key of the same bytes. The
 * slot is the one that transmits with the key set in that direction from
 * bind until it is unbound or its flow removed (E2M_SLOT_F_CLAIMED).
 * Freed after an RCU grace period, in process context (freeing transforms
 * may sleep).
 *
 * A ks_local slot also watches for a peer that holds another key: a run
 * of @mismatch_limit failed MACs with no packet accepted in between is
 * reported once (E2M_EVENT_KEY_MISMATCH), and again only after a packet
 * was accepted (e2m_keyslot_mismatch()). 0 for an e2mkeyset slot: off.
 */
struct e2m_keyslot {
	struct key *key;
	key_serial_t serial;
	u8 kind;			/* enum e2m_key_kind */
	u8 key_id;
	u8 enc_alg;
	u8 int_alg;
	u8 direction;			/* the one it transmits in */
	unsigned long flags;		/* enum e2m_keyslot_flag */
	int dead_err;			/* 0 while alive, then why it died */
	unsigned long dead_gp;		/* RCU state at death, once F_DEAD */
	u32 mac_fail_limit;		/* the module parameter, at bind */
	atomic64_t mac_failures;	/* MACs that did not verify */
	u32 mismatch_limit;		/* the module parameter, at bind */
	atomic_t mac_fail_run;		/* failed MACs since one was accepted */
	struct e2m_fresh *fresh;
	struct list_head fresh_node;	/* in @fresh->slots */
	atomic64_t *tx_count;		/* the last COUNT sent, in @fresh */
	struct e2m_keyslot_crypto __rcu *crypto;
	struct e2m_replay *replay;
	struct rcu_work free_work;
};

/*
 * The slot's transforms, or NULL once it died. Under rcu_read_lock() or
 * rcu_read_lock_bh(), as the packet path runs: what it returns stays valid
 * until the caller leaves that section.
 */
static inline struct e2m_crypto *e2m_keyslot_crypto(struct e2m_keyslot *slot)
{
	struct e2m_keyslot_crypto *c;

	c = rcu_dereference_check(slot->crypto, rcu_read_lock_bh_held());
	return c ? &c->c : NULL;
}

struct e2m_keyslot *e2m_keyslot_prepare(const struct e2m_bind_req *req,
					struct netlink_ext_ack *extack);
int e2m_keyslot_attach(struct e2m_keyslot *slot, u32 window, u8 direction);
int e2m_keyslot_take_over(struct e2m_keyslot *slot, struct e2m_keyslot *dead,
			  struct netlink_ext_ack *extack);
int e2m_keyslot_claim(struct e2m_keyslot *slot, struct netlink_ext_ack *extack);
void e2m_keyslot_unclaim(struct e2m_keyslot *slot);
void e2m_keyslot_release(struct e2m_keyslot *slot);
void e2m_keyslot_free_now(struct e2m_keyslot *slot);
int e2m_keyslot_alive(struct e2m_keyslot *slot);
void e2m_keyslot_kill(struct e2m_keyslot *slot, int err);
void e2m_keyslots_kill_bound(struct e2m_fresh *fresh, int err);
bool e2m_keyslot_mac_failure(struct e2m_keyslot *slot);
bool e2m_keyslot_mismatch(struct e2m_keyslot *slot);

/*
 * A packet under the slot passed its MAC and replay checks: the peer holds
 * the key, and a later run of failures is a new one. Softirq; writes only
 * after a failure, so the common case leaves the cache line shared.
 */
static inline void e2m_keyslot_accepted(struct e2m_keyslot *slot)
{
	if (unlikely(atomic_read(&slot->mac_fail_run))) {
		atomic_set(&slot->mac_fail_run, 0);
		clear_bit(E2M_SLOT_F_NOTIFIED_MISMATCH, &slot->flags);
	}
}

#endif /* _E2M_KEYSLOT_H */
