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

/* Binds u's columns to ?first .. ?first + 7, in SGW_UE_COLUMNS' order. */
static int bind_sgw_ue(struct sqlite_store *ss, sqlite3_stmt *stmt,
		       int first, const struct store_sgw_ue *u)
{
	int ret = db_bind_text(ss, stmt, first, u->imsi);

	if (!ret)
		ret = db_bind_int64(ss, stmt, first + 1, u->last_ksi);
	if (!ret)
		ret = db_bind_text(ss, stmt, first + 2, u->inner_ipv4);
	if (!ret)
		ret = db_bind_int64(ss, stmt, first + 3, u->hse_teid);
	if (!ret)
		ret = db_bind_int64(ss, stmt, first + 4, u->attached);
	if (!ret)
		ret = db_bind_text(ss, stmt, first + 5, u->ue_address);
	if (!ret)
		ret = db_bind_int64(ss, stmt, first + 6, u->ue_port);
	if (!ret)
		ret = db_bind_int64(ss, stmt, first + 7, u->ue_teid);
	return ret;
}

#define SGW_UE_VALUES "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8," \
	" e2m_row_mac('sgw_ues', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"

/* Runs a write of u (and of expected at ?9 on, if any): 0 or -errno. */
static int write_sgw_ue(struct sqlite_store *ss, const char *sql,
			const struct store_sgw_ue *u,
			const struct store_sgw_ue *expected, bool one_row)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	ret = bind_sgw_ue(ss, stmt, 1, u);
	if (!ret && expected)
		ret = bind_sgw_ue(ss, stmt, 9, expected);
	if (one_row)
		ret = db_step_one_row(ss, stmt, ret, "put SGW UE", "");
	else
		ret = db_step_done(ss, stmt, ret, "put SGW UE");
	if (ret == -ENOENT)	/* one_row's: nothing changed */
		ret = db_fail(ss, -ESTALE, "the SGW UE row changed since it"
			      " was read (another instance?)");
	if (ret == -EEXIST)
		db_fail(ss, ret, "the inner address or HSE TEID is another"
			" IMSI's");
	return ret;
}

/*
 * An upsert, not INSERT OR REPLACE: that would delete another IMSI's row
 * holding the same address (sgw_ues_by_inner_ipv4) instead of refusing.
 */
int sqlite_sgw_ue_put(struct store *store,
		      const struct store_sgw_ue *u)
{
	return write_sgw_ue(to_sqlite(store), "INSERT INTO sgw_ues ("
			    SGW_UE_COLUMNS ", mac) VALUES (" SGW_UE_VALUES ")"
			    " ON CONFLICT (imsi) DO UPDATE SET"
			    " last_ksi = excluded.last_ksi,"
			    " inner_ipv4 = excluded.inner_ipv4,"
			    " hse_teid = excluded.hse_teid,"
			    " attached = excluded.attached,"
			    " ue_address = excluded.ue_address,"
			    " ue_port = excluded.ue_port,"
			    " ue_teid = excluded.ue_teid, mac = excluded.mac",
			    u, NULL, false);
}

/*
 * The row as expected, its MAC checked too (a row changed behind the
 * store is refused, -EKEYREJECTED, not overwritten).
 */
int sqlite_sgw_ue_replace(struct store *store, const struct store_sgw_ue *u,
			  const struct store_sgw_ue *expected)
{
	struct sqlite_store *ss = to_sqlite(store);

	if (!expected)
		return write_sgw_ue(ss, "INSERT INTO sgw_ues (" SGW_UE_COLUMNS
				    ", mac) VALUES (" SGW_UE_VALUES ")"
				    " ON CONFLICT (imsi) DO NOTHING", u, NULL,
				    true);
	return write_sgw_ue(ss, "UPDATE sgw_ues SET last_ksi = ?2,"
			   " inner_ipv4 = ?3, hse_teid = ?4, attached = ?5,"
			   " ue_address = ?6, ue_port = ?7, ue_teid = ?8,"
			   " mac = e2m_row_mac('sgw_ues', ?1, ?2, ?3, ?4, ?5,"
			   " ?6, ?7, ?8)"
			   " WHERE imsi = ?1 AND last_ksi = ?10"
			   " AND inner_ipv4 = ?11 AND hse_teid = ?12"
			   " AND attached = ?13 AND ue_address = ?14"
			   " AND ue_port = ?15 AND ue_teid = ?16"
			   " AND e2m_row_check('sgw_ues', mac, " SGW_UE_COLUMNS
			   ")", u, expected, true);
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

/* ---- meta 'sgw_pool': the pool the SGW instances hand out --------------- */

#define POOL_NAME	"sgw_pool"

static const struct seal_place pool_place = {
	.table = "meta", .row = POOL_NAME, .column = "value",
};

int sqlite_sgw_pool_get(struct store *store,
			uint8_t value[STORE_SGW_POOL_SIZE])
{
	return db_meta_secret_get(to_sqlite(store),
				  "SELECT value FROM meta WHERE name = '"
				  POOL_NAME "'", &pool_place, value,
				  STORE_SGW_POOL_SIZE, "SGW pool record",
				  "no SGW pool recorded");
}

/* A plain INSERT for add: the name's primary key refuses a second. */
int sqlite_sgw_pool_write(struct store *store,
			  const uint8_t value[STORE_SGW_POOL_SIZE],
			  bool replace)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, replace ?
			 "INSERT OR REPLACE INTO meta (name, value)"
			 " VALUES ('" POOL_NAME "', ?1)" :
			 "INSERT INTO meta (name, value)"
			 " VALUES ('" POOL_NAME "', ?1)", &stmt);
	if (ret)
		return ret;
	ret = db_step_done(ss, stmt, db_bind_secret(ss, stmt, 1, &pool_place,
						    value,
						    STORE_SGW_POOL_SIZE),
			   "record the SGW pool");
	if (ret == -EEXIST)
		db_fail(ss, ret, "an SGW pool is recorded already");
	return ret;
}
