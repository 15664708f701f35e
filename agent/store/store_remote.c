// SPDX-License-Identifier: GPL-2.0
/*
 * A remote device's own Ks_local keys in the store: the checks before the
 * engine, see store.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"

/* At least one FQDN octet before the 5-octet Ua id. */
static bool identity_valid(const char *device_id, const uint8_t *naf_id,
			   size_t naf_id_len)
{
	return store_device_id_valid(device_id) && naf_id &&
	       naf_id_len > 5 && naf_id_len <= STORE_NAF_ID_MAX;
}

static bool info_valid(const struct store_remote_key_info *info)
{
	return identity_valid(info->device_id, info->naf_id,
			      info->naf_id_len) &&
	       store_btid_valid(info->btid) &&
	       (!strcmp(info->label, "ks_local_device") ||
		!strcmp(info->label, "ks_local_mt")) &&
	       info->expires > info->created && info->key_serial >= 0 &&
	       info->completed <= 1;
}

static int bad_identity(struct store *store)
{
	store_set_errmsg(store, "invalid device local key identity");
	return -EINVAL;
}

int store_remote_key_put(struct store *store, const struct store_remote_key *k)
{
	if (!info_valid(&k->pub)) {
		store_set_errmsg(store, "invalid device local key");
		return -EINVAL;
	}
	return store->ops->remote_key_put(store, k);
}

int store_remote_key_get(struct store *store, const char *device_id,
			 const uint8_t *naf_id, size_t naf_id_len,
			 struct store_remote_key *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	if (!identity_valid(device_id, naf_id, naf_id_len))
		return bad_identity(store);
	ret = store->ops->remote_key_get(store, device_id, naf_id, naf_id_len,
					 k);
	/*
	 * A row whose values are not valid is damaged, whether or not its
	 * seal (which binds some of them) opened.
	 */
	if ((!ret || ret == -EKEYREJECTED) && !info_valid(&k->pub)) {
		store_set_errmsg(store, "a device local key row is damaged");
		ret = -EUCLEAN;
	}
	if (ret)
		store_remote_key_wipe(k);
	return ret;
}

int store_remote_key_complete(struct store *store, const char *device_id,
			      const uint8_t *naf_id, size_t naf_id_len)
{
	if (!identity_valid(device_id, naf_id, naf_id_len))
		return bad_identity(store);
	return store->ops->remote_key_complete(store, device_id, naf_id,
					       naf_id_len);
}

int store_remote_key_remove(struct store *store, const char *device_id,
			    const uint8_t *naf_id, size_t naf_id_len)
{
	if (!identity_valid(device_id, naf_id, naf_id_len))
		return bad_identity(store);
	return store->ops->remote_key_remove(store, device_id, naf_id,
					     naf_id_len);
}

struct checked_keys {
	struct store *store;
	store_remote_key_fn fn;
	void *arg;
};

static int check_key(const struct store_remote_key_info *info, void *arg)
{
	struct checked_keys *list = arg;

	if (!info_valid(info)) {
		store_set_errmsg(list->store,
				 "a device local key row is damaged");
		return -EUCLEAN;
	}
	return list->fn(info, list->arg);
}

int store_remote_key_list(struct store *store, store_remote_key_fn fn,
			  void *arg)
{
	struct checked_keys list = { store, fn, arg };

	return store->ops->remote_key_list(store, fn ? check_key : NULL,
					   &list);
}

void store_remote_key_wipe(struct store_remote_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
