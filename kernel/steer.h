/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive steering (uapi/linux/e2m.h, "Receive steering"): each flow's
 * G-PDUs verified and decrypted on one CPU of a set the operator chose,
 * not on the CPU the NIC interrupted. The hand-off is the one RPS makes:
 * a queue per CPU, and a NAPI context of the device on that CPU, woken by
 * an IPI only when it is not scheduled already.
 *
 * Lifetime and locking: @map is replaced whole under the RTNL (DEV_SET)
 * and read under RCU by receive; the map it replaces is freed after a
 * grace period. @cells is allocated when steering is first turned on,
 * under the RTNL, and kept until ndo_uninit, which clears @map, disables
 * each NAPI (which waits for an IPI in flight: the NAPI stays scheduled
 * until its poll has run), waits one grace period for every receive that
 * saw the map, frees what is still queued and then the cells. A cell's
 * @queue is filled by any CPU and emptied by its poll, both in BH
 * context, under its lock; @process is the poll's alone (NAPI runs one
 * poll at a time). A queued packet holds no route and names the e2m
 * device, never the one it came in on: nothing it points to can go first.
 */
#ifndef _E2M_STEER_H
#define _E2M_STEER_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/smp.h>

#include "gtpu.h"

struct e2m_device;
struct netlink_ext_ack;
struct nlattr;

/* The CPUs of E2M_A_RX_CPUS, in order; never changed once published. */
struct e2m_steer_map {
	struct rcu_head rcu;
	unsigned int ncpus;
	unsigned int cpu[];
};

struct e2m_steer_cell {
	struct sk_buff_head queue;	/* see above */
	struct sk_buff_head process;	/* the poll's: taken from @queue */
	struct napi_struct napi;
	call_single_data_t csd;		/* the IPI that schedules @napi */
};

struct e2m_steer {
	struct e2m_steer_map __rcu *map;	/* NULL: off */
	struct e2m_steer_cell __percpu *cells;	/* see above */
};

/* What receive knows of a queued G-PDU: its skb->cb while queued. */
struct e2m_steer_cb {
	struct e2m_gtpu_info gtpu;
	bool xnet;
};

static inline struct e2m_steer_cb *e2m_steer_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct e2m_steer_cb) > sizeof(skb->cb));
	return (struct e2m_steer_cb *)skb->cb;
}

/*
 * DEV_SET: e2m_steer_prepare() checks @attr (extack) and makes the map
 * it names (*map NULL: off) and, the first time, the cells; nothing is
 * visible until e2m_steer_commit() publishes it, or e2m_steer_abort()
 * drops it. All under the RTNL.
 */
int e2m_steer_prepare(struct e2m_device *e2m, const struct nlattr *attr,
		      struct e2m_steer_map **map,
		      struct netlink_ext_ack *extack);
void e2m_steer_commit(struct e2m_device *e2m, struct e2m_steer_map *map);
void e2m_steer_abort(struct e2m_steer_map *map);
/* DEV_GET: E2M_A_RX_CPUS while steering is on. Under RCU or the RTNL. */
int e2m_steer_put(struct sk_buff *msg, struct e2m_device *e2m);
/* ndo_uninit, under the RTNL: see above. */
void e2m_steer_destroy(struct e2m_device *e2m);

/*
 * Receive, in BH context under RCU, a G-PDU whose GTP-U header @gtpu has
 * been parsed: true when the packet went to its CPU's queue (or was
 * dropped there, counted), false when this CPU is to receive it.
 */
bool e2m_steer(struct e2m_device *e2m, struct sk_buff *skb,
	       const struct e2m_gtpu_info *gtpu, bool xnet);

#endif /* _E2M_STEER_H */
