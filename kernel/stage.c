// SPDX-License-Identifier: GPL-2.0
/*
 * The packets that wait for a flow's key, see stage.h.
 */
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/e2m.h>

#include "device.h"
#include "flow.h"
#include "receive.h"
#include "send.h"
#include "stage.h"

/*
 * How long a flow's packets wait for its key, in milliseconds, from the
 * first packet of an empty stage; 0 turns staging off (the packets are
 * dropped at once, under the reason that found no key). Read when that
 * first packet is staged. An on-demand pull takes one HTTPS round trip to
 * the HSS and a KEY_BIND: 3 s leaves room for a slow or loaded link.
 */
static unsigned int e2m_stage_ms = 3000;

static int e2m_stage_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret = kstrtouint(val, 0, &ms);

	if (ret)
		return ret;
	if (ms > E2M_STAGE_MS_MAX)
		return -ERANGE;
	WRITE_ONCE(e2m_stage_ms, ms);
	return 0;
}

static const struct kernel_param_ops e2m_stage_ms_ops = {
	.set = e2m_stage_ms_set,
	.get = param_get_uint,
};

module_param_cb(stage_ms, &e2m_stage_ms_ops, &e2m_stage_ms, 0644);
MODULE_PARM_DESC(stage_ms,
		 "ms a flow's packets wait for its key (0: off, at most 60000)");

static struct e2m_stage *e2m_stage_of(struct e2m_flow *flow)
{
	return &flow->stage;
}

static struct e2m_stages *e2m_stages_of(struct e2m_flow *flow)
{
	return &flow->e2m->stages;
}

static struct e2m_flow *e2m_stage_flow(struct e2m_stage *stage)
{
	return container_of(stage, struct e2m_flow, stage);
}

/*
 * Under the device's lock: the work runs at @when (jiffies) at the
 * latest, sooner if it was armed for sooner.
 */
static void e2m_stages_arm(struct e2m_stages *stages, unsigned long when)
{
	unsigned long now = jiffies;

	if (delayed_work_pending(&stages->work) &&
	    !time_before(when, stages->next))
		return;
	stages->next = when;
	mod_delayed_work(system_wq, &stages->work,
			 time_after(when, now) ? when - now : 0);
}

/*
 * Under @stage's lock, its first packet staged: it waits until @deadline
 * on the device's list, unless the work holds it (which puts it back on
 * a list when it lets it go).
 */
static void e2m_stages_wait(struct e2m_stages *stages,
			    struct e2m_stage *stage, unsigned long deadline)
{
	WRITE_ONCE(stage->deadline, deadline);
	spin_lock(&stages->lock);
	if (list_empty(&stage->node) && stages->busy != stage)
		list_add_tail(&stage->node, &stages->waiting);
	e2m_stages_arm(stages, deadline);
	spin_unlock(&stages->lock);
}

static bool e2m_stage_empty(struct e2m_stage *stage)
{
	return skb_queue_empty(&stage->q[E2M_STAGE_TX]) &&
	       skb_queue_empty(&stage->q[E2M_STAGE_RX]);
}

/* Under @lock: whether @skb fits in the flow's and the device's bounds. */
static enum e2m_drop e2m_stage_room(struct e2m_flow *flow,
				    enum e2m_stage_dir dir,
				    struct sk_buff *skb)
{
	struct e2m_stage *stage = e2m_stage_of(flow);

	if (skb_queue_len(&stage->q[dir]) >= E2M_STAGE_FLOW_PACKETS ||
	    stage->bytes[dir] + skb->truesize > E2M_STAGE_FLOW_BYTES)
		return E2M_DROP_STAGE_FULL;
	if (atomic_add_return(skb->truesize, &flow->e2m->staged_bytes) >
	    E2M_STAGE_DEVICE_BYTES) {
		atomic_sub(skb->truesize, &flow->e2m->staged_bytes);
		return E2M_DROP_STAGE_DEVICE_FULL;
	}
	return E2M_DROP__COUNT;
}

/*
 * On the packet path (BHs off), or from the drain: stages @skb, which the
 * caller found no usable key for (@why), or which must wait behind packets
 * staged before it. @put_back: the drain hands back the packet it took
 * from the head, already counted and inside the bounds it was taken from.
 * Returns E2M_DROP__COUNT when the stage has @skb, else the reason to drop
 * it with: @why when staging is off or the flow is going, or the bound
 * that is full.
 */
enum e2m_drop e2m_stage_add(struct e2m_flow *flow, enum e2m_stage_dir dir,
			    struct sk_buff *skb, bool put_back,
			    enum e2m_drop why)
{
	struct e2m_stage *stage = e2m_stage_of(flow);
	unsigned int ms = READ_ONCE(e2m_stage_ms);
	bool first;

	if (!ms && !put_back)
		return why;
	if (!put_back) {
		/*
		 * The route may be held without a reference (valid under
		 * RCU only), and the packet leaves it anyway: transmit
		 * routes to the peer, receive delivers on the e2m device.
		 */
		skb_dst_drop(skb);
		if (dir == E2M_STAGE_RX)
			skb->dev = flow->e2m->dev;
	}
	spin_lock(&stage->lock);
	if (stage->closed)
		goto unlock;
	if (put_back) {
		atomic_add(skb->truesize, &flow->e2m->staged_bytes);
	} else {
		why = e2m_stage_room(flow, dir, skb);
		if (why != E2M_DROP__COUNT)
			goto unlock;
	}
	first = e2m_stage_empty(stage);
	stage->bytes[dir] += skb->truesize;
	why = E2M_DROP__COUNT;
	if (put_back) {
		/* The drain re-arms the deadline it had, not a new one. */
		__skb_queue_head(&stage->q[dir], skb);
		goto unlock;
	}
	__skb_queue_tail(&stage->q[dir], skb);
	e2m_flow_count_staged(flow, dir == E2M_STAGE_RX);
	if (first)
		/* Until the deadline, or a KEY_BIND that kicks it sooner. */
		e2m_stages_wait(e2m_stages_of(flow), stage,
				jiffies + msecs_to_jiffies(ms));
unlock:
	spin_unlock(&stage->lock);
	return why;
}

/*
 * Takes everything staged out of @stage, under its lock, into @out (one
 * list per direction, initialised here).
 */
static void e2m_stage_take_all(struct e2m_flow *flow,
			       struct sk_buff_head out[E2M_STAGE__COUNT])
{
	struct e2m_stage *stage = e2m_stage_of(flow);
	int dir;

	for (dir = 0; dir < E2M_STAGE__COUNT; dir++) {
		atomic_sub(stage->bytes[dir], &flow->e2m->staged_bytes);
		stage->bytes[dir] = 0;
		skb_queue_splice_tail_init(&stage->q[dir], &out[dir]);
	}
}

/* One dropped packet of the stage: on the flow's counters or the device's. */
static void e2m_stage_count_drop(struct e2m_flow *flow, bool on_flow,
				 enum e2m_drop why)
{
	if (on_flow)
		e2m_flow_count_drop(flow, why);
	else
		e2m_device_count_drop(flow->e2m, why);
}

/*
 * Drops what e2m_stage_take_all() took, each counted under @why on the
 * flow (@on_flow) or, once the flow goes, on the device, in the device's
 * totals either way, and in the device's tx_dropped or rx_dropped.
 */
static void e2m_stage_drop_all(struct e2m_flow *flow, bool on_flow,
			       struct sk_buff_head lists[E2M_STAGE__COUNT],
			       enum e2m_drop why)
{
	struct net_device *dev = flow->e2m->dev;
	struct sk_buff *skb;

	local_bh_disable();
	while ((skb = __skb_dequeue(&lists[E2M_STAGE_TX]))) {
		e2m_stage_count_drop(flow, on_flow, why);
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
	}
	while ((skb = __skb_dequeue(&lists[E2M_STAGE_RX]))) {
		e2m_stage_count_drop(flow, on_flow, why);
		DEV_STATS_INC(dev, rx_dropped);
		kfree_skb(skb);
	}
	local_bh_enable();
}

static void e2m_stage_lists_init(struct sk_buff_head lists[E2M_STAGE__COUNT])
{
	int dir;

	for (dir = 0; dir < E2M_STAGE__COUNT; dir++)
		__skb_queue_head_init(&lists[dir]);
}

/*
 * Hands the packets of @dir back to the normal path, one at a time and in
 * order, until none is left or one is put back (still no usable key).
 */
static void e2m_stage_drain(struct e2m_flow *flow, enum e2m_stage_dir dir)
{
	struct e2m_stage *stage = e2m_stage_of(flow);
	struct sk_buff *skb;
	bool staged;

	do {
		spin_lock_bh(&stage->lock);
		skb = __skb_dequeue(&stage->q[dir]);
		if (skb) {
			stage->bytes[dir] -= skb->truesize;
			atomic_sub(skb->truesize, &flow->e2m->staged_bytes);
		}
		spin_unlock_bh(&stage->lock);
		if (!skb)
			return;
		/*
		 * As each path runs elsewhere: transmit under
		 * rcu_read_lock_bh() (its lookups are rcu_dereference_bh()),
		 * receive in softirq context under rcu_read_lock() (its are
		 * rcu_dereference(), which lockdep holds to that).
		 */
		rcu_read_lock_bh();
		if (dir == E2M_STAGE_TX) {
			staged = e2m_xmit_staged(flow, skb);
		} else {
			rcu_read_lock();
			staged = e2m_receive_staged(flow, skb);
			rcu_read_unlock();
		}
		rcu_read_unlock_bh();
	} while (!staged);
}

/*
 * The work holds @stage (the device's @busy, off its lists): drains it,
 * drops what is still staged past its deadline, and lets it go, back on
 * a list if it still holds packets (kicked again while held: to be
 * drained again). After the wake-up the flow may go (e2m_stage_close()).
 */
static void e2m_stage_run(struct e2m_stages *stages, struct e2m_stage *stage)
{
	struct e2m_flow *flow = e2m_stage_flow(stage);
	struct sk_buff_head expired[E2M_STAGE__COUNT];
	struct list_head *back;

	e2m_stage_drain(flow, E2M_STAGE_TX);
	e2m_stage_drain(flow, E2M_STAGE_RX);
	e2m_stage_lists_init(expired);
	spin_lock_bh(&stage->lock);
	if (!e2m_stage_empty(stage) && time_after_eq(jiffies, stage->deadline))
		e2m_stage_take_all(flow, expired);
	spin_unlock_bh(&stage->lock);
	e2m_stage_drop_all(flow, true, expired, E2M_DROP_STAGE_EXPIRED);

	spin_lock_bh(&stage->lock);
	spin_lock(&stages->lock);
	back = stages->busy_kicked ? &stages->kicked : &stages->waiting;
	stages->busy = NULL;
	if (!stage->closed && !e2m_stage_empty(stage) && list_empty(&stage->node))
		list_add_tail(&stage->node, back);
	spin_unlock(&stages->lock);
	spin_unlock_bh(&stage->lock);
	wake_up_all(&stages->wait);
}

/* Under the device's lock: re-arms the work for what is left. */
static void e2m_stages_rearm(struct e2m_stages *stages)
{
	struct e2m_stage *stage;
	unsigned long when;
	bool any = false;

	if (!list_empty(&stages->kicked)) {
		e2m_stages_arm(stages, jiffies);
		return;
	}
	list_for_each_entry(stage, &stages->waiting, node) {
		unsigned long deadline = READ_ONCE(stage->deadline);

		if (!any || time_before(deadline, when))
			when = deadline;
		any = true;
	}
	if (any)
		e2m_stages_arm(stages, when);
}

/*
 * A key was bound, or a deadline came: takes the kicked stages and those
 * past their deadline onto a list of its own (under the device's lock,
 * so that e2m_stage_close() can still take one off), and runs each.
 */
static void e2m_stages_work(struct work_struct *work)
{
	struct e2m_stages *stages = container_of(to_delayed_work(work),
						 struct e2m_stages, work);
	struct e2m_stage *stage, *tmp;
	unsigned long now = jiffies;
	LIST_HEAD(todo);

	spin_lock_bh(&stages->lock);
	list_splice_init(&stages->kicked, &todo);
	list_for_each_entry_safe(stage, tmp, &stages->waiting, node)
		if (time_after_eq(now, READ_ONCE(stage->deadline)))
			list_move_tail(&stage->node, &todo);
	while (!list_empty(&todo)) {
		stage = list_first_entry(&todo, struct e2m_stage, node);
		list_del_init(&stage->node);
		stages->busy = stage;
		stages->busy_kicked = false;
		spin_unlock_bh(&stages->lock);
		e2m_stage_run(stages, stage);
		spin_lock_bh(&stages->lock);
	}
	e2m_stages_rearm(stages);
	spin_unlock_bh(&stages->lock);
}

void e2m_stages_init(struct e2m_stages *stages)
{
	spin_lock_init(&stages->lock);
	INIT_LIST_HEAD(&stages->waiting);
	INIT_LIST_HEAD(&stages->kicked);
	init_waitqueue_head(&stages->wait);
	INIT_DELAYED_WORK(&stages->work, e2m_stages_work);
}

/* Under the RTNL, once every flow of the device is closed. */
void e2m_stages_destroy(struct e2m_stages *stages)
{
	WARN_ON_ONCE(!list_empty(&stages->waiting) ||
		     !list_empty(&stages->kicked));
	cancel_delayed_work_sync(&stages->work);
}

void e2m_stage_init(struct e2m_stage *stage)
{
	int dir;

	spin_lock_init(&stage->lock);
	for (dir = 0; dir < E2M_STAGE__COUNT; dir++)
		__skb_queue_head_init(&stage->q[dir]);
	INIT_LIST_HEAD(&stage->node);
}

/*
 * Under the RTNL, after a KEY_BIND: the staged packets may go now. A
 * stage that holds packets is on one of the device's lists, or held by
 * the work, which then drains it again.
 */
void e2m_stage_kick(struct e2m_flow *flow)
{
	struct e2m_stage *stage = e2m_stage_of(flow);
	struct e2m_stages *stages = e2m_stages_of(flow);

	spin_lock_bh(&stage->lock);
	if (!stage->closed && !e2m_stage_empty(stage)) {
		spin_lock(&stages->lock);
		if (stages->busy == stage)
			stages->busy_kicked = true;
		else
			list_move_tail(&stage->node, &stages->kicked);
		e2m_stages_arm(stages, jiffies);
		spin_unlock(&stages->lock);
	}
	spin_unlock_bh(&stage->lock);
}

/*
 * Under the RTNL, when the flow is unlinked: nothing is staged from here
 * on, what was is dropped (STAGE_FLUSHED, on the device's counters), the
 * stage is on none of the device's lists, and the work holds it no more.
 * See stage.h.
 */
void e2m_stage_close(struct e2m_flow *flow)
{
	struct e2m_stage *stage = e2m_stage_of(flow);
	struct e2m_stages *stages = e2m_stages_of(flow);
	struct sk_buff_head flushed[E2M_STAGE__COUNT];

	ASSERT_RTNL();
	e2m_stage_lists_init(flushed);
	spin_lock_bh(&stage->lock);
	stage->closed = true;
	e2m_stage_take_all(flow, flushed);
	spin_lock(&stages->lock);
	list_del_init(&stage->node);
	spin_unlock(&stages->lock);
	spin_unlock_bh(&stage->lock);
	wait_event(stages->wait, READ_ONCE(stages->busy) != stage);
	e2m_stage_drop_all(flow, false, flushed, E2M_DROP_STAGE_FLUSHED);
}

/* Packets staged now, both directions: FLOW_GET's E2M_FLOW_A_STAGED. */
unsigned int e2m_stage_len(struct e2m_flow *flow)
{
	struct e2m_stage *stage = e2m_stage_of(flow);

	return skb_queue_len_lockless(&stage->q[E2M_STAGE_TX]) +
	       skb_queue_len_lockless(&stage->q[E2M_STAGE_RX]);
}
