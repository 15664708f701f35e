// SPDX-License-Identifier: GPL-2.0
/*
 * SQN reservation, see store_sqn_reserve.h.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine.h"
#include "store_group.h"
#include "store_sqn_reserve.h"

/* One subscriber's SEQ_HE in memory and the mark on its row. */
struct reserved {
	char imsi[STORE_IMSI_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	struct store_sqn_he state;	/* the last SEQ handed out, next IND */
	uint64_t mark;			/* sqn_seq written on the row */
	uint32_t mark_ind;		/* sqn_ind written with it */
	uint64_t durable;		/* the highest mark known on disk */
	bool pending;			/* mark > durable: awaits a commit */
	bool listed;			/* on the pending list */
	/* A deferred commit's mark, durable at its flush (store_group.h): */
	uint64_t flushing_mark;
	uint64_t flushing_commit;	/* the commit that wrote it */
	bool flushing;			/* on the flushing list */
	struct reserved *prev, *next;	/* every reservation */
	struct reserved *next_pending;
	struct reserved *next_flushing;
};

/*
 * Every reservation is in by_imsi and on the all list; those whose mark
 * an open group wrote are also on the pending list, which the group's
 * commit walks (a few entries, not every subscriber). Where the group's
 * flush is deferred, a committed mark waits on the flushing list for the
 * flush that covers its commit; the entry may meanwhile be on the pending
 * list again, with a later mark of the next group.
 */
struct sqn_reserve {
	uint64_t window;
	void *by_imsi;			/* tsearch tree of struct reserved */
	struct reserved *all;
	struct reserved *pending;
	struct reserved *flushing;
	bool last_durable;
};

static int compare_imsi(const void *a, const void *b)
{
	return strcmp(((const struct reserved *)a)->imsi,
		      ((const struct reserved *)b)->imsi);
}

int store_sqn_reserve_on(struct store *store, uint64_t window)
{
	if (window < 2)
		return -EINVAL;
	if (!store->sqn_reserve) {
		store->sqn_reserve = calloc(1, sizeof(*store->sqn_reserve));
		if (!store->sqn_reserve)
			return -ENOMEM;
	}
	store->sqn_reserve->window = window;
	return 0;
}

bool store_sqn_reserve_durable(const struct store *store)
{
	return store->sqn_reserve && store->sqn_reserve->last_durable;
}

static struct reserved *find(const struct sqn_reserve *r, const char *imsi)
{
	struct reserved key;
	struct reserved **found;

	if (strlen(imsi) >= sizeof(key.imsi))
		return NULL;
	strcpy(key.imsi, imsi);
	found = tfind(&key, &r->by_imsi, compare_imsi);
	return found ? *found : NULL;
}

uint64_t store_sqn_reserve_mark(const struct store *store, const char *imsi)
{
	const struct reserved *e;

	if (!store->sqn_reserve)
		return 0;
	e = find(store->sqn_reserve, imsi);
	return e ? e->mark : 0;
}

static void drop(struct sqn_reserve *r, struct reserved *e)
{
	struct reserved **p;

	tdelete(e, &r->by_imsi, compare_imsi);
	if (e->prev)
		e->prev->next = e->next;
	else
		r->all = e->next;
	if (e->next)
		e->next->prev = e->prev;
	for (p = &r->pending; e->listed && *p; p = &(*p)->next_pending) {
		if (*p == e) {
			*p = e->next_pending;
			break;
		}
	}
	for (p = &r->flushing; e->flushing && *p; p = &(*p)->next_flushing) {
		if (*p == e) {
			*p = e->next_flushing;
			break;
		}
	}
	free(e);
}

/* Whether the row read holds what this store wrote there. */
static bool row_is_ours(const struct reserved *e,
			const struct store_sqn_he *row)
{
	return row->seq == e->mark && row->ind == e->mark_ind &&
	       row->ind_bits == e->state.ind_bits;
}

static uint64_t seq_max(unsigned int ind_bits)
{
	return (UINT64_C(1) << (48 - ind_bits)) - 1;
}

struct reserve_call {
	struct sqn_reserve *r;
	store_sqn_he_fn fn;
	void *arg;
	char impi[STORE_IMPI_MAX + 1];
	struct reserved *e;	/* the reservation used, or NULL */
	bool served;		/* inside the mark: nothing written */
	bool write;		/* a new mark written */
	struct store_sqn_he next;	/* the state after fn */
	uint64_t mark;
};

/* Inside the engine's transaction, with the row read into sub. */
static int reserve_fn(struct store_subscriber *sub, void *arg)
{
	struct reserve_call *c = arg;
	struct store_sqn_he row = sub->pub.sqn;
	struct reserved *e = find(c->r, sub->pub.imsi);
	uint64_t max;
	int ret;

	if (e && !row_is_ours(e, &row)) {
		drop(c->r, e);
		e = NULL;
	}
	c->e = e;
	strcpy(c->impi, sub->pub.impi);
	if (e)
		sub->pub.sqn = e->state;
	ret = c->fn(sub, c->arg);
	if (ret)
		return ret;
	c->next = sub->pub.sqn;
	if (e && c->next.seq <= e->mark) {
		c->served = true;
		return 1;
	}
	/* Past the mark: a new one, window SEQs from this vector's. */
	max = seq_max(c->next.ind_bits);
	c->mark = c->next.seq + c->r->window - 1;
	if (c->mark > max || c->mark < c->next.seq)
		c->mark = max;
	c->write = true;
	sub->pub.sqn.seq = c->mark;
	return 0;
}

/* The row now holds c's mark: remember it (a new entry if need be). */
static int remember(struct store *store, struct reserve_call *c,
		    const char *imsi)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct reserved *e = c->e;

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		strcpy(e->imsi, imsi);
		if (!tsearch(e, &r->by_imsi, compare_imsi)) {
			free(e);
			return -ENOMEM;
		}
		e->next = r->all;
		if (r->all)
			r->all->prev = e;
		r->all = e;
	}
	strcpy(e->impi, c->impi);
	e->state = c->next;
	e->mark = c->mark;
	e->mark_ind = c->next.ind;
	/* In an open group the mark is durable at the group's commit. */
	e->pending = store_group_joining(store);
	if (e->pending && !e->listed) {
		e->listed = true;
		e->next_pending = r->pending;
		r->pending = e;
	}
	if (!e->pending)
		e->durable = e->mark;
	r->last_durable = !e->pending;
	return 0;
}

int sqn_reserve_update(struct store *store, const char *id,
		       store_sqn_he_fn fn, void *arg,
		       struct store_subscriber *sub)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct reserve_call c = { .r = r, .fn = fn, .arg = arg };
	int ret;

	if (!r)
		return store->ops->subscriber_sqn_update(store, id, fn, arg,
							 sub);
	r->last_durable = false;
	ret = store->ops->subscriber_sqn_update(store, id, reserve_fn, &c,
						sub);
	if (c.served && ret == 1) {
		c.e->state = c.next;
		sub->pub.sqn = c.next;
		r->last_durable = c.next.seq <= c.e->durable;
		return 0;
	}
	if (c.write && ret == 0) {
		sub->pub.sqn = c.next;
		if (remember(store, &c, sub->pub.imsi)) {
			/* Not kept: the row's mark is what a restart resumes
			 * above; the next vector reads it and starts anew. */
			c.e = NULL;
		}
		return 0;
	}
	/* Failed, or nothing written: the row is as it was. */
	if (c.write && c.e)
		drop(r, c.e);
	return ret;
}

void sqn_reserve_overlay(const struct store *store,
			 struct store_subscriber_info *info)
{
	const struct reserved *e;

	if (!store->sqn_reserve)
		return;
	e = find(store->sqn_reserve, info->imsi);
	if (e && row_is_ours(e, &info->sqn))
		info->sqn = e->state;
}

void sqn_reserve_forget(struct store *store, const char *id)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct reserved *e;

	if (!r)
		return;
	for (e = r->all; e; e = e->next) {
		if (!strcmp(e->imsi, id) || !strcmp(e->impi, id)) {
			drop(r, e);
			return;
		}
	}
}

/* e's mark, committed by commit, is durable at that commit's flush. */
static void await_flush(struct sqn_reserve *r, struct reserved *e,
			uint64_t commit)
{
	e->flushing_mark = e->mark;
	e->flushing_commit = commit;
	if (!e->flushing) {
		e->flushing = true;
		e->next_flushing = r->flushing;
		r->flushing = e;
	}
}

void sqn_reserve_committed(struct store *store, int ret, uint64_t commit)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct reserved *e, *next;

	if (!r)
		return;
	e = r->pending;
	r->pending = NULL;
	for (; e; e = next) {
		next = e->next_pending;
		e->listed = false;
		e->next_pending = NULL;
		if (!e->pending)
			continue;
		if (ret) {
			drop(r, e);
		} else if (commit) {
			await_flush(r, e, commit);
		} else {
			e->pending = false;
			e->durable = e->mark;
		}
	}
}

void sqn_reserve_flushed(struct store *store, uint64_t flushed, int ret)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct reserved **p, *e;

	if (!r)
		return;
	for (p = &r->flushing; *p;) {
		e = *p;
		if (e->flushing_commit > flushed) {
			p = &e->next_flushing;
			continue;
		}
		*p = e->next_flushing;
		e->flushing = false;
		e->next_flushing = NULL;
		if (ret) {
			drop(r, e);
			continue;
		}
		/* A mark written since, outside a group, may be durable already. */
		if (e->flushing_mark > e->durable)
			e->durable = e->flushing_mark;
		/* Listed again: the open group's commit decides. */
		if (!e->listed)
			e->pending = e->mark > e->durable;
	}
}

/* At close: the row gets the real SEQ_HE back where it holds our mark. */
static int write_back(struct store_subscriber *sub, void *arg)
{
	const struct reserved *e = arg;

	if (!row_is_ours(e, &sub->pub.sqn) || e->state.seq == e->mark)
		return 1;
	sub->pub.sqn = e->state;
	return 0;
}

void sqn_reserve_close(struct store *store)
{
	struct sqn_reserve *r = store->sqn_reserve;
	struct store_subscriber sub;

	if (!r)
		return;
	while (r->all) {
		struct reserved *e = r->all;

		memset(&sub, 0, sizeof(sub));
		if (!e->pending)
			store->ops->subscriber_sqn_update(store, e->imsi,
							  write_back, e, &sub);
		store_subscriber_wipe(&sub);
		drop(r, e);
	}
	free(r);
	store->sqn_reserve = NULL;
}
