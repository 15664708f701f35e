// SPDX-License-Identifier: GPL-2.0
/*
 * Group commit, see store_group.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "store_engine.h"
#include "store_group.h"
#include "store_sqn_reserve.h"

#define RESULT_PENDING	1	/* a waiter's write not yet committed */

/* The longest a group waits for the loop to have nothing else ready. */
static const struct timeval group_max_wait = { 0, STORE_GROUP_MAX_WAIT_US };

struct group_waiter {
	store_group_done done;
	void *arg;
	int result;		/* RESULT_PENDING, else the commit's */
};

struct store_group {
	struct event *timer;	/* the loop has nothing else ready */
	struct event *backstop;	/* ... or group_max_wait has passed */
	bool open;		/* the group's transaction is */
	bool joining;		/* between begin and end */
	struct group_waiter *waiters;
	size_t n, cap;
	unsigned long long commits, committed_waiters;
};

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	store_group_flush(arg);
}

int store_group_attach(struct store *store, struct event_base *base)
{
	struct store_group *g;

	if (store->group)
		return 0;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->timer = evtimer_new(base, on_timer, store);
	g->backstop = evtimer_new(base, on_timer, store);
	if (!g->timer || !g->backstop) {
		if (g->timer)
			event_free(g->timer);
		free(g);
		return -ENOMEM;
	}
	/*
	 * Last of every turn where the base has priorities (daemon.c): the
	 * handshakes and requests ready in the same turn run first, and
	 * their writes join this commit; the backstop keeps the default
	 * priority, so a loop that is never idle still commits in time.
	 */
	if (event_base_get_npriorities(base) > 1)
		event_priority_set(g->timer,
				   event_base_get_npriorities(base) - 1);
	store->group = g;
	return 0;
}

void store_group_detach(struct store *store)
{
	struct store_group *g = store->group;

	if (!g)
		return;
	store_group_flush(store);
	event_free(g->timer);
	event_free(g->backstop);
	free(g->waiters);
	free(g);
	store->group = NULL;
}

/* Gives every pending waiter the result of the commit just made. */
static void settle_waiters(struct store_group *g, int ret)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->waiters[i].result == RESULT_PENDING)
			g->waiters[i].result = ret;
}

static int commit_open(struct store *store)
{
	struct store_group *g = store->group;
	int ret;

	if (!g->open)
		return 0;
	g->open = false;
	ret = store->ops->group_commit(store);
	g->commits++;
	/* Before any waiter is told: its SQN's mark is durable now. */
	sqn_reserve_committed(store, ret);
	return ret;
}

/* The flush on the next idle turn of the loop, group_max_wait at most. */
static void arm(struct store_group *g)
{
	static const struct timeval next_turn = { 0, 0 };

	if (!evtimer_pending(g->timer, NULL))
		evtimer_add(g->timer, &next_turn);
	if (!evtimer_pending(g->backstop, NULL))
		evtimer_add(g->backstop, &group_max_wait);
}

void store_group_settle(struct store *store)
{
	struct store_group *g = store->group;

	if (g && g->open)
		settle_waiters(g, commit_open(store));
}

int store_group_begin(struct store *store)
{
	struct store_group *g = store->group;
	int ret;

	if (!g)
		return 0;
	if (!g->open) {
		/* Not open: the writes commit one by one, done on the timer. */
		ret = store->ops->group_open(store);
		if (ret)
			return ret == -EBUSY ? ret : 0;
		g->open = true;
	}
	arm(g);
	g->joining = true;
	return 0;
}

static int grow(struct store_group *g)
{
	size_t cap = g->cap ? 2 * g->cap : 32;
	struct group_waiter *w = realloc(g->waiters, cap * sizeof(*w));

	if (!w)
		return -ENOMEM;
	g->waiters = w;
	g->cap = cap;
	return 0;
}

void store_group_end(struct store *store, store_group_done done, void *arg)
{
	struct store_group *g = store->group;
	int ret;

	if (g)
		g->joining = false;
	if (!done)
		return;
	if (!g) {
		done(0, arg);
		return;
	}
	if (g->n == g->cap && grow(g)) {
		/* No room to wait: commit now, answer now. */
		ret = commit_open(store);
		settle_waiters(g, ret);
		done(ret, arg);
		return;
	}
	g->waiters[g->n++] = (struct group_waiter){
		.done = done, .arg = arg,
		.result = g->open ? RESULT_PENDING : 0,
	};
	/* begin may have found no transaction: the timer still answers. */
	arm(g);
}

void store_group_flush(struct store *store)
{
	struct store_group *g = store->group;
	struct group_waiter *waiters;
	size_t i, n;

	if (!g)
		return;
	evtimer_del(g->timer);
	evtimer_del(g->backstop);
	settle_waiters(g, commit_open(store));
	/* Taken out first: a done may begin the next group. */
	waiters = g->waiters;
	n = g->n;
	g->waiters = NULL;
	g->n = g->cap = 0;
	g->committed_waiters += n;
	for (i = 0; i < n; i++)
		waiters[i].done(waiters[i].result, waiters[i].arg);
	free(waiters);
}

void store_group_counts(const struct store *store, unsigned long long *commits,
			unsigned long long *waiters)
{
	const struct store_group *g = store->group;

	*commits = g ? g->commits : 0;
	*waiters = g ? g->committed_waiters : 0;
}

bool store_group_joining(const struct store *store)
{
	return store->group && store->group->joining && store->group->open;
}
