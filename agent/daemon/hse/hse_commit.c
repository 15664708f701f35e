// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's group commit, see hse_commit.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "hse_commit.h"

/* What to tell once the row of the same index is committed. */
struct hse_commit_waiter {
	hse_commit_done done;
	void *arg;
};

struct hse_commit {
	struct event *timer;		/* the next turn of the loop */
	struct store_hse_flow *rows;
	struct hse_commit_waiter *waiters;
	size_t n, cap;
};

static void flush_now(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	hse_commit_flush(arg);
}

static int grow(struct hse_commit *c)
{
	size_t cap = c->cap ? 2 * c->cap : 16;
	struct store_hse_flow *rows = realloc(c->rows, cap * sizeof(*rows));
	struct hse_commit_waiter *waiters;

	if (!rows)
		return -ENOMEM;
	c->rows = rows;
	waiters = realloc(c->waiters, cap * sizeof(*waiters));
	if (!waiters)
		return -ENOMEM;
	c->waiters = waiters;
	c->cap = cap;
	return 0;
}

int hse_commit_queue(struct hse *hse, const struct store_hse_flow *row,
		     hse_commit_done done, void *arg)
{
	static const struct timeval next_turn = { 0, 0 };
	struct hse_commit *c = hse->commit;

	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		c->timer = evtimer_new(hse->daemon->base, flush_now, hse);
		if (!c->timer) {
			free(c);
			return -ENOMEM;
		}
		hse->commit = c;
	}
	if (c->n == c->cap && grow(c))
		return -ENOMEM;
	if (!c->n && evtimer_add(c->timer, &next_turn))
		return -ENOMEM;
	c->rows[c->n] = *row;
	c->waiters[c->n] = (struct hse_commit_waiter){ done, arg };
	c->n++;
	return 0;
}

bool hse_commit_pending(const struct hse *hse, uint32_t teid)
{
	const struct hse_commit *c = hse->commit;
	size_t i;

	for (i = 0; c && i < c->n; i++)
		if (c->rows[i].teid == teid)
			return true;
	return false;
}

void hse_commit_flush(struct hse *hse)
{
	struct hse_commit *c = hse->commit;
	struct store *store = hse->daemon->store;
	struct store_hse_flow *rows;
	struct hse_commit_waiter *waiters;
	size_t i, n;
	int ret;

	if (!c || !c->n)
		return;
	/* Taken out first: a callback may queue the next batch. */
	rows = c->rows;
	waiters = c->waiters;
	n = c->n;
	c->rows = NULL;
	c->waiters = NULL;
	c->n = c->cap = 0;
	evtimer_del(c->timer);
	ret = n == 1 ? store_hse_flow_put(store, rows) :
		       store_hse_flow_put_many(store, rows, n);
	for (i = 0; i < n; i++) {
		int mine = ret && n > 1 ? store_hse_flow_put(store, &rows[i]) :
					  ret;

		waiters[i].done(hse, mine, &rows[i], waiters[i].arg);
	}
	free(rows);
	free(waiters);
}

void hse_commit_stop(struct hse *hse)
{
	struct hse_commit *c = hse->commit;

	if (!c)
		return;
	hse_commit_flush(hse);
	event_free(c->timer);
	free(c->rows);
	free(c->waiters);
	free(c);
	hse->commit = NULL;
}
