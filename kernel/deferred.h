/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_DEFERRED_H
#define _E2M_DEFERRED_H

#include <linux/llist.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

/*
 * Frees that must wait for an RCU grace period (the packet path may still
 * hold the object) and then run in process context (freeing a crypto
 * transform may sleep). They run on a workqueue of the module's own, so
 * that unloading can wait for every one of them.
 */
void e2m_defer(struct rcu_work *work, work_func_t fn);

/*
 * The same in 16 octets instead of a struct rcu_work's 56, for objects
 * there can be very many of (10^6 flows a device): the object's own
 * call_rcu() callback hands it over with e2m_defer_queue(), which puts it
 * on the module's one list; one work on the same workqueue empties the
 * list and calls each @fn. The rcu_head is free once its callback runs,
 * so the list node and @fn take its place.
 */
struct e2m_deferred {
	union {
		struct rcu_head rcu;
		struct {
			struct llist_node node;
			void (*fn)(struct e2m_deferred *d);
		};
	};
};

void e2m_defer_queue(struct e2m_deferred *d,
		     void (*fn)(struct e2m_deferred *d));
int e2m_deferred_init(void);
void e2m_deferred_exit(void);

#endif /* _E2M_DEFERRED_H */
