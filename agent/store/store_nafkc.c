// SPDX-License-Identifier: GPL-2.0
/*
 * A NAF Key Centre's devices and issued keys in the store: the checks
 * before the engine, see store.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"

int store_device_id_valid(const char *device_id)
{
	size_t len = strnlen(device_id, STORE_DEVICE_ID_MAX + 1), i;

	if (!len || len > STORE_DEVICE_ID_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)device_id[i];

		if (c <= 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

static int bad_device(struct store *store)
{
	store_set_errmsg(store, "invalid Device_ID");
	return -EINVAL;
}

int store_device_psk_add(struct store *store, const char *device_id,
			 const uint8_t psk[STORE_DEVICE_PSK_LEN], int64_t now)
{
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_psk_add(store, device_id, psk, now);
}

int store_device_psk_get(struct store *store, const char *device_id,
			 uint8_t psk[STORE_DEVICE_PSK_LEN])
{
	OPENSSL_cleanse(psk, STORE_DEVICE_PSK_LEN);
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_psk_get(store, device_id, psk);
}

int store_device_psk_remove(struct store *store, const char *device_id)
{
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_psk_remove(store, device_id);
}

struct checked_devices {
	struct store *store;
	store_device_fn fn;
	void *arg;
};

static int check_device(const struct store_device_info *info, void *arg)
{
	struct checked_devices *list = arg;

	if (!store_device_id_valid(info->device_id)) {
		store_set_errmsg(list->store, "a device row is damaged");
		return -EUCLEAN;
	}
	return list->fn(info, list->arg);
}

int store_device_psk_list(struct store *store, store_device_fn fn,
			  void *arg)
{
	struct checked_devices list = { store, fn, arg };

	return store->ops->device_psk_list(store, fn ? check_device : NULL,
					   &list);
}

int store_device_block(struct store *store, const char *device_id,
		       int64_t now)
{
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_block(store, device_id, now);
}

int store_device_unblock(struct store *store, const char *device_id)
{
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_unblock(store, device_id);
}

int store_device_blocked(struct store *store, const char *device_id)
{
	if (!store_device_id_valid(device_id))
		return bad_device(store);
	return store->ops->device_blocked(store, device_id);
}

int store_device_block_list(struct store *store, store_device_fn fn,
			    void *arg)
{
	struct checked_devices list = { store, fn, arg };

	return store->ops->device_block_list(store, fn ? check_device : NULL,
					     &list);
}

static bool label_valid(const char *label)
{
	return !strcmp(label, "ks_local_device") ||
	       !strcmp(label, "ks_local_mt");
}

/* At least one FQDN octet before the 5-octet Ua id. */
static bool ks_local_info_valid(const struct store_ks_local_info *info)
{
	return store_btid_valid(info->btid) &&
	       store_device_id_valid(info->device_id) &&
	       label_valid(info->label) && info->naf_id_len > 5 &&
	       info->naf_id_len <= STORE_NAF_ID_MAX &&
	       info->expires > info->issued && info->revoked <= 1;
}

int store_ks_local_put(struct store *store, const struct store_ks_local *k)
{
	if (!ks_local_info_valid(&k->pub) || k->pub.revoked) {
		store_set_errmsg(store, "invalid local key");
		return -EINVAL;
	}
	return store->ops->ks_local_put(store, k);
}

int store_ks_local_get(struct store *store, const char *btid,
		       const char *device_id, const char *label,
		       struct store_ks_local *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	if (!store_btid_valid(btid) || !store_device_id_valid(device_id) ||
	    !label_valid(label)) {
		store_set_errmsg(store, "invalid local key identity");
		return -EINVAL;
	}
	ret = store->ops->ks_local_get(store, btid, device_id, label, k);
	/* Damaged values are that, whether or not the seal opened. */
	if ((!ret || ret == -EKEYREJECTED) && !ks_local_info_valid(&k->pub)) {
		store_set_errmsg(store, "a local key row is damaged");
		ret = -EUCLEAN;
	}
	if (ret)
		store_ks_local_wipe(k);
	return ret;
}

int store_ks_local_revoke(struct store *store, const char *btid,
			  const char *device_id)
{
	if (!store_btid_valid(btid) || !store_device_id_valid(device_id)) {
		store_set_errmsg(store, "invalid local key identity");
		return -EINVAL;
	}
	return store->ops->ks_local_revoke(store, btid, device_id);
}

int store_ks_local_purge(struct store *store, int64_t now)
{
	return store->ops->ks_local_purge(store, now);
}

struct checked_keys {
	struct store *store;
	store_ks_local_fn fn;
	void *arg;
};

static int check_key(const struct store_ks_local_info *info, void *arg)
{
	struct checked_keys *list = arg;

	if (!ks_local_info_valid(info)) {
		store_set_errmsg(list->store, "a local key row is damaged");
		return -EUCLEAN;
	}
	return list->fn(info, list->arg);
}

int store_ks_local_list(struct store *store, store_ks_local_fn fn,
			void *arg)
{
	struct checked_keys list = { store, fn, arg };

	return store->ops->ks_local_list(store, fn ? check_key : NULL, &list);
}

void store_ks_local_wipe(struct store_ks_local *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
