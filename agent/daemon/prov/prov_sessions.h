/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key update sessions role prov holds in memory, by a random id
 * (session_msg.h): one per USIM, at most PROV_SESSIONS_MAX, the least
 * recently used dropped first. Each owns its oce_session.
 */
#ifndef E2MD_PROV_SESSIONS_H
#define E2MD_PROV_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "proto/keyupdate/oce_session.h"
#include "proto/keyupdate/session_msg.h"

struct prov_session {
	uint8_t id[KU_SESSION_ID_LEN];
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	uint32_t counter;
	struct oce_session *oce;
	struct prov_session *prev, *next;	/* most recently used first */
};

struct prov_sessions {
	struct prov_session *head, *tail;
	size_t count, max;
};

/*
 * A new session for iccid owning oce (freed on failure too), replacing
 * the USIM's last one and, at max, dropping the least recently used.
 * NULL on -ENOMEM or no randomness.
 */
struct prov_session *prov_sessions_add(struct prov_sessions *s,
				       const char *iccid, const char *imsi,
				       uint32_t counter,
				       struct oce_session *oce);

/* The session of id, now the most recently used; NULL if none. */
struct prov_session *prov_sessions_find(struct prov_sessions *s,
					const uint8_t id[KU_SESSION_ID_LEN]);

void prov_sessions_remove(struct prov_sessions *s, struct prov_session *p);
void prov_sessions_clear(struct prov_sessions *s);

#endif /* E2MD_PROV_SESSIONS_H */
