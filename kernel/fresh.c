// SPDX-License-Identifier: GPL-2.0
/*
 * The COUNT state of a key set, see fresh.h.
 *
 * At most one slot transmits with a key set in a direction. Sharing the
 * counter alone would keep COUNTs unique, but each slot has its own replay
 * window and the TEID is outside the MAC: a packet of one flow would be
 * accepted again on another flow bound to the same key set. So a second
 * bind in the same direction is refused until the first is unbound (or
 * its flow or device removed); the next one carries on from its COUNT.
 */
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/slab.h>

#include "fresh.h"

/* The COUNT state of a new key of @len bytes of @domain; process context. */
struct e2m_fresh *e2m_fresh_alloc(enum e2m_material_domain domain,
				  const u8 *bytes, unsigned int len)
{
	struct e2m_fresh *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->material = e2m_material_get(domain, bytes, len);
	if (!f->material) {
		kfree(f);
		return NULL;
	}
	refcount_set(&f->ref, 1);
	spin_lock_init(&f->lock);
	INIT_LIST_HEAD(&f->slots);
	return f;
}

struct e2m_fresh *e2m_fresh_get(struct e2m_fresh *f)
{
	refcount_inc(&f->ref);
	return f;
}

/* May be called from an RCU callback: only frees memory. */
void e2m_fresh_put(struct e2m_fresh *f)
{
	if (f && refcount_dec_and_test(&f->ref)) {
		WARN_ON_ONCE(!list_empty(&f->slots));
		e2m_material_put(f->material);
		kfree(f);
	}
}

/*
 * Makes the caller the one slot that transmits with the key set in
 * @direction: -EKEYREJECTED if the key set ran out of COUNTs there or an
 * attacker guessed at its MAC too often, -EBUSY if another slot holds it.
 */
int e2m_fresh_claim(struct e2m_fresh *f, u8 direction)
{
	if (e2m_fresh_exhausted(f, direction) || e2m_fresh_is_forged(f))
		return -EKEYREJECTED;
	if (test_and_set_bit(E2M_FRESH_F_BOUND + direction, &f->flags))
		return -EBUSY;
	return 0;
}

/*
 * The slot no longer transmits (unbound, or its flow removed). A packet
 * that saw it just before may still take a COUNT: from the same counter,
 * so the next slot never gets the same one.
 */
void e2m_fresh_unclaim(struct e2m_fresh *f, u8 direction)
{
	clear_bit(E2M_FRESH_F_BOUND + direction, &f->flags);
}

void e2m_fresh_exhaust(struct e2m_fresh *f, u8 direction)
{
	set_bit(E2M_MATERIAL_F_EXHAUSTED + direction, &f->material->flags);
}

bool e2m_fresh_exhausted(const struct e2m_fresh *f, u8 direction)
{
	return test_bit(E2M_MATERIAL_F_EXHAUSTED + direction,
			&f->material->flags);
}

/*
 * A slot of the key set saw as many failed MACs as it allows: each one was
 * a guess at a 32-bit MAC under K_int, so no bind of these bytes, under
 * this key or another, in either direction, gets a fresh allowance of
 * guesses.
 */
void e2m_fresh_forged(struct e2m_fresh *f)
{
	set_bit(E2M_MATERIAL_F_FORGED, &f->material->flags);
}

bool e2m_fresh_is_forged(const struct e2m_fresh *f)
{
	return test_bit(E2M_MATERIAL_F_FORGED, &f->material->flags);
}

/* Where the slots of the key count, in @direction: in its material. */
atomic64_t *e2m_fresh_tx_count(struct e2m_fresh *f, u8 direction)
{
	return &f->material->tx_count[direction];
}

/* The key set carries on above @count (taking over a dead slot). */
void e2m_fresh_carry_on(struct e2m_fresh *f, u8 direction, u64 count)
{
	atomic64_t *c = e2m_fresh_tx_count(f, direction);
	s64 old = atomic64_read(c);

	while ((u64)old < count && !atomic64_try_cmpxchg(c, &old, count))
		;
}
