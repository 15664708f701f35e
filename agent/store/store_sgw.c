// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's UEs in the store: the checks before the engine, see store.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store_address.h"
#include "store_engine.h"

/* A live context: the HSE's TEID, the inner address, the UE's endpoint. */
static bool context_valid(const struct store_sgw_ue *u)
{
	return u->hse_teid && u->inner_ipv4[0] && u->ue_teid && u->ue_port &&
	       store_any_address_valid(u->ue_address, sizeof(u->ue_address));
}

/* Not attached: no endpoint of a UE left behind. */
static bool no_context(const struct store_sgw_ue *u)
{
	return !u->ue_address[0] && !u->ue_port && !u->ue_teid;
}

static bool sgw_ue_valid(const struct store_sgw_ue *u)
{
	if (!store_imsi_valid(u->imsi) || u->last_ksi > STORE_KSI_MAX)
		return false;
	if (u->inner_ipv4[0] &&
	    !store_address_valid(AF_INET, u->inner_ipv4,
				 sizeof(u->inner_ipv4)))
		return false;
	if (u->attached > 1)
		return false;
	return u->attached ? context_valid(u) : no_context(u);
}

int store_sgw_ue_put(struct store *store, const struct store_sgw_ue *ue)
{
	if (!sgw_ue_valid(ue)) {
		store_set_errmsg(store, "invalid SGW UE");
		return -EINVAL;
	}
	return store->ops->sgw_ue_put(store, ue);
}

int store_sgw_ue_replace(struct store *store, const struct store_sgw_ue *ue,
			 const struct store_sgw_ue *expected)
{
	if (!sgw_ue_valid(ue) ||
	    (expected && (!sgw_ue_valid(expected) ||
			  strcmp(expected->imsi, ue->imsi)))) {
		store_set_errmsg(store, "invalid SGW UE");
		return -EINVAL;
	}
	return store->ops->sgw_ue_replace(store, ue, expected);
}

/* A row read back that put would refuse was changed behind the store. */
static int damaged(struct store *store, const struct store_sgw_ue *ue)
{
	store_set_errmsg(store, "the SGW UE row of %.*s is damaged",
			 STORE_IMSI_MAX, ue->imsi);
	return -EUCLEAN;
}

int store_sgw_ue_get(struct store *store, const char *imsi,
		     struct store_sgw_ue *ue)
{
	int ret;

	memset(ue, 0, sizeof(*ue));
	if (!store_imsi_valid(imsi))
		return -EINVAL;
	ret = store->ops->sgw_ue_get(store, imsi, ue);
	/* Damaged values are that, whether or not the row's MAC held. */
	if ((!ret || ret == -EKEYREJECTED) && !sgw_ue_valid(ue))
		ret = damaged(store, ue);
	/* A row refused is never used. */
	if (ret)
		memset(ue, 0, sizeof(*ue));
	return ret;
}

struct checked_list {
	struct store *store;
	store_sgw_ue_fn fn;
	void *arg;
	int count;
};

static int check_then_call(const struct store_sgw_ue *ue, void *arg)
{
	struct checked_list *list = arg;

	if (!sgw_ue_valid(ue))
		return damaged(list->store, ue);
	list->count++;
	return list->fn ? list->fn(ue, list->arg) : 0;
}

/* Every row is checked as put checks it, when counting too. */
int store_sgw_ue_list(struct store *store, store_sgw_ue_fn fn, void *arg)
{
	struct checked_list list = { store, fn, arg, 0 };
	int ret = store->ops->sgw_ue_list(store, check_then_call, &list);

	return ret || fn ? ret : list.count;
}

/* ---- the pool the SGW instances hand out (meta 'sgw_pool') ------------- */

/* IPV4/PREFIX: a dotted quad and 0 to 32, nothing else. */
static bool pool_text_valid(const char *pool)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(pool, '/');
	struct in_addr in;
	char *end;
	long prefix;

	if (!slash || (size_t)(slash - pool) >= sizeof(addr) ||
	    strlen(pool) >= STORE_SGW_POOL_SIZE)
		return false;
	memcpy(addr, pool, (size_t)(slash - pool));
	addr[slash - pool] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1 || slash[1] < '0' ||
	    slash[1] > '9')
		return false;
	prefix = strtol(slash + 1, &end, 10);
	return !*end && prefix <= 32;
}

int store_sgw_pool_get(struct store *store, char pool[STORE_SGW_POOL_SIZE])
{
	uint8_t value[STORE_SGW_POOL_SIZE];
	int ret;

	memset(pool, 0, STORE_SGW_POOL_SIZE);
	ret = store->ops->sgw_pool_get(store, value);
	if (ret)
		return ret;
	memcpy(pool, value, sizeof(value));
	pool[STORE_SGW_POOL_SIZE - 1] = '\0';
	if (!pool_text_valid(pool)) {
		memset(pool, 0, STORE_SGW_POOL_SIZE);
		store_set_errmsg(store, "the SGW pool record is damaged");
		return -EUCLEAN;
	}
	return 0;
}

static int pool_write(struct store *store, const char *pool, bool replace)
{
	uint8_t value[STORE_SGW_POOL_SIZE] = { 0 };

	if (!pool_text_valid(pool)) {
		store_set_errmsg(store, "invalid SGW pool");
		return -EINVAL;
	}
	memcpy(value, pool, strlen(pool));
	return store->ops->sgw_pool_write(store, value, replace);
}

int store_sgw_pool_add(struct store *store, const char *pool)
{
	return pool_write(store, pool, false);
}

int store_sgw_pool_set(struct store *store, const char *pool)
{
	return pool_write(store, pool, true);
}
