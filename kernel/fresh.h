/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_FRESH_H
#define _E2M_FRESH_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "material.h"

/*
 * The COUNT state of one key (an "e2mkeyset" or "ks_local" key), per
 * DIRECTION (0 uplink, sent by a UE device; 1 downlink, sent by a HSE
 * device): whether a slot transmits with it now, and, in the material of
 * its bytes (material.h), shared with every other key of the same bytes,
 * the last COUNT sent and whether it ran out. So no bind can start COUNT
 * again under the same K_enc, BEARER (the Key ID) and DIRECTION: an
 * unbind and bind, a flow deleted and created again, a second flow or a
 * second device, and the same bytes added again as a new key all carry on
 * above the highest COUNT ever sent, and exhausted bytes are never bound
 * again.
 *
 * Lifetime: created with the key's payload, which holds one reference;
 * every slot bound to the key holds another. The payload drops its own
 * when the key is revoked or destroyed; the last reference frees it and
 * drops the material. A revoked key can not be bound again, so nothing new
 * can reach it through the key once the payload is gone.
 *
 * @slots lists every key slot made from the key, bound or about to be, so
 * that a revoke reaches them at once (e2m_keyslots_kill_bound()): a slot
 * joins it before it checks the key one last time and leaves it only
 * when it is freed.
 */
struct e2m_fresh {
	refcount_t ref;
	unsigned long flags;		/* enum e2m_fresh_flag */
	struct e2m_material *material;	/* COUNTs, shared by equal bytes */
	spinlock_t lock;		/* @slots; process context only */
	struct list_head slots;		/* e2m_keyslot.fresh_node */
};

enum e2m_fresh_flag {
	E2M_FRESH_F_BOUND,		/* + direction: a slot transmits with it */
};

struct e2m_fresh *e2m_fresh_alloc(enum e2m_material_domain domain,
				  const u8 *bytes, unsigned int len);
struct e2m_fresh *e2m_fresh_get(struct e2m_fresh *f);
void e2m_fresh_put(struct e2m_fresh *f);
int e2m_fresh_claim(struct e2m_fresh *f, u8 direction);
void e2m_fresh_unclaim(struct e2m_fresh *f, u8 direction);
void e2m_fresh_exhaust(struct e2m_fresh *f, u8 direction);
bool e2m_fresh_exhausted(const struct e2m_fresh *f, u8 direction);
void e2m_fresh_forged(struct e2m_fresh *f);
bool e2m_fresh_is_forged(const struct e2m_fresh *f);
void e2m_fresh_carry_on(struct e2m_fresh *f, u8 direction, u64 count);
atomic64_t *e2m_fresh_tx_count(struct e2m_fresh *f, u8 direction);

#endif /* _E2M_FRESH_H */
