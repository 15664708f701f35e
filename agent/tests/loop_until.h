/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns of a test's event loop until a condition holds, 5 s at most.
 * Where the store's flush is deferred (store/store_group.h), a group's
 * waiters are told a turn or more after its commit, once the flush thread
 * reports on its eventfd: a test waits for that, not for one turn.
 */
#ifndef E2M_TEST_LOOP_UNTIL_H
#define E2M_TEST_LOOP_UNTIL_H

#include <stdbool.h>
#include <time.h>

#include <event2/event.h>

typedef bool (*loop_cond)(const void *arg);

static inline bool loop_until(struct event_base *base, loop_cond cond,
			      const void *arg)
{
	static const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 5000 && !cond(arg); i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (!cond(arg))
			nanosleep(&ms, NULL);
	}
	return cond(arg);
}

/* A counter that reached a value: loop_until(base, int_reached, &want). */
struct int_reached {
	const int *counter;
	int want;
};

static inline bool int_reached(const void *arg)
{
	const struct int_reached *r = arg;

	return *r->counter >= r->want;
}

/* loop_until() for a counter of the test's. */
static inline bool loop_until_count(struct event_base *base,
				    const int *counter, int want)
{
	struct int_reached r = { counter, want };

	return loop_until(base, int_reached, &r);
}

#endif /* E2M_TEST_LOOP_UNTIL_H */
