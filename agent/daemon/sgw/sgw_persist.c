// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's per-IMSI table in the store, see sgw_persist.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "sgw_persist.h"
#include "store/store_group.h"

#define ROLE	"sgw"

/* ---- a record and a row: the same entry, in memory and in the store ---- */

static void row_of(const struct sgw_ue_record *rec, struct store_sgw_ue *row)
{
	struct in_addr addr = { .s_addr = htonl(rec->inner_ipv4) };

	memset(row, 0, sizeof(*row));
	snprintf(row->imsi, sizeof(row->imsi), "%s", rec->imsi);
	row->last_ksi = rec->last_ksi;
	if (rec->inner_ipv4)
		inet_ntop(AF_INET, &addr, row->inner_ipv4,
			  sizeof(row->inner_ipv4));
	row->hse_teid = rec->hse_teid;
	row->attached = rec->attached;
	if (rec->attached) {
		snprintf(row->ue_address, sizeof(row->ue_address), "%s",
			 rec->ue.address);
		row->ue_port = rec->ue.port;
		row->ue_teid = rec->ue.teid;
	}
}

/* The store checked the row when it read it: its addresses parse. */
static void record_of(const struct store_sgw_ue *row,
		      struct sgw_ue_record *rec)
{
	struct in_addr addr = { 0 };

	memset(rec, 0, sizeof(*rec));
	snprintf(rec->imsi, sizeof(rec->imsi), "%s", row->imsi);
	rec->last_ksi = row->last_ksi;
	if (row->inner_ipv4[0] &&
	    inet_pton(AF_INET, row->inner_ipv4, &addr) == 1)
		rec->inner_ipv4 = ntohl(addr.s_addr);
	rec->hse_teid = row->hse_teid;
	rec->attached = row->attached;
	if (row->attached) {
		snprintf(rec->ue.address, sizeof(rec->ue.address), "%s",
			 row->ue_address);
		rec->ue.port = row->ue_port;
		rec->ue.teid = row->ue_teid;
	}
}

static int put(struct store *store, const struct sgw_ue *ue)
{
	struct sgw_ue_record rec;
	struct store_sgw_ue row;

	sgw_ue_record(ue, &rec);
	row_of(&rec, &row);
	return store_sgw_ue_put(store, &row);
}

/*
 * ue written only over the row before was written as (none: only where
 * there is none): an instance sharing the store that changed the row
 * since makes it -ESTALE, and the undo then reads what it wrote.
 */
static int replace(struct store *store, const struct sgw_ue *ue,
		   const struct sgw_ue_record *before)
{
	struct sgw_ue_record rec;
	struct store_sgw_ue row, expected;

	sgw_ue_record(ue, &rec);
	row_of(&rec, &row);
	/* An entry that never had a KSI has no row. */
	if (!before || before->last_ksi == SGW_KSI_NONE)
		return store_sgw_ue_replace(store, &row, NULL);
	row_of(before, &expected);
	return store_sgw_ue_replace(store, &row, &expected);
}

/* ---- restore ---------------------------------------------------------- */

struct restoring {
	struct store *store;
	struct sgw_ues *ues;
	/* The IMSIs whose address was dropped, to write back. */
	char (*dropped)[BEST_IMSI_SIZE];
	size_t n_dropped, room;
	size_t restored;
	bool failed;			/* a row failed, and was logged */
};

static const char *restore_error(int err)
{
	switch (err) {
	case -EEXIST:
		return "its inner address or HSE TEID is another IMSI's";
	case -EINVAL:
		return "its KSI or context does not hold together";
	default:
		return strerror(-err);
	}
}

static void log_dropped(const struct store_sgw_ue *row)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_WARNING, ROLE, "address-dropped"))
		return;
	log_str(&line, "imsi", row->imsi);
	log_str(&line, "inner-ipv4", row->inner_ipv4);
	log_str(&line, "detail",
		"outside roles.sgw.inner-ipv4-pool now: the context is dropped, the KSI kept");
	log_end(&line);
}

static int remember_dropped(struct restoring *r, const char *imsi)
{
	char (*more)[BEST_IMSI_SIZE];
	size_t room = r->room ? 2 * r->room : 16;

	if (r->n_dropped == r->room) {
		more = realloc(r->dropped, room * sizeof(*more));
		if (!more)
			return -ENOMEM;
		r->dropped = more;
		r->room = room;
	}
	strcpy(r->dropped[r->n_dropped++], imsi);
	return 0;
}

static int restore_row(const struct store_sgw_ue *row, void *arg)
{
	struct restoring *r = arg;
	struct sgw_ue_record rec;
	bool dropped;
	int ret;

	record_of(row, &rec);
	ret = sgw_ues_restore(r->ues, &rec, &dropped);
	if (!ret) {
		r->restored++;
		/* Written back after the list: its fn must not call the
		 * store. */
		if (dropped) {
			log_dropped(row);
			ret = remember_dropped(r, row->imsi);
		}
	}
	if (ret) {
		r->failed = true;
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed",
			"store: the UE of IMSI %s: %s", row->imsi,
			restore_error(ret));
	}
	return ret;
}

/* The rows that lost their address, as they are now: dropped once. */
static int write_back(struct restoring *r)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < r->n_dropped && !ret; i++)
		ret = put(r->store, sgw_ue_find(r->ues, r->dropped[i]));
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed",
			"store: writing back a dropped address: %s",
			store_errmsg(r->store));
	return ret;
}

static void log_restored(const struct restoring *r)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "restored"))
		return;
	log_u64(&line, "ues", r->restored);
	log_u64(&line, "attached", sgw_ues_attached(r->ues));
	log_u64(&line, "addresses-dropped", r->n_dropped);
	log_end(&line);
}

int sgw_persist_restore(struct store *store, struct sgw_ues *ues)
{
	struct restoring r = { .store = store, .ues = ues };
	int ret = store_sgw_ue_list(store, restore_row, &r);

	if (ret < 0 && !r.failed)
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed",
			"store: reading the UEs: %s", store_errmsg(store));
	if (!ret)
		ret = write_back(&r);
	if (!ret)
		log_restored(&r);
	free(r.dropped);
	return ret;
}

/* ---- refresh from a shared store ----------------------------------------- */

int sgw_persist_refresh(struct store *store, struct sgw_ues *ues,
			const char *imsi)
{
	struct sgw_ue_record rec;
	struct store_sgw_ue row;
	struct sgw_ue *ue;
	bool made;
	int ret;

	if (!store_shared(store))
		return 0;
	ret = store_sgw_ue_get(store, imsi, &row);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"store: reading the UE of IMSI %s: %s", imsi,
			store_errmsg(store));
		return ret;
	}
	record_of(&row, &rec);
	made = !sgw_ue_find(ues, imsi);
	ue = sgw_ue_get(ues, imsi);
	if (!ue)
		return -ENOMEM;
	ret = sgw_ue_set(ues, ue, &rec);
	if (ret) {
		/* Its address outside this pool, or another entry's here. */
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"store: the UE of IMSI %s as another instance wrote"
			" it: %s", imsi, restore_error(ret));
		if (made)
			sgw_ue_forget(ues, ue);
	}
	return ret;
}

/* ---- write-through ------------------------------------------------------ */

/*
 * -EEXIST (an address or TEID another instance's UE holds) is the
 * caller's to answer, by another try (sgw_hse.c): a warning.
 */
static void log_store_failed(const char *imsi, const char *detail, int ret)
{
	struct log_line line;

	if (!log_begin(&line, ret == -EEXIST ? LOG_LEVEL_WARNING :
			      LOG_LEVEL_ERROR, ROLE, "store-failed"))
		return;
	log_str(&line, "imsi", imsi);
	log_str(&line, "detail", detail);
	log_end(&line);
}

/* A change written, waiting for the group's commit. */
struct persist_wait {
	struct store *store;
	struct sgw_ues *ues;
	char imsi[BEST_IMSI_SIZE];
	struct sgw_ue_record before;
	bool fresh;			/* no before: the entry was new */
	sgw_persist_done done;
	void *arg;
};

/* The entry back to what the store has (see sgw_persist.h). */
static void undo(struct persist_wait *w)
{
	struct sgw_ue *ue = sgw_ue_find(w->ues, w->imsi);
	struct sgw_ue_record rec;
	struct store_sgw_ue row;
	int ret;

	if (!ue)		/* forgotten by an undo before this one */
		return;
	ret = store_sgw_ue_get(w->store, w->imsi, &row);
	if (ret == -ENOENT || (ret && w->fresh)) {
		sgw_ue_forget(w->ues, ue);
		return;
	}
	if (ret)
		rec = w->before;
	else
		record_of(&row, &rec);
	if (sgw_ue_set(w->ues, ue, &rec))
		/* Cannot be: the store's rows hold together. */
		log_store_failed(w->imsi, "cannot set the entry back", -EIO);
}

static void finish(struct persist_wait *w, int ret)
{
	if (ret) {
		log_store_failed(w->imsi, store_errmsg(w->store), ret);
		undo(w);
	}
	if (w->done)
		w->done(ret, w->arg);
	free(w);
}

static void durable(int ret, void *arg)
{
	finish(arg, ret);
}

void sgw_persist_write(struct store *store, struct sgw_ues *ues,
		       struct sgw_ue *ue, const struct sgw_ue_record *before,
		       sgw_persist_done done, void *arg)
{
	struct persist_wait *w = calloc(1, sizeof(*w));
	int ret;

	if (!w) {
		/* No undo without memory: taken back at once, not written. */
		log_store_failed(ue->imsi, "out of memory", -ENOMEM);
		if (!before)
			sgw_ue_forget(ues, ue);
		else
			sgw_ue_set(ues, ue, before);
		if (done)
			done(-ENOMEM, arg);
		return;
	}
	w->store = store;
	w->ues = ues;
	strcpy(w->imsi, ue->imsi);
	w->fresh = !before;
	if (before)
		w->before = *before;
	w->done = done;
	w->arg = arg;
	store_group_begin(store);
	ret = replace(store, ue, before);
	store_group_end(store, ret ? NULL : durable, w);
	if (ret)
		finish(w, ret);
}
