// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's flows in the store: the checks before the engine, see
 * store.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "store_address.h"
#include "store_engine.h"

static bool device_valid(const char *name)
{
	size_t len = strnlen(name, STORE_IFNAME_MAX + 1);

	return len && len <= STORE_IFNAME_MAX && !strchr(name, '/') &&
	       !strchr(name, ' ');
}

static bool hse_flow_valid(const struct store_hse_flow *f)
{
	return f->teid && f->ue_teid && store_imsi_valid(f->imsi) &&
	       f->ksi <= STORE_KSI_MAX && f->ue_port &&
	       store_any_address_valid(f->ue_address, sizeof(f->ue_address)) &&
	       store_address_valid(AF_INET, f->inner_ipv4,
				   sizeof(f->inner_ipv4)) &&
	       (!f->inner_ipv6[0] ||
		store_address_valid(AF_INET6, f->inner_ipv6,
				    sizeof(f->inner_ipv6))) &&
	       device_valid(f->device);
}

int store_hse_flow_put(struct store *store, const struct store_hse_flow *flow)
{
	if (!hse_flow_valid(flow)) {
		store_set_errmsg(store, "invalid HSE flow");
		return -EINVAL;
	}
	return store->ops->hse_flow_put(store, flow);
}

int store_hse_flow_put_many(struct store *store,
			    const struct store_hse_flow *flows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!hse_flow_valid(&flows[i])) {
			store_set_errmsg(store, "invalid HSE flow");
			return -EINVAL;
		}
	return n ? store->ops->hse_flow_put_many(store, flows, n) : 0;
}

int store_hse_flow_get(struct store *store, uint32_t teid,
		       struct store_hse_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	if (!teid)
		return -EINVAL;
	return store->ops->hse_flow_get(store, teid, flow);
}

int store_hse_flow_remove(struct store *store, uint32_t teid)
{
	if (!teid)
		return -EINVAL;
	return store->ops->hse_flow_remove(store, teid);
}

int store_hse_flow_list(struct store *store, store_hse_flow_fn fn, void *arg)
{
	return store->ops->hse_flow_list(store, fn, arg);
}
