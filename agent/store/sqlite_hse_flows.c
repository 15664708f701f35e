// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table hse_flows: the flows an HSE installed (no key).
 * Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

/* The columns of HSE_FLOW_COLUMNS (sqlite_db.h), then the row's MAC. */
enum {
	HF_TEID, HF_UE_TEID, HF_IMSI, HF_RAND, HF_SQN, HF_KSI, HF_UE_ADDRESS,
	HF_UE_PORT, HF_INNER_IPV4, HF_INNER_IPV6, HF_DEVICE, HF_CREATED,
	HF_OWNER, HF_MAC,
};

#define HSE_FLOW_SELECT "SELECT " HSE_FLOW_COLUMNS ", mac FROM hse_flows"

/* The row, its MAC checked last: -EUCLEAN, -EKEYREJECTED or 0. */
static int row_to_hse_flow(struct sqlite_store *ss, sqlite3_stmt *stmt,
			   struct store_hse_flow *f)
{
	int64_t teid = 0, ue_teid = 0, ksi = 0, port = 0;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = db_column_range(stmt, HF_TEID, 1, UINT32_MAX, &teid);
	if (!ret)
		ret = db_column_range(stmt, HF_UE_TEID, 1, UINT32_MAX, &ue_teid);
	if (!ret)
		ret = db_column_text(stmt, HF_IMSI, f->imsi, sizeof(f->imsi));
	if (!ret)
		ret = db_column_bytes_exact(stmt, HF_RAND, f->rand,
					 sizeof(f->rand));
	if (!ret)
		ret = db_column_bytes_exact(stmt, HF_SQN, f->sqn, sizeof(f->sqn));
	if (!ret)
		ret = db_column_range(stmt, HF_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = db_column_text(stmt, HF_UE_ADDRESS, f->ue_address,
				  sizeof(f->ue_address));
	if (!ret)
		ret = db_column_range(stmt, HF_UE_PORT, 1, UINT16_MAX, &port);
	if (!ret)
		ret = db_column_text(stmt, HF_INNER_IPV4, f->inner_ipv4,
				  sizeof(f->inner_ipv4));
	if (!ret && sqlite3_column_bytes(stmt, HF_INNER_IPV6))
		ret = db_column_text(stmt, HF_INNER_IPV6, f->inner_ipv6,
				  sizeof(f->inner_ipv6));
	if (!ret)
		ret = db_column_text(stmt, HF_DEVICE, f->device,
				  sizeof(f->device));
	if (!ret)
		ret = db_column_range(stmt, HF_CREATED, INT64_MIN, INT64_MAX,
				   &f->created);
	if (!ret)
		ret = db_column_text(stmt, HF_OWNER, f->owner,
				  sizeof(f->owner));
	f->teid = (uint32_t)teid;
	f->ue_teid = (uint32_t)ue_teid;
	f->ksi = (uint8_t)ksi;
	f->ue_port = (uint16_t)port;
	if (!ret)
		ret = db_row_mac_check(ss, stmt, "hse_flows", HF_MAC);
	return ret;
}

/* One row, in the transaction in force (SQLite's own if none). */
static int put_hse_flow(struct sqlite_store *ss,
			const struct store_hse_flow *f)
{
	sqlite3_stmt *stmt;
	int ret;

	/* The row and its MAC, in one statement (sqlite_row_mac.c). */
	ret = db_prepare(ss, "INSERT OR REPLACE INTO hse_flows ("
			  HSE_FLOW_COLUMNS ", mac) VALUES (?1, ?2, ?3, ?4,"
			  " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
			  " e2m_row_mac('hse_flows', ?1, ?2, ?3, ?4, ?5, ?6,"
			  " ?7, ?8, ?9, ?10, ?11, ?12, ?13))", &stmt);
	if (ret)
		return ret;
	ret = db_bind_int64(ss, stmt, 1, f->teid);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, f->ue_teid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, f->imsi);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 4, f->rand, sizeof(f->rand));
	if (!ret)
		ret = db_bind_blob(ss, stmt, 5, f->sqn, sizeof(f->sqn));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, f->ksi);
	if (!ret)
		ret = db_bind_text(ss, stmt, 7, f->ue_address);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 8, f->ue_port);
	if (!ret)
		ret = db_bind_text(ss, stmt, 9, f->inner_ipv4);
	if (!ret)
		ret = db_bind_text(ss, stmt, 10, f->inner_ipv6);
	if (!ret)
		ret = db_bind_text(ss, stmt, 11, f->device);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 12, f->created);
	if (!ret)
		ret = db_bind_text(ss, stmt, 13, f->owner);
	return db_step_done(ss, stmt, ret, "put HSE flow");
}

int sqlite_hse_flow_put(struct store *store,
			const struct store_hse_flow *f)
{
	return put_hse_flow(to_sqlite(store), f);
}

int sqlite_hse_flow_put_many(struct store *store,
			     const struct store_hse_flow *flows,
			     size_t n)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = db_begin(ss);
	size_t i;

	for (i = 0; !ret && i < n; i++)
		ret = put_hse_flow(ss, &flows[i]);
	return db_end(ss, ret);
}

int sqlite_hse_flow_get(struct store *store, const char *owner,
			uint32_t teid, struct store_hse_flow *f)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, HSE_FLOW_SELECT " WHERE owner = ?1 AND teid = ?2",
			 &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, owner);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, teid);
	if (!ret) {
		ret = db_step_row(ss, stmt, "HSE flow", "no such HSE flow");
		if (!ret)
			ret = row_to_hse_flow(ss, stmt, f);
		if (ret == -EUCLEAN)
			db_fail(ss, ret, "a HSE flow row is damaged");
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_hse_flow_remove(struct store *store, const char *owner,
			   uint32_t teid)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "DELETE FROM hse_flows WHERE owner = ?1 AND"
			 " teid = ?2", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, owner);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, teid);
	return db_step_one_row(ss, stmt, ret, "remove HSE flow",
			    "no such HSE flow");
}

/* owner's rows by TEID; every owner's (owner first) when owner is NULL. */
int sqlite_hse_flow_list(struct store *store, const char *owner,
			 store_hse_flow_fn fn, void *arg)
{
	struct store_hse_flow f;
	struct db_rows rows;

	if (!db_rows_open(&rows, to_sqlite(store), owner ?
			  HSE_FLOW_SELECT " WHERE owner = ?1 ORDER BY teid" :
			  HSE_FLOW_SELECT " ORDER BY owner, teid",
			  "list HSE flows") && owner)
		rows.ret = db_bind_text(rows.ss, rows.stmt, 1, owner);
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_hse_flow(rows.ss, rows.stmt, &f),
				 "a HSE flow row is damaged"))
			db_rows_visit(&rows, fn ? fn(&f, arg) : 0);
	return db_rows_close(&rows, !fn);
}

/* ---- the migration to schema 18 ---------------------------------------- */

/* The TEIDs of the rows the migration gives an owner. */
struct owned {
	uint32_t *teids;
	size_t n;
};

/*
 * Those rows of owner '' whose MAC of schema 17 holds; a row that fails
 * it stays as it is (refused on read, as the migration to 11 leaves a
 * changed row refused).
 */
static int rows_to_own(struct sqlite_store *ss, struct owned *own)
{
	struct db_rows rows;
	uint32_t *grown;
	int64_t teid;

	db_rows_open(&rows, ss, "SELECT " HSE_FLOW_COLUMNS_17 ", mac FROM"
		     " hse_flows WHERE owner = '' ORDER BY teid",
		     "HSE flow owners");
	while (db_rows_next(&rows)) {
		/* Its 12 columns of schema 17 come first, then mac. */
		if (db_row_mac_check(ss, rows.stmt, "hse_flows@17", HF_OWNER))
			continue;
		grown = realloc(own->teids, (own->n + 1) * sizeof(*grown));
		if (!grown) {
			db_rows_visit(&rows, -ENOMEM);
			break;
		}
		own->teids = grown;
		teid = sqlite3_column_int64(rows.stmt, HF_TEID);
		own->teids[own->n++] = (uint32_t)teid;
	}
	return db_rows_close(&rows, false);
}

/* The row of TEID and owner '' gets owner, and its MAC with it. */
static int give_owner(struct sqlite_store *ss, uint32_t teid,
		      const char *owner)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "UPDATE hse_flows SET owner = ?1,"
			 " mac = e2m_row_mac('hse_flows', " HSE_FLOW_COLUMNS_17
			 ", ?1) WHERE owner = '' AND teid = ?2", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, owner);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, teid);
	return db_step_one_row(ss, stmt, ret, "HSE flow owners",
			       "HSE flow owners: a row went away");
}

/*
 * 17 -> 18, inside the migration's transaction: the rows came over with
 * owner '' and their MAC of schema 17. Each whose MAC holds gets this
 * host's name as its owner (the default instance name here: the one HSE
 * that wrote them goes on with them, Documentation/deploy.md) and a MAC
 * over its columns with it. The store key is checked first (a wrong one
 * leaves the store as it was); the host name matters only when there
 * are rows to give it.
 */
int db_hse_flow_owner_upgrade(struct sqlite_store *ss)
{
	char owner[STORE_HSE_OWNER_MAX + 1];
	struct owned own = { 0 };
	int ret = db_check_key(ss);
	size_t i;

	if (!ret)
		ret = rows_to_own(ss, &own);
	if (!ret && own.n && store_hse_owner_default(owner, sizeof(owner)))
		ret = db_fail(ss, -EINVAL, "hse_flows has rows from before"
			      " schema 18, and this host's name is no HSE"
			      " instance name to give them");
	for (i = 0; !ret && i < own.n; i++)
		ret = give_owner(ss, own.teids[i], owner);
	free(own.teids);
	return ret;
}
