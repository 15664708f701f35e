/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's attach sessions: one per challenge it sends a UE, kept 30 s
 * in a challenge_table (challenge_table.h: answered once, secrets wiped
 * when spent, the key remembered until the lifetime ends so that a replay
 * is told from a session never issued). The key is the session id, 16
 * random octets in lower-case hex.
 */
#ifndef E2MD_SGW_SESSIONS_H
#define E2MD_SGW_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/best/attach_msg.h"
#include "aka/challenge_table.h"

#define SGW_SESSIONS_MAX		16384
#define SGW_SESSION_LIFETIME_MS		30000

struct sgw_sessions;

struct sgw_session {
	struct challenge_entry entry;		/* key: hex of id; spent */
	uint8_t id[ATTACH_SESSION_LEN];
	char imsi[BEST_IMSI_SIZE];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	uint8_t xres[AKA_RES_STAR_LEN];		/* secret; XRES* for 5G */
	size_t xres_len;			/* AKA_RES_LEN or _STAR_LEN */
	bool e2m;				/* the vector is marked */
	uint8_t ksi;
	struct attach_gtpu ue;			/* the UE's endpoint */
};

int sgw_sessions_new(struct sgw_sessions **sessions, size_t max,
		     uint64_t lifetime_ms);
void sgw_sessions_free(struct sgw_sessions *sessions);

/*
 * A new session (a random id) with the rest of *from (id and entry
 * ignored): 0 and *out, or -ENOSPC, -ENOMEM, -EIO (no randomness).
 */
int sgw_session_add(struct sgw_sessions *sessions,
		    const struct sgw_session *from, uint64_t now_ms,
		    struct sgw_session **out);

/* The session of that id, pending or spent, or NULL. */
struct sgw_session *sgw_session_find(struct sgw_sessions *sessions,
				     const uint8_t id[ATTACH_SESSION_LEN],
				     uint64_t now_ms);

/* Answered: XRES wiped, the id kept until it expires. */
void sgw_session_spend(struct sgw_sessions *sessions, struct sgw_session *s);

size_t sgw_sessions_expire(struct sgw_sessions *sessions, uint64_t now_ms);
size_t sgw_sessions_pending(const struct sgw_sessions *sessions);

#endif /* E2MD_SGW_SESSIONS_H */
