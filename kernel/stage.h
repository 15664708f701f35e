/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_STAGE_H
#define _E2M_STAGE_H

#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "stats.h"

struct e2m_device;
struct e2m_flow;

enum e2m_stage_dir {
	E2M_STAGE_TX,
	E2M_STAGE_RX,
	E2M_STAGE__COUNT
};

/*
 * The packets of a flow that wait for a usable key while the agent pulls
 * it (E2M_CMD_EVENT_*), one queue per direction, so that the packet that
 * triggers an on-demand pull is not lost. Bounded per flow
 * (E2M_STAGE_FLOW_PACKETS, E2M_STAGE_FLOW_BYTES of truesize) and per
 * device (E2M_STAGE_DEVICE_BYTES, so that many keyless flows cannot pin
 * memory); the wait is bounded too: stage_ms after the first packet of an
 * empty stage, everything still staged is dropped (STAGE_EXPIRED).
 *
 * Lifetime and locking: the stage is part of its flow. @lock guards the
 * queues, @bytes, @deadline and @closed; the packet path takes it with
 * BHs already off, process context with spin_lock_bh(). The packet path
 * only links the skb it was given (no allocation), and when it stages
 * into an empty stage puts the stage on its device's list (struct
 * e2m_stages) and arms the device's work for the deadline. That work is
 * all that ever sends or drops a staged packet: it runs when a key is
 * bound (KEY_BIND kicks the flow's stage) and at the earliest deadline,
 * in process context with BHs off around each packet, and hands every
 * packet back to the normal send or receive path one at a time, so that
 * COUNT, MAC and replay checks are those of any packet, in order. A packet
 * that still finds no usable key is put back at the head and the drain
 * stops. When its flow is unlinked (FLOW_DEL, device deleted, module
 * unloaded, or a FLOW_NEW that failed late), e2m_stage_close() under the
 * RTNL closes it (nothing can be staged any more), drops what it holds
 * (STAGE_FLUSHED, on the device's counters: the flow's go with it), takes
 * it off the device's lists and waits until the work no longer holds it,
 * so that nothing of the stage outlives the unlink and the flow's
 * deferred free finds it empty.
 *
 * @node is on one of the device's lists (under the device's lock) while
 * the stage holds packets and the work does not hold it; detached (empty)
 * otherwise. Lock order: a stage's @lock, then its device's.
 */
struct e2m_stage {
	struct sk_buff_head q[E2M_STAGE__COUNT];	/* unlocked heads */
	unsigned int bytes[E2M_STAGE__COUNT];	/* truesize staged */
	unsigned long deadline;			/* jiffies, while staged */
	struct list_head node;			/* see above */
	spinlock_t lock;			/* see above; _bh but on the packet path */
	bool closed;
};

/*
 * A device's stages that hold packets, and the one work that drains and
 * expires them (one per device rather than one per flow: a delayed work
 * is 88 octets, and a device may have 10^6 flows, few of them staging).
 * @lock (_bh but on the packet path) guards both lists, @busy and @next.
 * @waiting: in order of their first packet, each to be expired at its
 * deadline; @kicked: a key was bound, to be drained now. @busy is the
 * stage the work holds, off both lists, its lock dropped while it sends;
 * e2m_stage_close() waits on @wait until it is another. @next is when
 * the work is armed for, while it is.
 */
struct e2m_stages {
	spinlock_t lock;		/* see above */
	struct list_head waiting;
	struct list_head kicked;
	struct e2m_stage *busy;
	bool busy_kicked;		/* kicked while the work held it */
	unsigned long next;
	wait_queue_head_t wait;
	struct delayed_work work;
};

void e2m_stages_init(struct e2m_stages *stages);
void e2m_stages_destroy(struct e2m_stages *stages);
void e2m_stage_init(struct e2m_stage *stage);
enum e2m_drop e2m_stage_add(struct e2m_flow *flow, enum e2m_stage_dir dir,
			    struct sk_buff *skb, bool put_back,
			    enum e2m_drop why);
void e2m_stage_kick(struct e2m_flow *flow);
void e2m_stage_close(struct e2m_flow *flow);
unsigned int e2m_stage_len(struct e2m_flow *flow);

/*
 * Whether packets of @dir wait: a new one then waits behind them, so that
 * the flow's packets leave in order. A lockless peek on the packet path.
 */
static inline bool e2m_stage_busy(struct e2m_stage *stage,
				  enum e2m_stage_dir dir)
{
	return unlikely(skb_queue_len_lockless(&stage->q[dir]));
}

#endif /* _E2M_STAGE_H */
