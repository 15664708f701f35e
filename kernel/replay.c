// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window, see replay.h.
 */
#include <linux/bits.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "replay.h"

struct e2m_replay *e2m_replay_alloc(u32 window, gfp_t gfp)
{
	u32 nblocks = window / 64 + 1;
	struct e2m_replay *r;

	r = kzalloc(struct_size(r, blocks, nblocks), gfp);
	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	r->window = window;
	r->nblocks = nblocks;
	return r;
}

void e2m_replay_free(struct e2m_replay *r)
{
	kfree(r);
}

/*
 * Called only after the packet's MAC verified, so that a forged packet
 * can neither move the window nor mark a COUNT as seen. With bottom halves
 * off (the receive path; the self-tests disable them), so a plain lock.
 */
bool e2m_replay_accept(struct e2m_replay *r, u64 count)
{
	u64 block = count / 64, bit = BIT_ULL(count % 64), *slot;
	bool accepted = false;

	if (unlikely(!count))
		return false;

	spin_lock(&r->lock);
	if (count + r->window <= r->top)
		goto out;	/* left of the window */
	if (count > r->top) {
		u64 top_block = r->top / 64;
		u64 clear = min_t(u64, block - top_block, r->nblocks);
		u64 i;

		for (i = 1; i <= clear; i++)
			r->blocks[(top_block + i) % r->nblocks] = 0;
		r->top = count;
	}
	slot = &r->blocks[block % r->nblocks];
	if (!(*slot & bit)) {
		*slot |= bit;
		accepted = true;
	}
out:
	spin_unlock(&r->lock);
	return accepted;
}

/*
 * Makes @to, which no packet can reach yet, take over from @from: the same
 * top, and the same answer to every COUNT that a window of the smaller of
 * the two sizes would give, having seen what @from saw. A larger @to would
 * reach back to COUNTs that @from had already left behind, whose bits are
 * gone: those are marked seen, so that what the old window refused stays
 * refused. A smaller @to keeps the newest blocks.
 */
void e2m_replay_copy(struct e2m_replay *to, struct e2m_replay *from)
{
	u64 top_block, block, edge;
	u32 i;

	spin_lock_bh(&from->lock);
	to->top = from->top;
	top_block = from->top / 64;
	for (i = 0; i < to->nblocks && i <= top_block; i++) {
		block = top_block - i;
		to->blocks[block % to->nblocks] = i < from->nblocks ?
			from->blocks[block % from->nblocks] : ~0ULL;
	}
	if (to->window > from->window && from->top > from->window) {
		/* The highest COUNT @from refused as left of its window. */
		edge = from->top - from->window;
		to->blocks[(edge / 64) % to->nblocks] |= GENMASK_ULL(edge % 64, 0);
	}
	spin_unlock_bh(&from->lock);
}
