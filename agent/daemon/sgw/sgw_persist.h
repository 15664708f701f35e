/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's per-IMSI table (sgw_ues.h) kept in the daemon's store (table
 * sgw_ues, store.h), so that a restarted SGW goes on where it stopped: a
 * real MME or P-GW keeps its UE contexts. Without it a restart starts the
 * KSIs at 0 again (a Key ID the HSE still has a live key under) and hands
 * out the pool from its start again (addresses the HSE still has flows
 * for, which it must refuse).
 *
 * Written through: each change of an entry (a KSI taken, an address
 * given, a TEID held, attached or detached) is on disk before the answer
 * that depends on it leaves; when the store fails, the entry is set back
 * and the request gets 500. What stays in memory: the busy flag (a triplet
 * in flight dies with the process) and the sessions (a challenge not
 * answered before a restart is simply retried by the UE, with a fresh
 * vector and the next KSI).
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
 * Writes ue as it is now. When the store fails, ue is set back to
 * *before (or forgotten when before is NULL: the entry is new), the
 * failure logged, and -errno returned: the caller answers 500.
 */
int sgw_persist_commit(struct store *store, struct sgw_ues *ues,
		       struct sgw_ue *ue, const struct sgw_ue_record *before);

#endif /* E2MD_SGW_PERSIST_H */
