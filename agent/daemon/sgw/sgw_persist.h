/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's per-IMSI table (sgw_ues.h) kept in the daemon's store (table
 * sgw_ues, store.h), so that a restarted SGW goes on where it stopped: a
 * real MME or P-GW keeps its UE contexts. Without it a restart starts the
 * KSIs at 0 again (a Key ID the HSE still has a live key under) and hands
 * out the pool from its start again (addresses the HSE still has flows
 * for, which it must refuse).
 *
 * Written through, in the store's group commit (store/store_group.h):
 * each change of an entry (a KSI taken, an address given, a TEID held,
 * attached or detached) is made in memory, written in the loop turn's
 * group with its undo, and the answer that depends on it leaves only in
 * the done callback, once the turn's one commit is on disk. When the
 * write or the commit fails, the undo sets the entry back and the request
 * gets 500. What stays in memory: the busy flag (a triplet in flight dies
 * with the process) and the sessions (a challenge not answered before a
 * restart is simply retried by the UE, with a fresh vector and the next
 * KSI).
 *
 * Each write is made only over the row as this instance last had it
 * (store_sgw_ue_replace()): where instances share the store, one that
 * changed the row since makes it -ESTALE, and an address or TEID
 * another IMSI's row holds -EEXIST; the undo below then reads the row
 * as the store has it, and the request gets 500 (the UE tries again),
 * but for a context's -EEXIST, which sgw_hse.c tries again at once with
 * another address.
 *
 * The undo sets the entry to what the store has for it (none: the entry
 * is forgotten), not to the entry before this change: when a commit
 * fails, every change of its group is undone, and an entry changed twice
 * in it (two requests of an IMSI in one turn) must go back past both,
 * whatever order the callbacks run in. Only when the store cannot even be
 * read is the entry set to the record from before the change.
 */
#ifndef E2MD_SGW_PERSIST_H
#define E2MD_SGW_PERSIST_H

#include "sgw_ues.h"
#include "store/store.h"

/*
 * At start: every row into ues. A row whose address the pool no longer
 * holds loses it and its context (logged, and written back as it is
 * now); a row that cannot be restored (its address or TEID another's)
 * fails the start, naming the IMSI. 0 or -errno, logged.
 */
int sgw_persist_restore(struct store *store, struct sgw_ues *ues);

/*
 * Where SGW instances share the store (store_shared(): PostgreSQL), the
 * entry of imsi set to the store's row before a request changes it: the
 * row may be another instance's work since this one last wrote it (a
 * KSI taken there). Made when this instance has none; nothing done on
 * a store no other instance shares, or when there is no row. 0, or
 * -errno (logged) with the entry left as it was: the write that follows
 * is then refused by the store (-ESTALE) rather than made over a row it
 * did not read (sgw_persist_write()).
 */
int sgw_persist_refresh(struct store *store, struct sgw_ues *ues,
			const char *imsi);

/* Told once a change is durable (ret 0), or undone (ret -errno). */
typedef void (*sgw_persist_done)(int ret, void *arg);

/*
 * Writes ue as it is now in the loop turn's group; done(ret, arg) once
 * it is on disk, or once the write or the commit failed and the undo ran
 * (above; *before is the entry before the change, NULL when the entry is
 * new), the failure logged: the caller then answers 500. done NULL:
 * nobody waits, the undo still runs. done may run before this returns (a
 * write that fails at once, no group attached).
 */
void sgw_persist_write(struct store *store, struct sgw_ues *ues,
		       struct sgw_ue *ue, const struct sgw_ue_record *before,
		       sgw_persist_done done, void *arg);

#endif /* E2MD_SGW_PERSIST_H */
