/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_KEYSLOT_H
#define _E2M_KEYSLOT_H

#include <linux/atomic.h>
#include <linux/key.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "crypto.h"
#include "replay.h"

enum e2m_keyslot_flag {
	E2M_SLOT_F_DEAD,		/* key found revoked/expired/invalid */
	E2M_SLOT_F_EXHAUSTED,		/* COUNT limit reached */
	E2M_SLOT_F_NOTIFIED_DEAD,
	E2M_SLOT_F_NOTIFIED_NEAR,
	E2M_SLOT_F_NOTIFIED_EXHAUSTED,
	E2M_SLOT_F_TX_PENDING,		/* E2M_KEY_F_TX_ON_RX, not yet done */
	E2M_SLOT_F_CLAIMED,		/* the one slot of its key set (fresh.h) */
};

/*
 * A key bound to a flow under its Key ID. It holds a reference to the
 * keyring key, only to see it die (revoke, expiry, invalidation): the key
 * bytes were copied into the transforms at bind time and the key's own
 * payload is never touched again, except for its COUNT state (fresh.h),
 * which the slot shares: @tx_count points into it, for @direction. The
 * slot is the one that transmits with the key set in that direction from
 * bind until it is unbound or its flow removed (E2M_SLOT_F_CLAIMED).
 * Freed after an RCU grace period, in process context (freeing transforms
 * may sleep).
 */
struct e2m_keyslot {
	struct key *key;
	key_serial_t serial;
	u8 key_id;
	u8 enc_alg;
	u8 int_alg;
	u8 direction;			/* the one it transmits in */
	unsigned long flags;		/* enum e2m_keyslot_flag */
	struct e2m_fresh *fresh;
	atomic64_t *tx_count;		/* the last COUNT sent, in @fresh */
	struct e2m_crypto crypto;
	struct e2m_replay *replay;
	struct rcu_work free_work;
};

struct e2m_keyslot *e2m_keyslot_bind(key_serial_t serial, u32 window,
				     u8 direction, struct netlink_ext_ack *extack);
int e2m_keyslot_take_over(struct e2m_keyslot *slot, struct e2m_keyslot *dead,
			  struct netlink_ext_ack *extack);
int e2m_keyslot_claim(struct e2m_keyslot *slot, struct netlink_ext_ack *extack);
void e2m_keyslot_unclaim(struct e2m_keyslot *slot);
void e2m_keyslot_release(struct e2m_keyslot *slot);
void e2m_keyslot_free_now(struct e2m_keyslot *slot);
int e2m_keyslot_alive(struct e2m_keyslot *slot);

#endif /* _E2M_KEYSLOT_H */
