/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters the e2m module keeps per device and per flow
 * (E2M_A_STATS, E2M_FLOW_A_STATS: enum e2m_stats_attr), as read from a
 * reply. What each is called on output is the reader's business.
 */
#ifndef E2M_KERNEL_E2M_STATS_H
#define E2M_KERNEL_E2M_STATS_H

#include <stdint.h>

#include <linux/e2m.h>
#include "genl.h"

/* Indexed by E2M_STATS_A_*; a counter the kernel did not send reads 0. */
struct e2m_stats {
	uint64_t value[E2M_STATS_A_MAX + 1];
};

/* The E2M_STATS_A_* nest into *stats (all 0 when nest is NULL). */
int e2m_stats_parse(struct genl_conn *conn, struct nlattr *nest,
		    struct e2m_stats *stats);

#endif /* E2M_KERNEL_E2M_STATS_H */
