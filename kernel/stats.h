/* SPDX-License-Identifier: GPL-2.0 */
/*
 * u64 packet counters: per CPU for a device (the packets that belong to no
 * flow, and its totals), once for a flow (struct e2m_flow_stats). Every
 * drop has a reason, and every reason has a counter and a netlink
 * attribute (E2M_STATS_A_DROP_*); a packet that waited for a key (stage.h)
 * is also counted as staged.
 */
#ifndef _E2M_STATS_H
#define _E2M_STATS_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>

enum e2m_drop {
	E2M_DROP_NO_FLOW,
	E2M_DROP_BAD_HEADER,
	E2M_DROP_TOO_SHORT,
	E2M_DROP_AUTH,
	E2M_DROP_REPLAY,
	E2M_DROP_DEAD_KEY,
	E2M_DROP_NO_KEY,
	E2M_DROP_COUNTER_EXHAUSTED,
	E2M_DROP_INNER,
	E2M_DROP_NOT_GPDU,
	E2M_DROP_NO_ROUTE,
	E2M_DROP_NOMEM,
	E2M_DROP_CRYPTO,
	E2M_DROP_STAGE_FULL,
	E2M_DROP_STAGE_DEVICE_FULL,
	E2M_DROP_STAGE_EXPIRED,
	E2M_DROP_STAGE_FLUSHED,
	E2M_DROP_STEER_FULL,
	E2M_DROP__COUNT
};

struct e2m_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t drops[E2M_DROP__COUNT];
	u64_stats_t tx_staged;
	u64_stats_t rx_staged;
	u64_stats_t rx_steered;		/* a device's only (steer.h) */
	struct u64_stats_sync syncp;
};

/*
 * A flow's counters, in the flow itself and not per CPU: a per-CPU set
 * costs its size times the CPUs, and as much again twice over in the
 * per-CPU allocator's metadata (memcg), for every one of maybe 10^6
 * flows. A flow's packets mostly come through one CPU (the NIC hashes
 * GTP-U by the outer addresses and ports, the same for all of one peer's
 * flows), so the cache line rarely moves. Atomic, because the stage's
 * drain, transmit and receive of one flow can run on several CPUs at
 * once; a reader gets each counter whole (atomic64_t, on 32-bit too),
 * the counters of one packet possibly not all yet, as with per-CPU sets.
 */
struct e2m_flow_stats {
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t drops[E2M_DROP__COUNT];
	atomic64_t tx_staged;
	atomic64_t rx_staged;
};

struct e2m_stats __percpu *e2m_stats_alloc(void);
void e2m_stats_free(struct e2m_stats __percpu *stats);
void e2m_stats_rx(struct e2m_stats __percpu *stats, unsigned int len);
void e2m_stats_tx(struct e2m_stats __percpu *stats, unsigned int len);
void e2m_stats_staged(struct e2m_stats __percpu *stats, bool rx);
void e2m_stats_drop(struct e2m_stats __percpu *stats, enum e2m_drop why);
void e2m_stats_steered(struct e2m_stats __percpu *stats);
int e2m_stats_put(struct sk_buff *msg, int attr, struct e2m_stats __percpu *stats);

/* A flow's: zeroed with the flow, nothing to free. */
void e2m_flow_stats_rx(struct e2m_flow_stats *stats, unsigned int len);
void e2m_flow_stats_tx(struct e2m_flow_stats *stats, unsigned int len);
void e2m_flow_stats_staged(struct e2m_flow_stats *stats, bool rx);
void e2m_flow_stats_drop(struct e2m_flow_stats *stats, enum e2m_drop why);
int e2m_flow_stats_put(struct sk_buff *msg, int attr,
		       const struct e2m_flow_stats *stats);

#endif /* _E2M_STATS_H */
