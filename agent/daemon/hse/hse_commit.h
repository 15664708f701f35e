/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's group commit: the rows of flows installed during one turn of
 * the event loop go to the store in one transaction, at the start of the
 * next turn, and only then is each triplet answered. One commit (one disk
 * flush with synchronous=FULL) per batch instead of one per triplet; a
 * 200 still means the row is on disk.
 *
 * A flow is in the kernel before its row is committed, as it was before
 * this batching, for at most a turn of the loop longer: after a crash in
 * that window no 200 went out, and at restart the reconciliation removes
 * the kernel flow that has no row (hse_reconcile.c), so the P-GW's retry
 * starts from nothing. Whatever reads or changes the flow of a TEID with
 * a row in the batch commits the batch first (hse_commit_flush()), so
 * nothing ever sees the store behind the kernel for that flow.
 *
 * When the batch's transaction fails, each row is tried alone, so that
 * one row's failure fails only its own triplet (which then undoes its
 * install, as before).
 */
#ifndef E2MD_HSE_COMMIT_H
#define E2MD_HSE_COMMIT_H

#include <stdbool.h>

#include "hse.h"
#include "store/store.h"

/*
 * Called once per queued row: ret 0 when the row is committed, else the
 * store's error (store_strerror()) and nothing of it is in the store.
 */
typedef void (*hse_commit_done)(struct hse *hse, int ret,
				const struct store_hse_flow *row, void *arg);

/* 0, or -ENOMEM (then done is never called: put the row yourself). */
int hse_commit_queue(struct hse *hse, const struct store_hse_flow *row,
		     hse_commit_done done, void *arg);

/* Whether a row of teid waits in the batch. */
bool hse_commit_pending(const struct hse *hse, uint32_t teid);

/* Commits the batch now (the callbacks run before it returns). */
void hse_commit_flush(struct hse *hse);

/* The batch is committed, the timer freed: at stop. */
void hse_commit_stop(struct hse *hse);

#endif /* E2MD_HSE_COMMIT_H */
