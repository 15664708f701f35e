// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M bootstrap's Kpm and Ke in the store: the checks before the
 * engine, see store.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "store_engine.h"
#include "util/dns_name.h"

static const char *const target_names[] = {
	[STORE_ONEM2M_MAF] = "maf",
	[STORE_ONEM2M_ENROLEE_B] = "enrolee-b",
};

bool store_onem2m_id_valid(const char *id)
{
	size_t len = strnlen(id, STORE_ONEM2M_ID_MAX + 1), i;

	if (!len || len > STORE_ONEM2M_ID_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

const char *store_onem2m_target_name(enum store_onem2m_target kind)
{
	return (unsigned int)kind <= STORE_ONEM2M_ENROLEE_B ?
	       target_names[kind] : "?";
}

int store_onem2m_target_parse(const char *name,
			      enum store_onem2m_target *kind)
{
	if (!strcmp(name, "maf"))
		*kind = STORE_ONEM2M_MAF;
	else if (!strcmp(name, "enrolee-b"))
		*kind = STORE_ONEM2M_ENROLEE_B;
	else
		return -EINVAL;
	return 0;
}

static bool config_valid(const struct store_onem2m_config *config)
{
	return store_onem2m_id_valid(config->enrolee_id) &&
	       (unsigned int)config->target_kind <= STORE_ONEM2M_ENROLEE_B &&
	       store_onem2m_id_valid(config->target_id);
}

static bool kpm_info_valid(const struct store_onem2m_kpm_info *info)
{
	return store_onem2m_id_valid(info->kpm_id) &&
	       config_valid(&info->config);
}

static bool ke_info_valid(const struct store_onem2m_ke_info *info)
{
	return onem2m_key_id_valid(info->ke_id) &&
	       store_onem2m_id_valid(info->kpm_id) &&
	       config_valid(&info->config) && dns_name_valid(info->mef) &&
	       info->expires > info->created;
}

static int refuse(struct store *store, const char *what)
{
	store_set_errmsg(store, "%s", what);
	return -EINVAL;
}

static int damaged(struct store *store)
{
	store_set_errmsg(store, "a oneM2M key row is damaged");
	return -EUCLEAN;
}

int store_onem2m_kpm_add(struct store *store,
			 const struct store_onem2m_kpm *kpm)
{
	if (!kpm_info_valid(&kpm->pub))
		return refuse(store, "invalid Kpm");
	return store->ops->onem2m_kpm_add(store, kpm);
}

int store_onem2m_kpm_get(struct store *store, const char *kpm_id,
			 struct store_onem2m_kpm *kpm)
{
	int ret;

	memset(kpm, 0, sizeof(*kpm));
	if (!store_onem2m_id_valid(kpm_id))
		return refuse(store, "invalid KpmId");
	ret = store->ops->onem2m_kpm_get(store, kpm_id, kpm);
	/* Damaged values are that, whether or not the seal opened. */
	if ((!ret || ret == -EKEYREJECTED) && !kpm_info_valid(&kpm->pub))
		ret = damaged(store);
	if (ret)
		store_onem2m_kpm_wipe(kpm);
	return ret;
}

int store_onem2m_kpm_remove(struct store *store, const char *kpm_id)
{
	if (!store_onem2m_id_valid(kpm_id))
		return refuse(store, "invalid KpmId");
	return store->ops->onem2m_kpm_remove(store, kpm_id);
}

int store_onem2m_ke_add(struct store *store, const struct store_onem2m_ke *ke)
{
	if (!ke_info_valid(&ke->pub))
		return refuse(store, "invalid Ke");
	return store->ops->onem2m_ke_add(store, ke);
}

int store_onem2m_ke_get(struct store *store, const char *ke_id,
			struct store_onem2m_ke *ke)
{
	int ret;

	memset(ke, 0, sizeof(*ke));
	if (!onem2m_key_id_valid(ke_id))
		return refuse(store, "invalid KeId");
	ret = store->ops->onem2m_ke_get(store, ke_id, ke);
	/* Damaged values are that, whether or not the seal opened. */
	if ((!ret || ret == -EKEYREJECTED) && !ke_info_valid(&ke->pub))
		ret = damaged(store);
	if (ret)
		store_onem2m_ke_wipe(ke);
	return ret;
}

int store_onem2m_ke_purge(struct store *store, int64_t now)
{
	return store->ops->onem2m_ke_purge(store, now);
}

struct checked_kpms {
	struct store *store;
	store_onem2m_kpm_fn fn;
	void *arg;
};

struct checked_kes {
	struct store *store;
	store_onem2m_ke_fn fn;
	void *arg;
};

static int check_kpm(const struct store_onem2m_kpm_info *info, void *arg)
{
	struct checked_kpms *list = arg;

	if (!kpm_info_valid(info))
		return damaged(list->store);
	return list->fn(info, list->arg);
}

static int check_ke(const struct store_onem2m_ke_info *info, void *arg)
{
	struct checked_kes *list = arg;

	if (!ke_info_valid(info))
		return damaged(list->store);
	return list->fn(info, list->arg);
}

int store_onem2m_kpm_list(struct store *store, store_onem2m_kpm_fn fn,
			  void *arg)
{
	struct checked_kpms list = { store, fn, arg };

	return store->ops->onem2m_kpm_list(store, fn ? check_kpm : NULL,
					   &list);
}

int store_onem2m_ke_list(struct store *store, store_onem2m_ke_fn fn,
			 void *arg)
{
	struct checked_kes list = { store, fn, arg };

	return store->ops->onem2m_ke_list(store, fn ? check_ke : NULL, &list);
}

void store_onem2m_kpm_wipe(struct store_onem2m_kpm *kpm)
{
	OPENSSL_cleanse(kpm, sizeof(*kpm));
}

void store_onem2m_ke_wipe(struct store_onem2m_ke *ke)
{
	OPENSSL_cleanse(ke, sizeof(*ke));
}
