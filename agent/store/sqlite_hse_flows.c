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
	HF_MAC,
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
			  " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			  " e2m_row_mac('hse_flows', ?1, ?2, ?3, ?4, ?5, ?6,"
			  " ?7, ?8, ?9, ?10, ?11, ?12))", &stmt);
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

int sqlite_hse_flow_get(struct store *store, uint32_t teid,
			struct store_hse_flow *f)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, HSE_FLOW_SELECT " WHERE teid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_int64(ss, stmt, 1, teid);
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

int sqlite_hse_flow_remove(struct store *store, uint32_t teid)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "DELETE FROM hse_flows WHERE teid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_int64(ss, stmt, 1, teid);
	return db_step_one_row(ss, stmt, ret, "remove HSE flow",
			    "no such HSE flow");
}

int sqlite_hse_flow_list(struct store *store, store_hse_flow_fn fn,
			 void *arg)
{
	struct store_hse_flow f;
	struct db_rows rows;

	db_rows_open(&rows, to_sqlite(store), HSE_FLOW_SELECT " ORDER BY teid",
		     "list HSE flows");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_hse_flow(rows.ss, rows.stmt, &f),
				 "a HSE flow row is damaged"))
			db_rows_visit(&rows, fn ? fn(&f, arg) : 0);
	return db_rows_close(&rows, !fn);
}
