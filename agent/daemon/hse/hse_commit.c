// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's rows in the group commit, see hse_commit.h.
 */
#include <stdlib.h>

#include "daemon/daemon.h"
#include "hse_commit.h"
#include "store/store_group.h"

/* A row written, waiting for the group's commit. */
struct hse_commit {
	struct hse *hse;
	struct store_hse_flow row;
	hse_commit_done done;
	void *arg;
	struct hse_commit *next, **pprev;	/* in hse->commit */
};

static void durable(int ret, void *arg)
{
	struct hse_commit *w = arg;

	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	w->done(w->hse, ret, &w->row, w->arg);
	free(w);
}

void hse_commit_put(struct hse *hse, const struct store_hse_flow *row,
		    hse_commit_done done, void *arg)
{
	struct store *store = hse->daemon->store;
	struct hse_commit *w = malloc(sizeof(*w));
	int ret;

	if (!w) {
		/* Nothing to wait with: a commit of its own, told at once. */
		done(hse, store_hse_flow_put(store, row), row, arg);
		return;
	}
	*w = (struct hse_commit){ .hse = hse, .row = *row, .done = done,
				  .arg = arg };
	store_group_begin(store);
	ret = store_hse_flow_put(store, row);
	if (ret) {
		store_group_end(store, NULL, NULL);
		free(w);
		done(hse, ret, row, arg);
		return;
	}
	/* Linked first: without a loop, durable() runs within the end. */
	w->next = hse->commit;
	if (w->next)
		w->next->pprev = &w->next;
	w->pprev = &hse->commit;
	hse->commit = w;
	store_group_end(store, durable, w);
}

bool hse_commit_pending(const struct hse *hse, uint32_t teid)
{
	const struct hse_commit *w;

	for (w = hse->commit; w; w = w->next)
		if (w->row.teid == teid)
			return true;
	return false;
}

void hse_commit_flush(struct hse *hse)
{
	if (hse->commit)
		store_group_flush(hse->daemon->store);
}

void hse_commit_stop(struct hse *hse)
{
	hse_commit_flush(hse);
}
