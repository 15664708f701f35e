// SPDX-License-Identifier: GPL-2.0
/*
 * The device's Ks_local on its local link's flow, see local_link.h.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kernel/e2m_flow.h"
#include "local_link.h"

int local_link_bind(struct genl_conn *nl, const struct local_link_flow *flow,
		    int32_t serial, struct local_link_result *result)
{
	struct local_key_bind *plan = &result->plan;
	struct e2m_link how = { .alg = flow->alg };
	struct e2m_flow now;
	int ret;

	memset(result, 0, sizeof(*result));
	ret = e2m_flow_get(nl, flow->ifname, flow->teid, &now);
	if (ret)
		return ret;
	if (flow->has_peer_key_id)
		ret = local_key_plan_at(&now, serial, flow->peer_key_id,
					(int64_t)time(NULL), plan);
	else
		ret = (flow->kept ? local_key_plan_rebind :
		       local_key_plan_bind)(&now, serial, flow->key_id,
					    (int64_t)time(NULL), plan);
	if (ret == -EALREADY) {
		result->bound = result->already = true;
		return 0;
	}
	if (!ret && flow->tx_on_rx)
		local_key_plan_tx_on_rx(plan);
	if (ret == -EKEYREJECTED)
		return genl_set_error(nl, ret,
				      "the key's slot at Key ID %u is spent (COUNT or MAC limit): the same Ks_local cannot be bound again, a new bootstrap is needed",
				      plan->key_id);
	if (plan->unbind_first)
		ret = e2m_key_unbind(nl, flow->ifname, flow->teid,
				     plan->unbind_first_id);
	if (!ret && plan->unbind_tx)
		ret = e2m_key_unbind(nl, flow->ifname, flow->teid,
				     plan->unbind_tx_id);
	how.key_id = plan->key_id;
	if (!ret)
		ret = e2m_key_bind_link(nl, flow->ifname, flow->teid, serial,
					&how, plan->bind_flags);
	if (ret)
		return ret;
	result->bound = true;
	if (plan->use)
		ret = e2m_key_use(nl, flow->ifname, flow->teid, plan->key_id);
	if (!ret && plan->unbind_old)
		ret = e2m_key_unbind(nl, flow->ifname, flow->teid,
				     plan->old_id);
	return ret;
}
