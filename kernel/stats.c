// SPDX-License-Identifier: GPL-2.0
/*
 * Packet counters, a device's per CPU and a flow's once, see stats.h.
 */
#include <linux/netdevice.h>
#include <linux/e2m.h>

#include "stats.h"

struct e2m_stats __percpu *e2m_stats_alloc(void)
{
	return netdev_alloc_pcpu_stats(struct e2m_stats);
}

void e2m_stats_free(struct e2m_stats __percpu *stats)
{
	free_percpu(stats);
}

void e2m_stats_rx(struct e2m_stats __percpu *stats, unsigned int len)
{
	struct e2m_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

void e2m_stats_tx(struct e2m_stats __percpu *stats, unsigned int len)
{
	struct e2m_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

void e2m_stats_staged(struct e2m_stats __percpu *stats, bool rx)
{
	struct e2m_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(rx ? &s->rx_staged : &s->tx_staged);
	u64_stats_update_end(&s->syncp);
}

void e2m_stats_drop(struct e2m_stats __percpu *stats, enum e2m_drop why)
{
	struct e2m_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[why]);
	u64_stats_update_end(&s->syncp);
}

void e2m_stats_steered(struct e2m_stats __percpu *stats)
{
	struct e2m_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_steered);
	u64_stats_update_end(&s->syncp);
}

struct e2m_stats_total {
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes, tx_staged, rx_staged;
	u64 rx_steered;
	u64 drops[E2M_DROP__COUNT];
};

/*
 * Each drop reason's attribute: those of the first version in a row, the
 * ones added since after the other counters (the ABI only grows).
 */
static const u16 e2m_drop_attr[E2M_DROP__COUNT] = {
	[E2M_DROP_NO_FLOW] = E2M_STATS_A_DROP_NO_FLOW,
	[E2M_DROP_BAD_HEADER] = E2M_STATS_A_DROP_BAD_HEADER,
	[E2M_DROP_TOO_SHORT] = E2M_STATS_A_DROP_TOO_SHORT,
	[E2M_DROP_AUTH] = E2M_STATS_A_DROP_AUTH,
	[E2M_DROP_REPLAY] = E2M_STATS_A_DROP_REPLAY,
	[E2M_DROP_DEAD_KEY] = E2M_STATS_A_DROP_DEAD_KEY,
	[E2M_DROP_NO_KEY] = E2M_STATS_A_DROP_NO_KEY,
	[E2M_DROP_COUNTER_EXHAUSTED] = E2M_STATS_A_DROP_COUNTER_EXHAUSTED,
	[E2M_DROP_INNER] = E2M_STATS_A_DROP_INNER,
	[E2M_DROP_NOT_GPDU] = E2M_STATS_A_DROP_NOT_GPDU,
	[E2M_DROP_NO_ROUTE] = E2M_STATS_A_DROP_NO_ROUTE,
	[E2M_DROP_NOMEM] = E2M_STATS_A_DROP_NOMEM,
	[E2M_DROP_CRYPTO] = E2M_STATS_A_DROP_CRYPTO,
	[E2M_DROP_STAGE_FULL] = E2M_STATS_A_DROP_STAGE_FULL,
	[E2M_DROP_STAGE_DEVICE_FULL] = E2M_STATS_A_DROP_STAGE_DEVICE_FULL,
	[E2M_DROP_STAGE_EXPIRED] = E2M_STATS_A_DROP_STAGE_EXPIRED,
	[E2M_DROP_STAGE_FLUSHED] = E2M_STATS_A_DROP_STAGE_FLUSHED,
	[E2M_DROP_STEER_FULL] = E2M_STATS_A_DROP_STEER_FULL,
};

static void e2m_stats_sum(struct e2m_stats __percpu *stats,
			  struct e2m_stats_total *t)
{
	int cpu, i;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct e2m_stats *s = per_cpu_ptr(stats, cpu);
		struct e2m_stats_total c;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			c.rx_packets = u64_stats_read(&s->rx_packets);
			c.rx_bytes = u64_stats_read(&s->rx_bytes);
			c.tx_packets = u64_stats_read(&s->tx_packets);
			c.tx_bytes = u64_stats_read(&s->tx_bytes);
			c.tx_staged = u64_stats_read(&s->tx_staged);
			c.rx_staged = u64_stats_read(&s->rx_staged);
			c.rx_steered = u64_stats_read(&s->rx_steered);
			for (i = 0; i < E2M_DROP__COUNT; i++)
				c.drops[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		t->rx_packets += c.rx_packets;
		t->rx_bytes += c.rx_bytes;
		t->tx_packets += c.tx_packets;
		t->tx_bytes += c.tx_bytes;
		t->tx_staged += c.tx_staged;
		t->rx_staged += c.rx_staged;
		t->rx_steered += c.rx_steered;
		for (i = 0; i < E2M_DROP__COUNT; i++)
			t->drops[i] += c.drops[i];
	}
}

/* Puts @t as a nested attribute @attr of enum e2m_stats_attr. */
static int e2m_stats_put_total(struct sk_buff *msg, int attr,
			       const struct e2m_stats_total *t)
{
	struct nlattr *nest;
	int i;

	/* A new counter or drop reason: its attribute here and above. */
	BUILD_BUG_ON(E2M_STATS_A_RX_STEERED + 1 != __E2M_STATS_A_MAX);
	BUILD_BUG_ON(E2M_DROP_STEER_FULL + 1 != E2M_DROP__COUNT);
	nest = nla_nest_start(msg, attr);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, E2M_STATS_A_RX_PACKETS, t->rx_packets, E2M_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_STATS_A_RX_BYTES, t->rx_bytes, E2M_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_STATS_A_TX_PACKETS, t->tx_packets, E2M_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_STATS_A_TX_BYTES, t->tx_bytes, E2M_STATS_A_PAD))
		goto cancel;
	for (i = 0; i < E2M_DROP__COUNT; i++)
		if (nla_put_u64_64bit(msg, e2m_drop_attr[i], t->drops[i],
				      E2M_STATS_A_PAD))
			goto cancel;
	if (nla_put_u64_64bit(msg, E2M_STATS_A_TX_STAGED, t->tx_staged, E2M_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_STATS_A_RX_STAGED, t->rx_staged, E2M_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, E2M_STATS_A_RX_STEERED, t->rx_steered, E2M_STATS_A_PAD))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

int e2m_stats_put(struct sk_buff *msg, int attr, struct e2m_stats __percpu *stats)
{
	struct e2m_stats_total t;

	e2m_stats_sum(stats, &t);
	return e2m_stats_put_total(msg, attr, &t);
}

void e2m_flow_stats_rx(struct e2m_flow_stats *stats, unsigned int len)
{
	atomic64_inc(&stats->rx_packets);
	atomic64_add(len, &stats->rx_bytes);
}

void e2m_flow_stats_tx(struct e2m_flow_stats *stats, unsigned int len)
{
	atomic64_inc(&stats->tx_packets);
	atomic64_add(len, &stats->tx_bytes);
}

void e2m_flow_stats_staged(struct e2m_flow_stats *stats, bool rx)
{
	atomic64_inc(rx ? &stats->rx_staged : &stats->tx_staged);
}

void e2m_flow_stats_drop(struct e2m_flow_stats *stats, enum e2m_drop why)
{
	atomic64_inc(&stats->drops[why]);
}

/* FLOW_GET's E2M_FLOW_A_STATS: the same attributes as a device's. */
int e2m_flow_stats_put(struct sk_buff *msg, int attr,
		       const struct e2m_flow_stats *stats)
{
	struct e2m_stats_total t;
	int i;

	t.rx_packets = atomic64_read(&stats->rx_packets);
	t.rx_bytes = atomic64_read(&stats->rx_bytes);
	t.tx_packets = atomic64_read(&stats->tx_packets);
	t.tx_bytes = atomic64_read(&stats->tx_bytes);
	t.tx_staged = atomic64_read(&stats->tx_staged);
	t.rx_staged = atomic64_read(&stats->rx_staged);
	t.rx_steered = 0;	/* steered before the flow is known */
	for (i = 0; i < E2M_DROP__COUNT; i++)
		t.drops[i] = atomic64_read(&stats->drops[i]);
	return e2m_stats_put_total(msg, attr, &t);
}
