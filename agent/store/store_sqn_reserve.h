/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SQN reservation: the HSS hands out vectors inside a range of SEQ values
 * it has already made durable, so that most vectors need no write, and no
 * fsync, of their own.
 *
 * Without it every vector waits for its SQN's commit; on a disk that fsync
 * is most of a Ub bootstrap's time (Documentation/testing.md, the bench).
 * With store_sqn_reserve_on(store, window), store_subscriber_sqn_update()
 * keeps each subscriber's SEQ_HE in memory, and the store's sqn_seq is a
 * high-water mark instead: when a vector's SEQ passes the mark, the mark
 * is written as that SEQ + window - 1 (never past the SEQ's maximum) in
 * the same write as ever, and the next window - 1 vectors of the
 * subscriber write nothing. TS 33.102 Annex C lets the network skip SEQ
 * values: the USIM accepts any SEQ above the highest it saw for the IND.
 *
 * Safety. (1) No SEQ is handed out above the mark on disk:
 * store_sqn_reserve_durable() is true only for an SEQ at or below a mark
 * whose commit is on disk (a group's commit once flushed, store_group.h,
 * or a write of its own), and a vector with a later SEQ waits for the
 * commit of its group as before. (2) After kill -9 or a power cut the store says SEQ_HE
 * = the last durable mark, and the next vector gets the SEQ after it:
 * above every SEQ sent, whatever the memory held. At most window - 1
 * SEQs are skipped a crash. (3) The in-memory state is used only while
 * the row still holds the mark and IND this store wrote; anything else
 * (another process, a resynchronisation, a removal) drops it and the row
 * is read as without reservation. (4) At store_close(), with every
 * vector's answer done, the store writes each subscriber's real SEQ_HE
 * back (a clean stop skips nothing), only where the row holds our mark.
 *
 * Readers (store_subscriber_get(), _list()) see the in-memory SEQ_HE and
 * IND: what `subscriber list` reports is the last SEQ handed out, as
 * without reservation.
 *
 * Not thread-safe: one store, one loop.
 */
#ifndef E2M_STORE_SQN_RESERVE_H
#define E2M_STORE_SQN_RESERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* The window the HSS runs with: SEQs reserved a write. */
#define STORE_SQN_WINDOW	64

/* Reservation on, window SEQs a write (at least 2). 0 or -errno. */
int store_sqn_reserve_on(struct store *store, uint64_t window);

/*
 * Whether the SQN state the last store_subscriber_sqn_update() (that
 * returned 0) left is inside a mark already on disk: no commit to wait
 * for. False without reservation.
 */
bool store_sqn_reserve_durable(const struct store *store);

/* The mark written for a subscriber (IMSI), 0 if none: for tests. */
uint64_t store_sqn_reserve_mark(const struct store *store, const char *imsi);

/* ---- for the store ------------------------------------------------------ */

struct sqn_reserve;

/* The update, with reservation when it is on. */
int sqn_reserve_update(struct store *store, const char *id,
		       store_sqn_he_fn fn, void *arg,
		       struct store_subscriber *sub);

/* Overlays the in-memory SEQ_HE on a subscriber read from the store. */
void sqn_reserve_overlay(const struct store *store,
			 struct store_subscriber_info *info);

/* The subscriber (IMSI or IMPI) is gone or changed: forget it. */
void sqn_reserve_forget(struct store *store, const char *id);

/*
 * A group's commit is done: ret 0 and commit 0, its marks are durable;
 * ret 0 and commit > 0 (a deferred commit, store_group.h), they are once
 * sqn_reserve_flushed() covers that commit; ret < 0, dropped.
 */
void sqn_reserve_committed(struct store *store, int ret, uint64_t commit);

/* The deferred commits up to flushed are durable (ret 0), or lost. */
void sqn_reserve_flushed(struct store *store, uint64_t flushed, int ret);

/* Writes every SEQ_HE back and frees the reservations. */
void sqn_reserve_close(struct store *store);

#endif /* E2M_STORE_SQN_RESERVE_H */
