/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_DEFERRED_H
#define _E2M_DEFERRED_H

#include <linux/workqueue.h>

/*
 * Frees that must wait for an RCU grace period (the packet path may still
 * hold the object) and then run in process context (freeing a crypto
 * transform may sleep). They run on a workqueue of the module's own, so
 * that unloading can wait for every one of them.
 */
void e2m_defer(struct rcu_work *work, work_func_t fn);
int e2m_deferred_init(void);
void e2m_deferred_exit(void);

#endif /* _E2M_DEFERRED_H */
