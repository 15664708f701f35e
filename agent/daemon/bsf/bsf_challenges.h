/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's Digest AKA challenges in flight on Ub. Each 401 the BSF sends
 * leaves one here with what the UE's answer is checked against (XRES) and
 * what a bootstrap then keeps (RAND, CK, IK, the GBA settings), until the
 * UE answers or the challenge's lifetime ends.
 *
 * The table is challenge_table.h's: a challenge is answered once (spent:
 * secrets wiped, nonce kept until the lifetime ends, so a replay is told
 * from a nonce never issued), the table is bounded, full of pending ones
 * it refuses more (-ENOSPC: the BSF answers 503).
 *
 * The table also knows each IMPI's newest pending challenge, so that the
 * first requests of one IMPI get it again instead of a vector each from
 * the HSS (bsf_challenge_pending_for()).
 *
 * A decoy is the challenge an IMPI the HSS does not know gets (bsf_ub.h),
 * so that Ub tells an outsider nothing about which IMPIs exist. It is
 * handed out again, spent, replayed and expired as a real one is, found by
 * its nonce in the same call, but it lives in a table of its own
 * (decoys_max, BSF_DECOYS_MAX in the daemon), so that a flood of unknown
 * IMPIs never takes a real challenge's slot. Full of pending decoys, that
 * table forgets its oldest one to make room: a decoy is never refused
 * 503 where a real challenge would not be. A forgotten decoy's nonce is
 * then unknown (an answer to it is a first request again: 401
 * stale=true, or 503 within the IMPI's window, where a real one pending
 * would get its 403): telling the two apart takes more than
 * decoys_max first requests of unknown IMPIs within one 30 s lifetime,
 * which the per-source limit (bsf_limits.h) slows down, and tells nothing
 * of an IMPI the prober did not ask for.
 *
 * A decoy's RAND || AUTN is HMAC-SHA-256 under the table's random
 * secret (made at bsf_challenges_new(), never out of the process) over
 * the IMPI, the time it was made and a sequence number: the octets of a
 * nonce no one can tell from a real one's, with the AMF the BSF saw last
 * in a real AUTN so that its one fixed field fits too.
 * Nothing a decoy holds verifies: an answer to it is a wrong one.
 *
 * Time is CLOCK_MONOTONIC in milliseconds, given by the caller (the tests
 * drive it).
 */
#ifndef E2MD_BSF_CHALLENGES_H
#define E2MD_BSF_CHALLENGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/challenge_table.h"
#include "store/store.h"
#include "proto/gba/digest.h"
#include "proto/gba/zh_msg.h"

#define BSF_CHALLENGES_MAX		16384
#define BSF_DECOYS_MAX			4096	/* in a table apart */
#define BSF_CHALLENGE_LIFETIME_MS	30000
/* Handed out again while this much of its lifetime is left. */
#define BSF_CHALLENGE_REUSE_LEFT_MS	15000
#define BSF_OPAQUE_LEN			32	/* hex of 16 random octets */
#define BSF_AUTN_AMF_AT		AKA_SQN_LEN	/* SQN ^ AK || AMF || MAC-A */

struct bsf_challenges;

struct bsf_challenge {
	struct challenge_entry entry;		/* key: the nonce; spent */
	char nonce[DIGEST_AKA_NONCE_LEN + 1];	/* base64(RAND || AUTN) */
	char opaque[BSF_OPAQUE_LEN + 1];	/* random, echoed by the UE */
	char impi[STORE_IMPI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t xres[AKA_RES_LEN];		/* secret */
	uint8_t ck[AKA_CK_LEN];			/* secret */
	uint8_t ik[AKA_IK_LEN];			/* secret */
	bool gba_u;
	bool decoy;		/* for an IMPI the HSS does not know */
	char *uss;		/* the subscriber's USS, "" for none */
	/* The IMPI's index: its newest pending challenge only. */
	struct bsf_challenges *owner;
	struct bsf_challenge *impi_next;
	bool indexed;
};

/*
 * A table for max challenges and decoys_max decoys living lifetime_ms
 * each: 0 or -ENOMEM.
 */
int bsf_challenges_new(struct bsf_challenges **table, size_t max,
		       size_t decoys_max, uint64_t lifetime_ms);

/* Wipes and frees every challenge, then the table. NULL is fine. */
void bsf_challenges_free(struct bsf_challenges *table);

/*
 * A new challenge from the vector av and the USS to keep with it ("" for
 * none): the table makes the nonce and the opaque value. 0 and *out, or
 * -ENOSPC (full), -ENOMEM, -EIO (no random), -EEXIST (that nonce is in
 * the table: a RAND twice, which a working HSS never sends).
 */
int bsf_challenge_add(struct bsf_challenges *table,
		      const struct zh_av_response *av, const char *uss,
		      uint64_t now_ms, struct bsf_challenge **out);

/*
 * A decoy for impi, its AUTN carrying amf, in the decoys' table (its
 * oldest decoy forgotten when full): 0 and *out, or -ENOMEM, -EINVAL
 * (impi too long), -EIO, -EEXIST as bsf_challenge_add(); never -ENOSPC
 * (a table of no decoys at all aside).
 */
int bsf_challenge_add_decoy(struct bsf_challenges *table, const char *impi,
			    const uint8_t amf[AKA_AMF_LEN], uint64_t now_ms,
			    struct bsf_challenge **out);

/*
 * The challenge with that nonce, pending or spent, or NULL when there is
 * none in its lifetime (an expired one found is dropped here).
 */
struct bsf_challenge *bsf_challenge_find(struct bsf_challenges *table,
					 const char *nonce, uint64_t now_ms);

/*
 * The newest pending challenge of impi with at least min_left_ms of its
 * lifetime left (time for the UE to answer), or NULL.
 */
struct bsf_challenge *bsf_challenge_pending_for(struct bsf_challenges *table,
						const char *impi,
						uint64_t now_ms,
						uint64_t min_left_ms);

/* Answered: secrets and USS wiped, the nonce kept until it expires. */
void bsf_challenge_spend(struct bsf_challenges *table,
			 struct bsf_challenge *challenge);

/* Drops every challenge past its lifetime; returns how many. */
size_t bsf_challenges_expire(struct bsf_challenges *table, uint64_t now_ms);

/*
 * How many real challenges are in the table, and how many of them are
 * pending (decoys not counted); how many decoys, pending or spent.
 */
size_t bsf_challenges_count(const struct bsf_challenges *table);
size_t bsf_challenges_pending(const struct bsf_challenges *table);
size_t bsf_challenges_decoys(const struct bsf_challenges *table);

#endif /* E2MD_BSF_CHALLENGES_H */
