/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Group commit: the durable writes a daemon makes during one turn of its
 * event loop share one transaction and one disk flush, and each request
 * that waited for its write is answered only once that flush is done.
 *
 * With synchronous=FULL every commit is an fsync, and a role that answers
 * only after a durable write (the HSS's SQN advance before a vector, the
 * BSF's session before its 200) waited for one fsync per request: on a
 * disk that is a fifth of what the same roles do on tmpfs. Here a request
 * does
 *
 *	store_group_begin(store);
 *	... its writes, through store.h as ever ...
 *	store_group_end(store, done, arg);
 *
 * and answers in done(ret, arg): ret 0 once every write between begin and
 * end is on disk, else the error of the commit (nothing of the group is in
 * the store then: answer with an error, never with what was written).
 *
 * The first begin of a turn opens the group's transaction (it takes the
 * write lock, as each write did: no other process reads an SQN of ours
 * half way) and arms a timer of zero seconds; the timer fires on the next
 * turn of the loop, after the requests that turn brought have joined,
 * commits once and runs every done in the order of their ends. Where the
 * loop's base has event priorities (e2md's has three) that timer has the
 * lowest: it waits while the loop has other events ready (handshakes and
 * requests whose writes join the same commit: a disk's flush blocks the
 * loop, so one flush for more requests is what lets a loaded role keep
 * up), and a second timer at the default priority commits after
 * STORE_GROUP_MAX_WAIT_US whatever the load. An idle loop commits on the
 * next turn, as before. Each write
 * in the group is a savepoint of its own, so one that fails leaves the
 * others as they were and fails alone, at once (the write's own return
 * value), as without the group.
 *
 * A write made outside begin/end (the admin socket's, a purge's) while a
 * group is open must be durable when it returns, as it always was: the
 * engine commits the group first (store_group_settle()), then the write
 * in a transaction of its own. The group's done callbacks still run on the
 * timer, with that commit's result. Reads in between see the group's
 * writes: a session not yet answered, an SQN ahead; nothing a reader can
 * act on before the answer that names it.
 *
 * The flush is off the loop where the engine allows (SQLite: the WAL's
 * fdatasync, sqlite_flush.c): the group's COMMIT writes and returns, and a
 * thread of the store's (store_flusher.h) flushes while the loop goes on,
 * gathering the next group; the waiters of a commit are answered, on the
 * loop and in order, once a flush that covers it is done, with its
 * result. The loop no longer sits in fdatasync (about 2 ms a commit on
 * this project's disks); commits made during a flush share the next one.
 * A write outside the group still flushes before it returns, and
 * store_group_flush() flushes on the loop before it answers.
 *
 * kill -9, or a power cut, before the flush loses the whole group and
 * nothing of it was answered: no SQN of a vector sent is ever reused, no
 * B-TID answered is unknown after a restart.
 *
 * A vector of the HSS mostly writes nothing: its SEQ lies inside a range
 * already reserved on disk (store_sqn_reserve.h); only the write of a
 * new mark joins a group and waits for its commit. What makes that
 * safe, and the commit hook that marks a range durable, is there.
 *
 * Without store_group_attach() (e2mctl, the unit tests), begin does
 * nothing, every write commits on its own as before, and end runs done at
 * once. done may run before store_group_end() returns in that case, and
 * when the group cannot queue (out of memory: then it commits at once):
 * callers end with store_group_end() and touch nothing after it.
 *
 * Not thread-safe: one store, one loop.
 */
#ifndef E2M_STORE_GROUP_H
#define E2M_STORE_GROUP_H

#include <stdbool.h>

#include <event2/event.h>

#include "store.h"

typedef void (*store_group_done)(int ret, void *arg);

/* The longest a group's commit waits for its loop to be idle. */
#define STORE_GROUP_MAX_WAIT_US	5000

/* Group commit on for store, its flush on base's loop. 0 or -ENOMEM. */
int store_group_attach(struct store *store, struct event_base *base);

/*
 * Commits what is open, runs every waiting done, and turns group commit
 * off (writes commit one by one again). Before the waiters' owners go.
 */
void store_group_detach(struct store *store);

/*
 * The writes until store_group_end() join the group (see above). 0, or
 * -EBUSY when the group could not open because another process held the
 * store's write lock through the whole busy wait: the caller's writes
 * would each wait as long again for the same lock, so one that must write
 * refuses now (503, daemon/store_refusal.h) and keeps its loop's turn
 * short; it still calls store_group_end(). Without a group, or on an
 * engine that offers none, 0: the writes commit one by one.
 */
int store_group_begin(struct store *store);

/*
 * Ends the caller's writes; done(ret, arg) once they are durable. done
 * NULL: the caller waits for nothing (its writes failed, say).
 */
void store_group_end(struct store *store, store_group_done done, void *arg);

/*
 * Commits the group now, flushes every commit made, and runs the waiting
 * done callbacks, before it returns.
 */
void store_group_flush(struct store *store);

/* Commits done since attach, and the writes they carried, for status. */
void store_group_counts(const struct store *store, unsigned long long *commits,
			unsigned long long *waiters);

/* Whether the flush is off the loop (above). */
bool store_group_deferred(const struct store *store);

/* ---- for engines -------------------------------------------------------- */

/* Whether a write now joins the group's open transaction. */
bool store_group_joining(const struct store *store);

/*
 * A write outside begin/end is about to run while the group's transaction
 * is open: commit it now (durably); the waiters get the result on the
 * timer.
 */
void store_group_settle(struct store *store);

#endif /* E2M_STORE_GROUP_H */
