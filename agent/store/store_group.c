// SPDX-License-Identifier: GPL-2.0
/*
 * Group commit, see store_group.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine.h"
#include "store_flusher.h"
#include "store_group.h"
#include "store_sqn_reserve.h"

#define RESULT_PENDING	1	/* a waiter's write not yet committed */

/* The longest a group waits for the loop to have nothing else ready. */
static const struct timeval group_max_wait = { 0, STORE_GROUP_MAX_WAIT_US };

struct group_waiter {
	store_group_done done;
	void *arg;
	int result;		/* RESULT_PENDING, else the commit's */
	uint64_t after;		/* deferred: answered once this commit is flushed */
	bool by_flush;		/* deferred: its result is that flush's too */
};

struct waiters {
	struct group_waiter *v;
	size_t head, n, cap;	/* waiting: v[head] .. v[n - 1] */
};

/*
 * turn holds the waiters of the group being gathered; where the flush is
 * deferred, flushing holds those committed and not yet flushed, in the
 * order of their ends (after never decreases along it).
 */
struct store_group {
	struct event *timer;	/* the loop has nothing else ready */
	struct event *backstop;	/* ... or group_max_wait has passed */
	bool open;		/* the group's transaction is */
	bool joining;		/* between begin and end */
	struct waiters turn;
	struct waiters flushing;
	struct store_flusher *flusher;	/* NULL: each commit flushes itself */
	uint64_t deferred;	/* deferred commits made, numbered from 1 */
	uint64_t flushed;	/* ... and flushed, as the loop knows it */
	int flush_ret;		/* the result of that flush (sticky) */
	unsigned long long commits, committed_waiters;
};

static void on_timer(evutil_socket_t fd, short what, void *arg);
static void on_flushed(uint64_t flushed, int ret, void *arg);

/* The engine defers its flush to our thread, where it can. */
static void defer_flush(struct store *store, struct event_base *base)
{
	struct store_group *g = store->group;

	if (!store->ops->defer_flush || !store->ops->flush ||
	    store->ops->defer_flush(store, true))
		return;
	if (store_flusher_start(&g->flusher, store, base, on_flushed, store))
		store->ops->defer_flush(store, false);
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
	/* Without it (no thread, no WAL file), each commit flushes. */
	defer_flush(store, base);
	return 0;
}

void store_group_detach(struct store *store)
{
	struct store_group *g = store->group;
	uint64_t flushed;
	int ret;

	if (!g)
		return;
	/* Every waiter answered: the last flush is made here. */
	store_group_flush(store);
	if (g->flusher) {
		store_flusher_stop(g->flusher, &flushed, &ret);
		store->ops->defer_flush(store, false);
	}
	event_free(g->timer);
	event_free(g->backstop);
	free(g->turn.v);
	free(g->flushing.v);
	free(g);
	store->group = NULL;
}

/* w's writes were in the commit just made (ret), deferred as commit. */
static void settle_waiter(struct group_waiter *w, int ret, uint64_t commit)
{
	w->result = ret;
	if (!ret && commit) {
		w->after = commit;
		w->by_flush = true;
	}
}

/* Gives every pending waiter the result of the commit just made. */
static void settle_waiters(struct store_group *g, int ret, uint64_t commit)
{
	size_t i;

	for (i = 0; i < g->turn.n; i++)
		if (g->turn.v[i].result == RESULT_PENDING)
			settle_waiter(&g->turn.v[i], ret, commit);
}

/* What a waiter is told: its commit's result, or its flush's failure. */
static int result_of(const struct store_group *g, const struct group_waiter *w)
{
	return w->by_flush && g->flush_ret ? g->flush_ret : w->result;
}

/*
 * Commits the group's transaction, if open: 0 or the error. *commit is
 * the deferred commit whose flush the group's waiters wait for, 0 where
 * the commit flushed itself (or failed). A deferred commit that wrote
 * nothing asks for no flush, but its waiters still wait for those owed:
 * an HSS vector inside a mark committed and not yet flushed is one.
 */
static int commit_open(struct store *store, uint64_t *commit)
{
	struct store_group *g = store->group;
	bool wrote = true;
	int ret;

	*commit = 0;
	if (!g->open)
		return 0;
	g->open = false;
	ret = store->ops->group_commit(store);
	g->commits++;
	if (ret == STORE_GROUP_NOTHING_WRITTEN) {
		ret = 0;
		wrote = false;
	}
	if (!ret && g->flusher) {
		if (wrote)
			store_flusher_ask(g->flusher, ++g->deferred);
		*commit = g->deferred;
	}
	/* Before any waiter is told: its SQN's mark is (or will be) durable. */
	sqn_reserve_committed(store, ret, *commit > g->flushed ? *commit : 0);
	return ret;
}

/* A flush covered the deferred commits up to flushed. */
static void note_flushed(struct store *store, uint64_t flushed, int ret)
{
	struct store_group *g = store->group;

	if (flushed <= g->flushed)
		return;
	g->flushed = flushed;
	g->flush_ret = ret;
	sqn_reserve_flushed(store, flushed, ret);
}

/* Flushes on the loop's thread: every deferred commit made is durable. */
static void flush_now(struct store *store)
{
	struct store_group *g = store->group;

	if (g->flusher && g->flushed < g->deferred)
		note_flushed(store, g->deferred, store->ops->flush(store));
}

/* Answers the waiters whose commits a flush covered, in order. */
static void answer_flushed(struct store *store)
{
	struct store_group *g = store->group;
	struct waiters *f = &g->flushing;
	struct group_waiter w;

	/* One at a time: a done may end a group, or answer others. */
	while (f->head < f->n && f->v[f->head].after <= g->flushed) {
		w = f->v[f->head++];
		if (f->head == f->n)
			f->head = f->n = 0;
		g->committed_waiters++;
		w.done(result_of(g, &w), w.arg);
	}
}

/* Room for more waiters after w's; the answered ones' room reused. */
static int grow(struct waiters *w, size_t more)
{
	size_t cap = w->cap ? w->cap : 32;
	struct group_waiter *v;

	if (w->head) {
		memmove(w->v, w->v + w->head, (w->n - w->head) * sizeof(*v));
		w->n -= w->head;
		w->head = 0;
	}
	while (cap < w->n + more)
		cap *= 2;
	if (cap == w->cap)
		return 0;
	v = realloc(w->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	w->v = v;
	w->cap = cap;
	return 0;
}

/* Takes the turn's waiters out (a done may begin the next turn) and runs them. */
static void run_turn(struct store_group *g)
{
	struct group_waiter *v = g->turn.v;
	size_t i, n = g->turn.n;

	g->turn.v = NULL;
	g->turn.n = g->turn.cap = 0;
	g->committed_waiters += n;
	for (i = 0; i < n; i++)
		v[i].done(result_of(g, &v[i]), v[i].arg);
	free(v);
}

/*
 * The turn's waiters, committed, wait for the flush that covers them;
 * one whose write flushed on its own (or failed) keeps its place behind
 * the others. Out of memory: flushed on the loop and answered now.
 */
static void queue_for_flush(struct store *store)
{
	struct store_group *g = store->group;
	struct waiters *t = &g->turn;
	size_t i;

	if (!t->n)
		return;
	if (!grow(&g->flushing, t->n)) {
		for (i = 0; i < t->n; i++) {
			if (!t->v[i].by_flush)
				t->v[i].after = g->deferred;
			g->flushing.v[g->flushing.n++] = t->v[i];
		}
		t->n = 0;
		return;
	}
	flush_now(store);
	answer_flushed(store);
	run_turn(g);
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
	uint64_t commit;
	int ret;

	/* The write that follows flushes on its own, and this with it. */
	if (g && g->open) {
		ret = commit_open(store, &commit);
		settle_waiters(g, ret, commit);
	}
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

void store_group_end(struct store *store, store_group_done done, void *arg)
{
	struct store_group *g = store->group;
	struct group_waiter w = { 0 };
	uint64_t commit;
	int ret;

	if (g)
		g->joining = false;
	if (!done)
		return;
	if (!g) {
		done(0, arg);
		return;
	}
	if (grow(&g->turn, 1)) {
		/* No room to wait: commit and flush now, answer now. */
		ret = commit_open(store, &commit);
		settle_waiters(g, ret, commit);
		settle_waiter(&w, ret, commit);
		flush_now(store);
		answer_flushed(store);
		done(result_of(g, &w), arg);
		return;
	}
	g->turn.v[g->turn.n++] = (struct group_waiter){
		.done = done, .arg = arg,
		.result = g->open ? RESULT_PENDING : 0,
	};
	/* begin may have found no transaction: the timer still answers. */
	arm(g);
}

/* The group's turn is over: commit, and answer or queue its waiters. */
static void end_turn(struct store *store, bool flush)
{
	struct store_group *g = store->group;
	uint64_t commit;
	int ret;

	evtimer_del(g->timer);
	evtimer_del(g->backstop);
	ret = commit_open(store, &commit);
	settle_waiters(g, ret, commit);
	if (!g->flusher) {
		run_turn(g);
		return;
	}
	queue_for_flush(store);
	if (flush)
		flush_now(store);
	answer_flushed(store);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	end_turn(arg, false);
}

static void on_flushed(uint64_t flushed, int ret, void *arg)
{
	note_flushed(arg, flushed, ret);
	answer_flushed(arg);
}

void store_group_flush(struct store *store)
{
	if (store->group)
		end_turn(store, true);
}

void store_group_counts(const struct store *store, unsigned long long *commits,
			unsigned long long *waiters)
{
	const struct store_group *g = store->group;

	*commits = g ? g->commits : 0;
	*waiters = g ? g->committed_waiters : 0;
}

bool store_group_deferred(const struct store *store)
{
	return store->group && store->group->flusher;
}

bool store_group_joining(const struct store *store)
{
	return store->group && store->group->joining && store->group->open;
}
