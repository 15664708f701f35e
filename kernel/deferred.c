// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred frees, see deferred.h.
 */
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "deferred.h"

static struct workqueue_struct *e2m_deferred_wq;

void e2m_defer(struct rcu_work *work, work_func_t fn)
{
	INIT_RCU_WORK(work, fn);
	queue_rcu_work(e2m_deferred_wq, work);
}

/* What e2m_defer_queue() was given, and the one work that empties it. */
static LLIST_HEAD(e2m_deferred_list);

static void e2m_deferred_list_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&e2m_deferred_list);
	struct e2m_deferred *d, *next;

	llist_for_each_entry_safe(d, next, list, node)
		d->fn(d);
}

static DECLARE_WORK(e2m_deferred_list_w, e2m_deferred_list_work);

/* From an RCU callback (softirq): @d's grace period has ended. */
void e2m_defer_queue(struct e2m_deferred *d,
		     void (*fn)(struct e2m_deferred *d))
{
	d->fn = fn;
	/* The first on an empty list queues the work; it takes them all. */
	if (llist_add(&d->node, &e2m_deferred_list))
		queue_work(e2m_deferred_wq, &e2m_deferred_list_w);
}

int e2m_deferred_init(void)
{
	e2m_deferred_wq = alloc_workqueue("e2m_deferred", WQ_UNBOUND, 0);
	return e2m_deferred_wq ? 0 : -ENOMEM;
}

/*
 * Once nothing can defer any more: rcu_barrier() lets every pending grace
 * period end (which queues the work, e2m_defer_queue()'s too: its
 * callbacks have run), destroying the queue runs it all. A deferred free
 * must not defer again.
 */
void e2m_deferred_exit(void)
{
	rcu_barrier();
	destroy_workqueue(e2m_deferred_wq);
}
