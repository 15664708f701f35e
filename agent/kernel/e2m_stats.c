// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of a device or a flow, see e2m_stats.h.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "e2m_stats.h"

int e2m_stats_parse(struct genl_conn *conn, struct nlattr *nest,
		    struct e2m_stats *stats)
{
	struct nla_policy policy[E2M_STATS_A_MAX + 1];
	struct nlattr *tb[E2M_STATS_A_MAX + 1];
	int i;

	memset(stats, 0, sizeof(*stats));
	if (!nest)
		return 0;
	/* Every counter is a u64. */
	memset(policy, 0, sizeof(policy));
	for (i = E2M_STATS_A_RX_PACKETS; i <= E2M_STATS_A_MAX; i++)
		policy[i].type = NLA_U64;
	if (nla_parse_nested(tb, E2M_STATS_A_MAX, nest, policy))
		return genl_set_error(conn, -EBADMSG,
				      "malformed counters from the kernel");
	for (i = E2M_STATS_A_RX_PACKETS; i <= E2M_STATS_A_MAX; i++)
		if (tb[i])
			stats->value[i] = nla_get_u64(tb[i]);
	return 0;
}
