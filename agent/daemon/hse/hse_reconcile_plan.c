// SPDX-License-Identifier: GPL-2.0
/*
 * The reconcile's decisions, see hse_reconcile_plan.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hse_reconcile_plan.h"

bool hse_reconcile_row_ours(const struct store_hse_flow *row,
			    const char *owner, const char *device)
{
	return !strcmp(row->owner, owner) && !strcmp(row->device, device);
}

static int teid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sorted, each TEID once; the new length. */
static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t i, out = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), teid_cmp);
	for (i = 0; i < n; i++)
		if (!out || v[out - 1] != v[i])
			v[out++] = v[i];
	return out;
}

/*
 * One merge of the two sorted sides: each TEID on one side only is a
 * step, put in steps when there is room (NULL: only counted); the number
 * of steps.
 */
static size_t merge(const uint32_t *rows, size_t nrows, const uint32_t *flows,
		    size_t nflows, struct hse_reconcile_step *steps,
		    unsigned long *adopted)
{
	size_t r = 0, f = 0, n = 0;
	struct hse_reconcile_step step;

	*adopted = 0;
	while (r < nrows || f < nflows) {
		if (f == nflows || (r < nrows && rows[r] < flows[f])) {
			step = (struct hse_reconcile_step){
				.teid = rows[r++], .op = HSE_RECONCILE_DROP_ROW,
			};
		} else if (r == nrows || flows[f] < rows[r]) {
			step = (struct hse_reconcile_step){
				.teid = flows[f++],
				.op = HSE_RECONCILE_DELETE_FLOW,
			};
		} else {
			(*adopted)++;
			r++;
			f++;
			continue;
		}
		if (steps)
			steps[n] = step;
		n++;
	}
	return n;
}

int hse_reconcile_plan(uint32_t *rows, size_t nrows, uint32_t *flows,
		       size_t nflows, struct hse_reconcile_plan *plan)
{
	size_t n;

	memset(plan, 0, sizeof(*plan));
	nrows = sort_unique(rows, nrows);
	nflows = sort_unique(flows, nflows);
	/* Counted first: a start that adopts nearly all allocates little. */
	n = merge(rows, nrows, flows, nflows, NULL, &plan->adopted);
	if (n) {
		plan->steps = calloc(n, sizeof(*plan->steps));
		if (!plan->steps) {
			plan->adopted = 0;
			return -ENOMEM;
		}
	}
	plan->n = merge(rows, nrows, flows, nflows, plan->steps,
			&plan->adopted);
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const struct hse_key_ref *x = a, *y = b;

	if (x->teid != y->teid)
		return (x->teid > y->teid) - (x->teid < y->teid);
	return (x->serial > y->serial) - (x->serial < y->serial);
}

void hse_reconcile_plan_keys(struct hse_reconcile_plan *plan,
			     struct hse_key_ref *keys, size_t nkeys)
{
	size_t s, k = 0;

	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), key_cmp);
	/* The steps are in TEID order too: one walk over both. */
	for (s = 0; s < plan->n; s++) {
		struct hse_reconcile_step *step = &plan->steps[s];

		while (k < nkeys && keys[k].teid < step->teid)
			k++;
		step->key = k;
		while (k < nkeys && keys[k].teid == step->teid)
			k++;
		step->nkeys = k - step->key;
	}
}

void hse_reconcile_plan_free(struct hse_reconcile_plan *plan)
{
	free(plan->steps);
	memset(plan, 0, sizeof(*plan));
}
