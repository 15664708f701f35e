/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's rows in the store's group commit (store/store_group.h): the
 * row of a flow installed is written at once, in the loop turn's group,
 * and its triplet is answered only in the group's done callback, once the
 * one commit of the turn is on disk. A 200 still means the row is on
 * disk.
 *
 * A flow is in the kernel before its row is written, as it always was,
 * and before its row is committed for at most a turn of the loop longer:
 * after a crash in that window no 200 went out, and at restart the
 * reconciliation removes the kernel flow that has no row
 * (hse_reconcile.c), so the P-GW's retry starts from nothing. Whatever
 * reads or changes the flow of a TEID whose row waits for the commit
 * commits the group first (hse_commit_flush()), so that it acts on a
 * committed flow and nothing ever sees a row that may yet be lost.
 *
 * A row whose write fails is told so at once (its own savepoint is rolled
 * back, the others stay); a commit that fails fails every row of the
 * group, and nothing of it is in the store: each triplet then undoes its
 * install (no two rows of a group share a TEID: the second triplet of a
 * TEID commits the first's row before it installs, see above).
 */
#ifndef E2MD_HSE_COMMIT_H
#define E2MD_HSE_COMMIT_H

#include <stdbool.h>

#include "hse.h"
#include "store/store.h"

/*
 * Called once per row put: ret 0 when the row is committed, else the
 * store's error (store_strerror()) and the row is not in the store. It
 * may run before hse_commit_put() returns (a write that failed, no
 * group).
 */
typedef void (*hse_commit_done)(struct hse *hse, int ret,
				const struct store_hse_flow *row, void *arg);

/* Writes row in the turn's group; done once it is durable, or not. */
void hse_commit_put(struct hse *hse, const struct store_hse_flow *row,
		    hse_commit_done done, void *arg);

/* Whether a row of teid waits for the group's commit. */
bool hse_commit_pending(const struct hse *hse, uint32_t teid);

/* Commits the group now (the callbacks run before it returns). */
void hse_commit_flush(struct hse *hse);

/* Rows waiting are committed and told: at stop. */
void hse_commit_stop(struct hse *hse);

#endif /* E2MD_HSE_COMMIT_H */
