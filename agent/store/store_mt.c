// SPDX-License-Identifier: GPL-2.0
/*
 * An MT's Ks_local keys in the store: the checks before the engine, see
 * store.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"

/* At least one FQDN octet before the 5-octet Ua id. */
static bool identity_valid(const char *btid, const uint8_t *naf_id,
			   size_t naf_id_len, const char *device_id)
{
	return store_btid_valid(btid) && naf_id && naf_id_len > 5 &&
	       naf_id_len <= STORE_NAF_ID_MAX &&
	       store_device_id_valid(device_id);
}

static bool info_valid(const struct store_mt_key_info *info)
{
	return identity_valid(info->btid, info->naf_id, info->naf_id_len,
			      info->device_id) &&
	       store_iccid_valid(info->iccid) &&
	       info->expires > info->created && info->key_serial >= 0 &&
	       info->completed <= 1;
}

static int bad_identity(struct store *store)
{
	store_set_errmsg(store, "invalid MT local key identity");
	return -EINVAL;
}

int store_mt_key_put(struct store *store, const struct store_mt_key *k)
{
	if (!info_valid(&k->pub)) {
		store_set_errmsg(store, "invalid MT local key");
		return -EINVAL;
	}
	return store->ops->mt_key_put(store, k);
}

int store_mt_key_get(struct store *store, const char *btid,
		     const uint8_t *naf_id, size_t naf_id_len,
		     const char *device_id, struct store_mt_key *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	if (!identity_valid(btid, naf_id, naf_id_len, device_id))
		return bad_identity(store);
	ret = store->ops->mt_key_get(store, btid, naf_id, naf_id_len,
				     device_id, k);
	/* Damaged values are that, whether or not the seal opened. */
	if ((!ret || ret == -EKEYREJECTED) && !info_valid(&k->pub)) {
		store_set_errmsg(store, "an MT local key row is damaged");
		ret = -EUCLEAN;
	}
	if (ret)
		store_mt_key_wipe(k);
	return ret;
}

int store_mt_key_complete(struct store *store, const char *btid,
			  const uint8_t *naf_id, size_t naf_id_len,
			  const char *device_id)
{
	if (!identity_valid(btid, naf_id, naf_id_len, device_id))
		return bad_identity(store);
	return store->ops->mt_key_complete(store, btid, naf_id, naf_id_len,
					   device_id);
}

struct checked_keys {
	struct store *store;
	store_mt_key_fn fn;
	void *arg;
};

static int check_key(const struct store_mt_key_info *info, void *arg)
{
	struct checked_keys *list = arg;

	if (!info_valid(info)) {
		store_set_errmsg(list->store, "an MT local key row is damaged");
		return -EUCLEAN;
	}
	return list->fn(info, list->arg);
}

/*
 * A row that goes is told to fn if it reads well; a damaged one goes
 * unannounced (it has no serial to trust), and fn's answer stops nothing.
 */
static int tell_removed(const struct store_mt_key_info *info, void *arg)
{
	struct checked_keys *list = arg;

	if (info_valid(info) && list->fn)
		list->fn(info, list->arg);
	return 0;
}

int store_mt_key_remove_other_iccids(struct store *store, const char *iccid,
				     store_mt_key_fn fn, void *arg)
{
	struct checked_keys list = { store, fn, arg };

	if (!store_iccid_valid(iccid)) {
		store_set_errmsg(store, "invalid ICCID");
		return -EINVAL;
	}
	return store->ops->mt_key_remove_other_iccids(store, iccid,
						      tell_removed, &list);
}

int store_mt_key_purge(struct store *store, int64_t now, store_mt_key_fn fn,
		       void *arg)
{
	struct checked_keys list = { store, fn, arg };

	return store->ops->mt_key_purge(store, now, tell_removed, &list);
}

int store_mt_key_list(struct store *store, store_mt_key_fn fn, void *arg)
{
	struct checked_keys list = { store, fn, arg };

	return store->ops->mt_key_list(store, fn ? check_key : NULL, &list);
}

void store_mt_key_wipe(struct store_mt_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
