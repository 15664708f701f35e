// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's sessions in the store, see prov_sessions.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "prov_sessions.h"

int prov_session_new(struct prov_session **out,
		     const struct oce_update *update,
		     struct oce_session *oce)
{
	struct prov_session *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || RAND_bytes(p->id, sizeof(p->id)) != 1) {
		free(p);
		oce_session_free(oce);
		return p ? -EIO : -ENOMEM;
	}
	strcpy(p->iccid, update->iccid);
	strcpy(p->imsi, update->imsi);
	p->counter = update->counter;
	p->oce = oce;
	*out = p;
	return 0;
}

void prov_session_free(struct prov_session *p)
{
	if (!p)
		return;
	oce_session_free(p->oce);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

void prov_session_end(struct store *store, struct prov_session *p)
{
	/* A row left behind is replaced or found stale at its next use. */
	store_prov_session_remove(store, p->id);
	prov_session_free(p);
}

int prov_queued_update(struct store *store, const char *iccid,
		       uint32_t counter, struct oce_update *u)
{
	struct store_prov_update rec;
	int ret = store_prov_update_get(store, iccid, &rec);

	if (!ret && (rec.pub.state != STORE_PROV_QUEUED ||
		     (counter && rec.pub.counter != counter)))
		ret = -ENOENT;
	if (!ret) {
		memset(u, 0, sizeof(*u));
		strcpy(u->iccid, rec.pub.iccid);
		strcpy(u->imsi, rec.pub.imsi);
		memcpy(u->k, rec.k, sizeof(u->k));
		memcpy(u->opc, rec.opc, sizeof(u->opc));
		u->counter = rec.pub.counter;
	}
	store_prov_update_wipe(&rec);
	return ret;
}

int prov_session_load(struct prov_session **out, struct store *store,
		      const struct oce_credentials *creds,
		      const uint8_t id[KU_SESSION_ID_LEN])
{
	struct store_prov_session st;
	struct oce_session *oce = NULL;
	struct oce_update u;
	int ret;

	*out = NULL;
	memset(&u, 0, sizeof(u));
	ret = store_prov_session_get(store, id, &st);
	if (!ret)
		ret = prov_queued_update(store, st.iccid, st.counter, &u);
	if (!ret) {
		ret = oce_session_restore(&oce, creds, &u, &st);
		if (ret == -EINVAL)
			ret = -ENOENT;
	}
	if (!ret)
		ret = prov_session_new(out, &u, oce);
	if (!ret)
		memcpy((*out)->id, id, KU_SESSION_ID_LEN);
	else if (ret == -ENOENT)
		store_prov_session_remove(store, id);
	store_prov_session_wipe(&st);
	OPENSSL_cleanse(&u, sizeof(u));
	return ret;
}

int prov_session_keep(struct store *store, const struct prov_session *p)
{
	struct store_prov_session st;
	int ret;

	memset(&st, 0, sizeof(st));
	memcpy(st.id, p->id, sizeof(st.id));
	strcpy(st.iccid, p->iccid);
	ret = oce_session_save(p->oce, &st);
	if (!ret)
		ret = store_prov_session_put(store, &st);
	store_prov_session_wipe(&st);
	return ret;
}
