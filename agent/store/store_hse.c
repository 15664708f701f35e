// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's flows in the store: the checks before the engine, see
 * store.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "store_address.h"
#include "store_engine.h"

static bool device_valid(const char *name)
{
	size_t len = strnlen(name, STORE_IFNAME_MAX + 1);

	return len && len <= STORE_IFNAME_MAX && !strchr(name, '/') &&
	       !strchr(name, ' ');
}

bool store_hse_owner_valid(const char *owner)
{
	size_t len = strnlen(owner, STORE_HSE_OWNER_MAX + 1), i;

	if (!len || len > STORE_HSE_OWNER_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_",
			    owner[i]))
			return false;
	return true;
}

int store_hse_owner_default(char *owner, size_t size)
{
	char host[STORE_HSE_OWNER_MAX + 2] = "";

	/* A name longer than the buffer fails or comes cut: refused. */
	if (gethostname(host, sizeof(host) - 1) ||
	    !store_hse_owner_valid(host) || strlen(host) >= size)
		return -EINVAL;
	memcpy(owner, host, strlen(host) + 1);
	return 0;
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
	       device_valid(f->device) && store_hse_owner_valid(f->owner);
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

int store_hse_flow_get(struct store *store, const char *owner,
		       uint32_t teid, struct store_hse_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	if (!teid || !store_hse_owner_valid(owner)) {
		store_set_errmsg(store, "invalid HSE flow owner or TEID");
		return -EINVAL;
	}
	return store->ops->hse_flow_get(store, owner, teid, flow);
}

int store_hse_flow_remove(struct store *store, const char *owner,
			  uint32_t teid)
{
	if (!teid || !store_hse_owner_valid(owner)) {
		store_set_errmsg(store, "invalid HSE flow owner or TEID");
		return -EINVAL;
	}
	return store->ops->hse_flow_remove(store, owner, teid);
}

int store_hse_flow_list(struct store *store, const char *owner,
			store_hse_flow_fn fn, void *arg)
{
	if (owner && !store_hse_owner_valid(owner)) {
		store_set_errmsg(store, "invalid HSE flow owner");
		return -EINVAL;
	}
	return store->ops->hse_flow_list(store, owner, fn, arg);
}
