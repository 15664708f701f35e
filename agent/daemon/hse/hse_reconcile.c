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
#include "daemon/log.h"
#include "kernel/e2m_flow.h"

/* The TEIDs of one side (the kernel's or the store's). */
struct teids {
	uint32_t *v;
	size_t n, cap;
};

struct tally {
	unsigned long adopted, deleted, dropped;
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

static int teid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sorted once, so that a gateway of 10,000 flows starts in n log n. */
static void teids_sort(struct teids *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), teid_cmp);
}

static bool teids_has(const struct teids *t, uint32_t teid)
{
	return t->n && bsearch(&teid, t->v, t->n, sizeof(*t->v), teid_cmp);
}

static int add_kernel_flow(const struct e2m_flow *flow, void *arg)
{
	return teids_add(arg, flow->local_teid);
}

struct rows {
	struct teids teids;
	const char *device;
};

static int add_row(const struct store_hse_flow *row, void *arg)
{
	struct rows *rows = arg;

	return strcmp(row->device, rows->device) ? 0 :
	       teids_add(&rows->teids, row->teid);
}

/* The flow of teid is gone: its keys need not wait for their timeout. */
static void drop_keys(struct hse *hse, uint32_t teid)
{
	int n = hse_keys_drop_teid(hse->ring, teid);

	if (n < 0)
		log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "keys-drop-failed",
			"teid %u: reading " HSE_KEYRING ": %s", teid,
			strerror(-n));
}

static void drop_rows(struct hse *hse, const struct teids *rows,
		      const struct teids *kernel, struct tally *tally)
{
	struct store_hse_flow row;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		if (teids_has(kernel, rows->v[i])) {
			tally->adopted++;
			continue;
		}
		if (store_hse_flow_get(hse->daemon->store, rows->v[i], &row) ||
		    store_hse_flow_remove(hse->daemon->store, rows->v[i]))
			continue;
		tally->dropped++;
		drop_keys(hse, row.teid);
		hse_log_aka_needed(hse, row.teid, row.imsi,
				   "the kernel has no flow: COUNT lost");
	}
}

static void delete_strays(struct hse *hse, const struct teids *rows,
			  const struct teids *kernel, struct tally *tally)
{
	size_t i;

	for (i = 0; i < kernel->n; i++) {
		if (teids_has(rows, kernel->v[i]))
			continue;
		if (e2m_flow_del(&hse->nl, hse->conf->device, kernel->v[i])) {
			log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "flow-delete-failed",
				"teid %u: %s", kernel->v[i], hse->nl.error);
			continue;
		}
		tally->deleted++;
		drop_keys(hse, kernel->v[i]);
		log_msg(LOG_LEVEL_INFO, HSE_ROLE, "flow-deleted",
			"teid %u: no row in the store", kernel->v[i]);
	}
}

static void log_tally(const struct tally *tally)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "reconciled"))
		return;
	log_u64(&line, "adopted", tally->adopted);
	log_u64(&line, "deleted", tally->deleted);
	log_u64(&line, "dropped", tally->dropped);
	log_end(&line);
}

int hse_reconcile(struct hse *hse)
{
	struct teids kernel = { 0 };
	struct rows rows = { .device = hse->conf->device };
	struct tally tally = { 0 };
	int ret;

	ret = e2m_flow_dump(&hse->nl, hse->conf->device, add_kernel_flow,
			    &kernel);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"reading the flows of %s: %s", hse->conf->device,
			hse->nl.error);
		goto out;
	}
	ret = store_hse_flow_list(hse->daemon->store, add_row, &rows);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"reading hse_flows: %s", store_strerror(ret));
		goto out;
	}
	teids_sort(&kernel);
	teids_sort(&rows.teids);
	drop_rows(hse, &rows.teids, &kernel, &tally);
	delete_strays(hse, &rows.teids, &kernel, &tally);
	log_tally(&tally);
out:
	free(kernel.v);
	free(rows.teids.v);
	return ret;
}
