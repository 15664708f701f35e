/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Role prov's key update sessions, kept in the store (schema 14,
 * store_prov_session_*): one per USIM, found by a random id
 * (session_msg.h), a new start replacing the USIM's last. Each request
 * loads its session, steps it and writes where it stands before the
 * answer goes out, so that a server killed between two requests takes
 * the next one up where the last answer left the USIM. A request whose
 * answer was lost with the server (the server had moved on) no longer
 * fits the session: it fails its check and ends the session like any
 * bad answer; the UE starts again and the USIM answers the same update
 * with 9000 again.
 */
#ifndef E2MD_PROV_SESSIONS_H
#define E2MD_PROV_SESSIONS_H

#include <stdint.h>

#include "proto/keyupdate/oce_session.h"
#include "proto/keyupdate/session_msg.h"
#include "store/store.h"

_Static_assert(KU_SESSION_ID_LEN == STORE_PROV_SESSION_ID_LEN,
	       "the store keeps the id the UE names");

struct prov_session {
	uint8_t id[KU_SESSION_ID_LEN];
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	uint32_t counter;
	struct oce_session *oce;
};

/*
 * A new session, with a fresh random id, for update owning oce (freed on
 * failure too); not in the store until prov_session_keep(). 0 or -ENOMEM,
 * -EIO (no randomness).
 */
int prov_session_new(struct prov_session **out,
		     const struct oce_update *update,
		     struct oce_session *oce);

/*
 * The session of id from the store, taken up again for its update under
 * creds. 0; -ENOENT when there is none, or it cannot go on (its update
 * is no longer queued at its counter, or the server's certificates
 * changed under it): its row is then removed; or the store's error
 * (-EUCLEAN, -EKEYREJECTED for a row that does not open).
 */
int prov_session_load(struct prov_session **out, struct store *store,
		      const struct oce_credentials *creds,
		      const uint8_t id[KU_SESSION_ID_LEN]);

/* Writes where p stands, over the USIM's last session. Durable on 0. */
int prov_session_keep(struct store *store, const struct prov_session *p);

/* The session over: its row removed (none is fine), p freed. */
void prov_session_end(struct store *store, struct prov_session *p);

/* Frees p, its row kept. NULL is fine. */
void prov_session_free(struct prov_session *p);

/*
 * The update queued for iccid as a session's (K and OPc copied into u: the
 * caller wipes it). 0; -ENOENT when none is queued, or, counter not 0,
 * when the one queued has another counter; or the store's error.
 */
int prov_queued_update(struct store *store, const char *iccid,
		       uint32_t counter, struct oce_update *u);

#endif /* E2MD_PROV_SESSIONS_H */
