// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's flows against the store at start, see hse_reconcile.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "hse_keyring.h"
#include "hse_reconcile.h"
#include "hse_reconcile_plan.h"
#include "store/store_group.h"
#include "daemon/log.h"
#include "kernel/e2m_flow.h"

/* The TEIDs of one side (the kernel's or the store's). */
struct teids {
	uint32_t *v;
	size_t n, cap;
};

static int teids_add(struct teids *t, uint32_t teid)
{
	uint32_t *grown;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		grown = realloc(t->v, t->cap * sizeof(*t->v));
		if (!grown)
			return -ENOMEM;
		t->v = grown;
	}
	t->v[t->n++] = teid;
	return 0;
}

static int add_kernel_flow(const struct e2m_flow *flow, void *arg)
{
	return teids_add(arg, flow->local_teid);
}

struct rows {
	struct teids teids;
	const char *owner, *device;
};

static int add_row(const struct store_hse_flow *row, void *arg)
{
	struct rows *rows = arg;

	return hse_reconcile_row_ours(row, rows->owner, rows->device) ?
	       teids_add(&rows->teids, row->teid) : 0;
}

/* The TEID's flow is gone: its keys need not wait for their timeout. */
static void drop_keys(struct hse *hse, const struct hse_reconcile_step *step,
		      const struct hse_key_ref *keys)
{
	size_t i;

	for (i = step->key; i < step->key + step->nkeys; i++)
		hse_key_drop(hse->ring, keys[i].serial);
}

/* 0 when the row is gone (dropped, logged), nonzero when it stays. */
static int drop_row(struct hse *hse, uint32_t teid)
{
	const char *owner = hse->conf->instance;
	struct store_hse_flow row;

	if (store_hse_flow_get(hse->daemon->store, owner, teid, &row) ||
	    store_hse_flow_remove(hse->daemon->store, owner, teid))
		return -1;
	hse_log_aka_needed(hse, row.teid, row.imsi,
			   "the kernel has no flow: COUNT lost");
	return 0;
}

/* 0 when the flow is gone (deleted, logged), nonzero when it stays. */
static int delete_flow(struct hse *hse, uint32_t teid)
{
	if (e2m_flow_del(&hse->nl, hse->conf->device, teid)) {
		log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "flow-delete-failed",
			"teid %u: %s", teid, hse->nl.error);
		return -1;
	}
	log_msg(LOG_LEVEL_INFO, HSE_ROLE, "flow-deleted",
		"teid %u: no row in the store", teid);
	return 0;
}

/*
 * The keyring is read only when a step may have keys to drop, and once:
 * a start that adopts every flow never reads it.
 */
static void plan_keys(struct hse *hse, struct hse_reconcile_plan *plan,
		      struct hse_key_ref **keys)
{
	size_t nkeys = 0;
	int ret;

	*keys = NULL;
	if (!plan->n)
		return;
	ret = hse_keys_list(hse->ring, keys, &nkeys);
	if (ret < 0)
		log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "keys-drop-failed",
			"reading " HSE_KEYRING ": %s", strerror(-ret));
	hse_reconcile_plan_keys(plan, *keys, nkeys);
}

static void execute(struct hse *hse, const struct hse_reconcile_plan *plan,
		    const struct hse_key_ref *keys)
{
	unsigned long deleted = 0, dropped = 0;
	const struct hse_reconcile_step *step;
	struct log_line line;
	size_t i;

	for (i = 0; i < plan->n; i++) {
		step = &plan->steps[i];
		if (step->op == HSE_RECONCILE_DROP_ROW) {
			if (drop_row(hse, step->teid))
				continue;
			dropped++;
		} else {
			if (delete_flow(hse, step->teid))
				continue;
			deleted++;
		}
		drop_keys(hse, step, keys);
	}
	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "reconciled"))
		return;
	log_u64(&line, "adopted", plan->adopted);
	log_u64(&line, "deleted", deleted);
	log_u64(&line, "dropped", dropped);
	log_end(&line);
}

int hse_reconcile(struct hse *hse)
{
	struct teids kernel = { 0 };
	struct rows rows = {
		.owner = hse->conf->instance, .device = hse->conf->device,
	};
	struct hse_reconcile_plan plan = { 0 };
	struct hse_key_ref *keys = NULL;
	int ret;

	ret = e2m_flow_dump(&hse->nl, hse->conf->device, add_kernel_flow,
			    &kernel);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"reading the flows of %s: %s", hse->conf->device,
			hse->nl.error);
		goto out;
	}
	/* Its own rows only: another instance's are another kernel's. */
	ret = store_hse_flow_list(hse->daemon->store, rows.owner, add_row,
				  &rows);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"reading hse_flows: %s", store_strerror(ret));
		goto out;
	}
	ret = hse_reconcile_plan(rows.teids.v, rows.teids.n, kernel.v, kernel.n,
				&plan);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"reconciling: %s", strerror(-ret));
		goto out;
	}
	plan_keys(hse, &plan, &keys);
	/*
	 * The dropped rows' removals share one commit, made before the role
	 * serves: a crash before it, or a failed commit, leaves rows the next
	 * start drops again (their flows are gone; their keys too).
	 */
	store_group_begin(hse->daemon->store);
	execute(hse, &plan, keys);
	store_group_end(hse->daemon->store, NULL, NULL);
	store_group_flush(hse->daemon->store);
out:
	hse_reconcile_plan_free(&plan);
	free(keys);
	free(kernel.v);
	free(rows.teids.v);
	return ret;
}
