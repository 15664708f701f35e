/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_REPLAY_H
#define _E2M_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Anti-replay window over the received COUNT of one key slot, after
 * RFC 6479: a ring of 64-bit blocks, cleared a block at a time as the top
 * moves, so that neither a jump forward nor an old packet costs more than
 * a few blocks. A COUNT is accepted once, and only if it is above
 * top - window. COUNT 0 is never sent, so never accepted.
 */
struct e2m_replay {
	spinlock_t lock;	/* softirq; e2m_replay_copy() takes it _bh */
	u64 top;		/* highest COUNT accepted, 0 before the first */
	u32 window;		/* in packets, a multiple of 64 */
	u32 nblocks;		/* window / 64 + 1 */
	u64 blocks[];
};

struct e2m_replay *e2m_replay_alloc(u32 window, gfp_t gfp);
void e2m_replay_free(struct e2m_replay *r);
bool e2m_replay_accept(struct e2m_replay *r, u64 count);
void e2m_replay_copy(struct e2m_replay *to, struct e2m_replay *from);

#endif /* _E2M_REPLAY_H */
