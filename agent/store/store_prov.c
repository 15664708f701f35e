// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's record of its key updates in the store: the checks before
 * the engine, see store.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"

static const char *const state_names[] = {
	[STORE_PROV_QUEUED] = "queued",
	[STORE_PROV_USIM_DONE] = "usim-done",
	[STORE_PROV_HSS_DONE] = "hss-done",
};

#define N_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *store_prov_state_name(enum store_prov_state state)
{
	return (unsigned int)state < N_STATES ? state_names[state] : "?";
}

int store_prov_state_parse(const char *name, enum store_prov_state *state)
{
	size_t i;

	for (i = 0; i < N_STATES; i++) {
		if (!strcmp(name, state_names[i])) {
			*state = (enum store_prov_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

int store_prov_update_add(struct store *store,
			  const struct store_prov_update *update)
{
	const struct store_prov_update_info *info = &update->pub;

	if (!store_iccid_valid(info->iccid) || !store_imsi_valid(info->imsi) ||
	    !info->counter || info->state != STORE_PROV_QUEUED) {
		store_set_errmsg(store, "invalid key update");
		return -EINVAL;
	}
	return store->ops->prov_update_add(store, update);
}

int store_prov_update_get(struct store *store, const char *iccid,
			  struct store_prov_update *update)
{
	int ret;

	memset(update, 0, sizeof(*update));
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	ret = store->ops->prov_update_get(store, iccid, update);
	if (ret)
		store_prov_update_wipe(update);
	return ret;
}

int store_prov_update_advance(struct store *store, const char *iccid,
			      uint32_t counter, enum store_prov_state state)
{
	if (!store_iccid_valid(iccid) || !counter ||
	    state == STORE_PROV_QUEUED || (unsigned int)state >= N_STATES)
		return -EINVAL;
	return store->ops->prov_update_advance(store, iccid, counter, state);
}

int store_prov_update_list(struct store *store, store_prov_update_fn fn,
			   void *arg)
{
	return store->ops->prov_update_list(store, fn, arg);
}

void store_prov_update_wipe(struct store_prov_update *update)
{
	OPENSSL_cleanse(update, sizeof(*update));
}

/* ---- the sessions (schema 14) ------------------------------------------- */

static bool session_valid(const struct store_prov_session *s)
{
	return store_iccid_valid(s->iccid) && s->counter &&
	       (unsigned int)s->step <= STORE_PROV_STEP_UPDATE &&
	       s->certs_sent >= 1 && s->certs_sent <= 4;
}

int store_prov_session_put(struct store *store,
			   const struct store_prov_session *session)
{
	if (!session_valid(session)) {
		store_set_errmsg(store, "invalid key update session");
		return -EINVAL;
	}
	return store->ops->prov_session_put(store, session);
}

int store_prov_session_get(struct store *store,
			   const uint8_t id[STORE_PROV_SESSION_ID_LEN],
			   struct store_prov_session *session)
{
	int ret;

	memset(session, 0, sizeof(*session));
	ret = store->ops->prov_session_get(store, id, session);
	if (ret)
		store_prov_session_wipe(session);
	return ret;
}

int store_prov_session_remove(struct store *store,
			      const uint8_t id[STORE_PROV_SESSION_ID_LEN])
{
	return store->ops->prov_session_remove(store, id);
}

int store_prov_session_count(struct store *store)
{
	return store->ops->prov_session_count(store);
}

int store_prov_session_purge(struct store *store, int64_t before)
{
	return store->ops->prov_session_purge(store, before);
}

void store_prov_session_wipe(struct store_prov_session *session)
{
	OPENSSL_cleanse(session, sizeof(*session));
}
