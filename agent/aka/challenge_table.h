/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A table of AKA challenges in flight, whatever the interface: the BSF's
 * Digest nonces on Ub (bsf_challenges.h), the SGW's attach sessions
 * (sgw_sessions.h). An entry is what the UE's answer is checked against
 * (XRES) and what success then needs, until the UE answers or its
 * lifetime ends. The caller's struct embeds a struct challenge_entry and
 * gives the table two functions: one that wipes the secrets of the
 * container, one that frees it.
 *
 * A challenge is answered once: whatever the outcome, the caller spends
 * it, which wipes its secrets at once but keeps its key until the
 * lifetime ends, so a replay is told from a key never issued (or
 * forgotten). After its lifetime an entry is dropped, pending or spent:
 * its key is then unknown.
 *
 * The table is bounded: at most max entries, pending or spent. Adding to
 * a full table drops the expired ones first, then the oldest spent one;
 * when every one is pending and in its lifetime the add fails with
 * -ENOSPC (the caller answers 503, the UE tries again later). Forgetting
 * a spent key early weakens nothing: its secrets are gone, so an answer
 * to it can never verify; only the answer's status changes.
 *
 * Time is CLOCK_MONOTONIC in milliseconds, given by the caller (the tests
 * drive it). The lifetimes are equal, so the oldest entry is always the
 * first to expire: a list from oldest to newest and a hash of the keys.
 */
#ifndef E2MD_CHALLENGE_TABLE_H
#define E2MD_CHALLENGE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHALLENGE_KEY_MAX	64

struct challenge_table;

struct challenge_entry {
	char key[CHALLENGE_KEY_MAX + 1];	/* set by the caller */
	bool spent;
	uint64_t expires_ms;
	/* The table's links. */
	struct challenge_entry *older, *newer, *chain;
};

struct challenge_table_ops {
	/* Wipes the secrets of the entry's container (spend and drop). */
	void (*wipe)(struct challenge_entry *entry);
	/* Frees the container, after wipe. */
	void (*release)(struct challenge_entry *entry);
};

/* A table of max entries living lifetime_ms each: 0 or -ENOMEM. */
int challenge_table_new(struct challenge_table **table, size_t max,
			uint64_t lifetime_ms,
			const struct challenge_table_ops *ops);

/* Wipes and releases every entry, then the table. NULL is fine. */
void challenge_table_free(struct challenge_table *table);

/*
 * Adds entry (its key set, pending) living from now_ms: 0, or -ENOSPC
 * (full of pending ones), -EEXIST (that key is in the table). On error
 * the entry stays the caller's.
 */
int challenge_table_add(struct challenge_table *table,
			struct challenge_entry *entry, uint64_t now_ms);

/*
 * The entry with that key, pending or spent, or NULL when there is none
 * in its lifetime (an expired one found is dropped here).
 */
struct challenge_entry *challenge_table_find(struct challenge_table *table,
					     const char *key,
					     uint64_t now_ms);

/* Answered: secrets wiped, the key kept until it expires. */
void challenge_table_spend(struct challenge_table *table,
			   struct challenge_entry *entry);

/*
 * Drops the oldest entry, pending or spent; whether there was one. For a
 * table whose entries hold nothing a UE needs (the decoys of unknown
 * identities): full, it makes room by forgetting its oldest rather than
 * refusing, so that a flood of them is never answered otherwise.
 */
bool challenge_table_drop_oldest(struct challenge_table *table);

/*
 * challenge_table_add() for such a table: full of pending entries, it
 * drops its oldest and adds entry, never -ENOSPC (-EEXIST as there).
 */
int challenge_table_add_forgetting(struct challenge_table *table,
				   struct challenge_entry *entry,
				   uint64_t now_ms);

/* Drops every entry past its lifetime; returns how many. */
size_t challenge_table_expire(struct challenge_table *table,
			      uint64_t now_ms);

size_t challenge_table_count(const struct challenge_table *table);
size_t challenge_table_pending(const struct challenge_table *table);

#endif /* E2MD_CHALLENGE_TABLE_H */
