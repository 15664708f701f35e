// SPDX-License-Identifier: GPL-2.0
/*
 * A MAF's Kms in the store: the checks before the engine, see store.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "store_engine.h"

static bool km_info_valid(const struct store_onem2m_km_info *info)
{
	return onem2m_key_id_valid(info->km_id) &&
	       onem2m_key_id_valid(info->ke_id) &&
	       store_onem2m_id_valid(info->enrolee_id) &&
	       info->expires > info->created;
}

int store_onem2m_km_put(struct store *store, const struct store_onem2m_km *km)
{
	if (!km_info_valid(&km->pub)) {
		store_set_errmsg(store, "invalid Km");
		return -EINVAL;
	}
	return store->ops->onem2m_km_put(store, km);
}

int store_onem2m_km_get(struct store *store, const char *km_id, int64_t now,
			struct store_onem2m_km *km)
{
	int ret;

	memset(km, 0, sizeof(*km));
	if (!onem2m_key_id_valid(km_id)) {
		store_set_errmsg(store, "invalid Km-Id");
		return -EINVAL;
	}
	ret = store->ops->onem2m_km_get(store, km_id, now, km);
	/* Damaged values are that, whether or not the seal opened. */
	if ((!ret || ret == -EKEYREJECTED) && !km_info_valid(&km->pub)) {
		store_set_errmsg(store, "a oneM2M Km row is damaged");
		ret = -EUCLEAN;
	}
	if (ret)
		store_onem2m_km_wipe(km);
	return ret;
}

int store_onem2m_km_remove(struct store *store, const char *km_id)
{
	if (!onem2m_key_id_valid(km_id)) {
		store_set_errmsg(store, "invalid Km-Id");
		return -EINVAL;
	}
	return store->ops->onem2m_km_remove(store, km_id);
}

int store_onem2m_km_purge(struct store *store, int64_t now)
{
	return store->ops->onem2m_km_purge(store, now);
}

int store_onem2m_km_count(struct store *store, int64_t now)
{
	return store->ops->onem2m_km_count(store, now);
}

struct checked_kms {
	struct store *store;
	store_onem2m_km_fn fn;
	void *arg;
};

static int check_km(const struct store_onem2m_km_info *info, void *arg)
{
	struct checked_kms *list = arg;

	if (!km_info_valid(info)) {
		store_set_errmsg(list->store, "a oneM2M Km row is damaged");
		return -EUCLEAN;
	}
	return list->fn(info, list->arg);
}

int store_onem2m_km_list(struct store *store, store_onem2m_km_fn fn,
			 void *arg)
{
	struct checked_kms list = { store, fn, arg };

	return store->ops->onem2m_km_list(store, fn ? check_km : NULL, &list);
}

void store_onem2m_km_wipe(struct store_onem2m_km *km)
{
	OPENSSL_cleanse(km, sizeof(*km));
}

int store_onem2m_handoff_get(struct store *store,
			     struct store_onem2m_handoff *h)
{
	memset(h, 0, sizeof(*h));
	return store->ops->onem2m_handoff_get(store, h);
}

int store_onem2m_handoff_set(struct store *store,
			     const struct store_onem2m_handoff *h)
{
	return store->ops->onem2m_handoff_set(store, h);
}

int store_onem2m_handoff_clear(struct store *store)
{
	return store->ops->onem2m_handoff_clear(store);
}
