/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thread that makes a store's deferred commits durable (store_group.h):
 * the loop numbers each deferred commit and asks for it; the thread calls
 * the engine's flush() (fdatasync of the WAL, a millisecond or more on a
 * disk) and tells the loop, through an eventfd, the highest commit that
 * flush covered. Asks that come while a flush runs are served by the next
 * one: one flush for every commit made meanwhile.
 *
 * The eventfd's event is pending only while a flush is owed, so a loop
 * with nothing else to do still ends (event_base_dispatch() returns).
 * Only the thread calls flush(); it touches nothing else of the store's.
 * The loop's callback runs on the loop, never on the thread. The thread
 * blocks every signal, so the daemon's handlers run on the loop's thread.
 */
#ifndef E2M_STORE_FLUSHER_H
#define E2M_STORE_FLUSHER_H

#include <stdint.h>

#include <event2/event.h>

#include "store.h"

struct store_flusher;

/* On the loop: the commits up to flushed are durable (ret 0), or not. */
typedef void (*store_flusher_done)(uint64_t flushed, int ret, void *arg);

/* Starts the thread for store's engine. 0 or -errno (no thread then). */
int store_flusher_start(struct store_flusher **flusher, struct store *store,
			struct event_base *base, store_flusher_done done,
			void *arg);

/* Commit number commit (ascending, from 1) is written: flush it. */
void store_flusher_ask(struct store_flusher *flusher, uint64_t commit);

/*
 * Flushes what was asked, stops and frees the thread; *flushed and *ret
 * say what its last flush covered and how it went. done is not called.
 */
void store_flusher_stop(struct store_flusher *flusher, uint64_t *flushed,
			int *ret);

#endif /* E2M_STORE_FLUSHER_H */
