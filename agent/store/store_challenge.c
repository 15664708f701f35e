// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's Ub challenges kept in the store where several BSF
 * processes use it, see store.h: the checks every engine relies on, then
 * the engine's op.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"

bool store_shared(const struct store *store)
{
	return store->ops->shared;
}

static bool kept(const struct store *store)
{
	return store->ops->challenge_take != NULL;
}

static int unshared(struct store *store)
{
	store_set_errmsg(store, "the store's engine keeps no challenges");
	return -EOPNOTSUPP;
}

static bool text_fits(const char *s, size_t max)
{
	return *s && strnlen(s, max + 1) <= max;
}

int store_challenge_add(struct store *store,
			const struct store_challenge *challenge)
{
	const struct store_challenge_info *info = &challenge->pub;

	if (!kept(store))
		return unshared(store);
	if (!text_fits(info->nonce, STORE_NONCE_MAX) ||
	    !text_fits(info->opaque, STORE_OPAQUE_MAX) ||
	    !store_impi_valid(info->impi) ||
	    (info->flags & ~STORE_CHALLENGE_FLAGS) || info->expires_ms <= 0 ||
	    (info->uss[0] && store_uss_check(info->uss))) {
		store_set_errmsg(store, "invalid challenge");
		return -EINVAL;
	}
	return store->ops->challenge_add(store, challenge);
}

int store_challenge_take(struct store *store, const char *nonce,
			 int64_t now_ms, struct store_challenge *challenge)
{
	int ret;

	memset(challenge, 0, sizeof(*challenge));
	if (!kept(store))
		return unshared(store);
	if (!text_fits(nonce, STORE_NONCE_MAX))
		return -ENOENT;		/* no nonce we made */
	ret = store->ops->challenge_take(store, nonce, now_ms, challenge);
	if (ret)
		store_challenge_wipe(challenge);
	return ret;
}

int store_challenge_pending(struct store *store, const char *impi,
			    int64_t min_expires_ms,
			    struct store_challenge_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!kept(store))
		return unshared(store);
	if (!store_impi_valid(impi))
		return -EINVAL;
	return store->ops->challenge_pending(store, impi, min_expires_ms,
					     info);
}

int store_challenge_purge(struct store *store, int64_t now_ms)
{
	if (!kept(store))
		return unshared(store);
	return store->ops->challenge_purge(store, now_ms);
}

void store_challenge_wipe(struct store_challenge *challenge)
{
	OPENSSL_cleanse(challenge, sizeof(*challenge));
}
