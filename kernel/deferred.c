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

int e2m_deferred_init(void)
{
	e2m_deferred_wq = alloc_workqueue("e2m_deferred", WQ_UNBOUND, 0);
	return e2m_deferred_wq ? 0 : -ENOMEM;
}

/*
 * Once nothing can defer any more: rcu_barrier() lets every pending grace
 * period end (which queues the work), destroying the queue runs it all.
 * A deferred free must not defer again.
 */
void e2m_deferred_exit(void)
{
	rcu_barrier();
	destroy_workqueue(e2m_deferred_wq);
}
