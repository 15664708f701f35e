/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_DEVICE_H
#define _E2M_DEVICE_H

#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>

#include "stage.h"
#include "stats.h"
#include "steer.h"

/*
 * One e2m network device. Configuration changes happen under the RTNL;
 * the packet path reads everything under RCU. @role, @port,
 * @replay_window, @count_notify, @count_limit and @nflows are written
 * under the RTNL with WRITE_ONCE and read without it (the packet path,
 * DEV_GET and its dump, which hold only RCU) with READ_ONCE; under the
 * RTNL a plain read is enough.
 *
 * Lifetime: the device lives from `ip link add` to `ip link del` (or the
 * end of its network namespace, or module unload); its flows are removed
 * in ndo_uninit, its counters freed with the net_device.
 */
struct e2m_device {
	struct net_device *dev;
	u8 role;			/* enum e2m_role */
	u16 port;			/* UDP port, host order */
	u32 replay_window;
	u32 count_notify;
	u32 count_limit;
	/*
	 * The UDP tunnel sockets, while up. Replaced under the RTNL (open,
	 * stop, port change), read once per packet under RCU; released only
	 * after a grace period (e2m_socket_close()).
	 */
	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
	struct xarray flows;		/* struct e2m_flow by local TEID */
	struct rhashtable inner;	/* struct e2m_inner by inner address */
	struct rhashtable peers;	/* struct e2m_peer by endpoint */
	u32 nflows;
	atomic_t staged_bytes;		/* truesize in the flows' stages */
	struct e2m_stages stages;	/* those that hold packets (stage.h) */
	struct e2m_stats __percpu *stats;	/* drops that have no flow */
	/*
	 * Every count above and every count of every flow, counted again
	 * here as it happens, so a deleted flow's stay in (DEV_GET's
	 * E2M_A_STATS_TOTAL: per-device series that never go back).
	 */
	struct e2m_stats __percpu *totals;
	/*
	 * Where decrypted packets go up the stack (receive.c): one NAPI per
	 * CPU, so the inner TCP segments of one burst leave GRO as one packet.
	 * From ndo_init to ndo_uninit, after the flows and their stages.
	 */
	struct gro_cells gro_cells;
	struct e2m_steer steer;		/* receive steering, steer.h */
	struct ratelimit_state event_ratelimit;
	u32 last_unknown_teid;
	unsigned long last_unknown_jiffies;
};

extern struct rtnl_link_ops e2m_link_ops;

static inline bool e2m_is_device(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &e2m_link_ops;
}

/* A drop that belongs to no flow: the device's counters and its totals. */
static inline void e2m_device_count_drop(struct e2m_device *e2m,
					 enum e2m_drop why)
{
	e2m_stats_drop(e2m->stats, why);
	e2m_stats_drop(e2m->totals, why);
}

int e2m_device_set_port(struct e2m_device *e2m, u16 port);
int e2m_device_init(void);
void e2m_device_exit(void);

#endif /* _E2M_DEVICE_H */
