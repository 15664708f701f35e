/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's attach sessions: one per challenge it sends a UE, kept 30 s
 * in a challenge_table (challenge_table.h: answered once, secrets wiped
 * when spent, the key remembered until the lifetime ends so that a replay
 * is told from a session never issued). The key is the session id, 16
 * random octets in lower-case hex.
 *
 * The decoys of unknown IMSIs (sgw_attach.h) are sessions too, found by
 * their id in the same call and spent, replayed and expired alike, but
 * kept in a table of their own: a flood of unknown IMSIs never takes a
 * real session's room. Full of pending decoys, that table forgets its
 * oldest (a decoy holds nothing a UE needs) rather than refusing, so a
 * decoy is never answered 503 where a real session would not be; the
 * forgotten decoy's id is then unknown (404 unknown-session where a
 * pending one's wrong RES gets 403), which a prober can see only by
 * making more than decoys_max attaches of unknown IMSIs within 30 s.
 */
#ifndef E2MD_SGW_SESSIONS_H
#define E2MD_SGW_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/best/attach_msg.h"
#include "aka/challenge_table.h"

#define SGW_SESSIONS_MAX		16384
#define SGW_DECOY_SESSIONS_MAX		4096	/* in a table apart */
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
	bool decoy;		/* of an unknown IMSI: no RES answers it */
	uint8_t ksi;
	struct attach_gtpu ue;			/* the UE's endpoint */
};

int sgw_sessions_new(struct sgw_sessions **sessions, size_t max,
		     size_t decoys_max, uint64_t lifetime_ms);
void sgw_sessions_free(struct sgw_sessions *sessions);

/*
 * A new session (a random id) with the rest of *from (id and entry
 * ignored): 0 and *out, or -ENOSPC, -ENOMEM, -EIO (no randomness).
 */
int sgw_session_add(struct sgw_sessions *sessions,
		    const struct sgw_session *from, uint64_t now_ms,
		    struct sgw_session **out);

/*
 * The same for a decoy (from->decoy set), in the decoys' table, its
 * oldest forgotten when full: 0 and *out, or -ENOMEM, -EIO; -ENOSPC only
 * for a table of no decoys at all.
 */
int sgw_session_add_decoy(struct sgw_sessions *sessions,
			  const struct sgw_session *from, uint64_t now_ms,
			  struct sgw_session **out);

/* The session of that id, pending or spent, or NULL; a decoy's too. */
struct sgw_session *sgw_session_find(struct sgw_sessions *sessions,
				     const uint8_t id[ATTACH_SESSION_LEN],
				     uint64_t now_ms);

/* Answered: XRES wiped, the id kept until it expires. */
void sgw_session_spend(struct sgw_sessions *sessions, struct sgw_session *s);

size_t sgw_sessions_expire(struct sgw_sessions *sessions, uint64_t now_ms);
/* Real sessions pending; decoys, pending or spent. */
size_t sgw_sessions_pending(const struct sgw_sessions *sessions);
size_t sgw_sessions_decoys(const struct sgw_sessions *sessions);

#endif /* E2MD_SGW_SESSIONS_H */
