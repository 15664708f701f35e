// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table sgw_ues: what an SGW keeps per IMSI (no key).
 * Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

/* The columns of SGW_UE_COLUMNS (sqlite_db.h), then the row's MAC. */
enum {
	SU_IMSI, SU_LAST_KSI, SU_INNER_IPV4, SU_HSE_TEID, SU_ATTACHED,
	SU_UE_ADDRESS, SU_UE_PORT, SU_UE_TEID, SU_MAC,
};

#define SGW_UE_SELECT "SELECT " SGW_UE_COLUMNS ", mac FROM sgw_ues"

/* A TEXT column that may be '' (db_column_text() refuses an empty one). */
static int column_text_or_empty(sqlite3_stmt *stmt, int col, char *out,
				size_t size)
{
	out[0] = '\0';
	if (sqlite3_column_type(stmt, col) != SQLITE_TEXT)
		return -EUCLEAN;
	if (!sqlite3_column_bytes(stmt, col))
		return 0;
	return db_column_text(stmt, col, out, size);
}

/* The row, its MAC checked last: -EUCLEAN, -EKEYREJECTED or 0. */
static int row_to_sgw_ue(struct sqlite_store *ss, sqlite3_stmt *stmt,
			 struct store_sgw_ue *u)
{
	int64_t ksi = 0, teid = 0, attached = 0, port = 0, ue_teid = 0;
	int ret;

	memset(u, 0, sizeof(*u));
	ret = db_column_text(stmt, SU_IMSI, u->imsi, sizeof(u->imsi));
	if (!ret)
		ret = db_column_range(stmt, SU_LAST_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = column_text_or_empty(stmt, SU_INNER_IPV4, u->inner_ipv4,
					   sizeof(u->inner_ipv4));
	if (!ret)
		ret = db_column_range(stmt, SU_HSE_TEID, 0, UINT32_MAX, &teid);
	if (!ret)
		ret = db_column_range(stmt, SU_ATTACHED, 0, 1, &attached);
	if (!ret)
		ret = column_text_or_empty(stmt, SU_UE_ADDRESS, u->ue_address,
					   sizeof(u->ue_address));
	if (!ret)
		ret = db_column_range(stmt, SU_UE_PORT, 0, UINT16_MAX, &port);
	if (!ret)
		ret = db_column_range(stmt, SU_UE_TEID, 0, UINT32_MAX, &ue_teid);
	u->last_ksi = (uint8_t)ksi;
	u->hse_teid = (uint32_t)teid;
	u->attached = (uint8_t)attached;
	u->ue_port = (uint16_t)port;
	u->ue_teid = (uint32_t)ue_teid;
	if (!ret)
		ret = db_row_mac_check(ss, stmt, "sgw_ues", SU_MAC);
	return ret;
}

int sqlite_sgw_ue_put(struct store *store,
		      const struct store_sgw_ue *u)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/* The row and its MAC, in one statement (sqlite_row_mac.c). */
	ret = db_prepare(ss, "INSERT OR REPLACE INTO sgw_ues (" SGW_UE_COLUMNS
			  ", mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			  " e2m_row_mac('sgw_ues', ?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			  " ?8))", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, u->imsi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, u->last_ksi);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, u->inner_ipv4);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, u->hse_teid);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, u->attached);
	if (!ret)
		ret = db_bind_text(ss, stmt, 6, u->ue_address);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 7, u->ue_port);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 8, u->ue_teid);
	return db_step_done(ss, stmt, ret, "put SGW UE");
}

int sqlite_sgw_ue_get(struct store *store, const char *imsi,
		      struct store_sgw_ue *u)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, SGW_UE_SELECT " WHERE imsi = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, imsi);
	if (!ret) {
		ret = db_step_row(ss, stmt, "SGW UE", "no such SGW UE");
		if (!ret)
			ret = row_to_sgw_ue(ss, stmt, u);
		if (ret == -EUCLEAN)
			db_fail(ss, ret, "a SGW UE row is damaged");
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_sgw_ue_list(struct store *store, store_sgw_ue_fn fn,
		       void *arg)
{
	struct store_sgw_ue u;
	struct db_rows rows;

	db_rows_open(&rows, to_sqlite(store), SGW_UE_SELECT " ORDER BY imsi",
		     "list SGW UEs");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_sgw_ue(rows.ss, rows.stmt, &u),
				 "a SGW UE row is damaged"))
			db_rows_visit(&rows, fn ? fn(&u, arg) : 0);
	return db_rows_close(&rows, !fn);
}
