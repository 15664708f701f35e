// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table of an MT / UICC hosting device:
 * mt_local_keys (key sealed, row MAC). Shared helpers and the engine's rules:
 * store_sqlite.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"
#include "util/hex.h"

/* The row identity a key is sealed at: "B-TID hex(NAF_Id) Device_ID". */
#define MT_KEY_ROW_MAX \
	(STORE_BTID_MAX + 1 + 2 * STORE_NAF_ID_MAX + 1 + \
	 STORE_DEVICE_ID_MAX + 1)

/*
 * A B-TID has no space and hex has none: the three joined by spaces
 * name one row whatever the Device_ID holds.
 */
static struct seal_place mt_key_place(char row[MT_KEY_ROW_MAX],
				      const char *btid,
				      const uint8_t *naf_id,
				      size_t naf_id_len,
				      const char *device_id)
{
	char naf_hex[2 * STORE_NAF_ID_MAX + 1];

	hex_encode(naf_hex, naf_id, naf_id_len);
	snprintf(row, MT_KEY_ROW_MAX, "%s %s %s", btid, naf_hex, device_id);
	return (struct seal_place){
		.table = "mt_local_keys", .row = row, .column = "key",
	};
}

/* ?1, ?2, ?3 of stmt: the B-TID, NAF_Id and Device_ID that name a row. */
static int bind_mt_key_row(struct sqlite_store *ss, sqlite3_stmt *stmt,
			   const char *btid, const uint8_t *naf_id,
			   size_t naf_id_len, const char *device_id)
{
	int ret = db_bind_text(ss, stmt, 1, btid);

	if (!ret)
		ret = db_bind_blob(ss, stmt, 2, naf_id, naf_id_len);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, device_id);
	return ret;
}

/* The columns of MT_KEY_COLUMNS (sqlite_db.h), then the row's MAC. */
enum {
	MK_BTID, MK_NAF_ID, MK_DEVICE_ID, MK_ICCID, MK_CREATED, MK_EXPIRES,
	MK_SERIAL, MK_COMPLETED, MK_KEY, MK_MAC,
};

#define MT_KEY_SELECT "SELECT " MT_KEY_COLUMNS ", mac FROM mt_local_keys"

/* The row's values, its MAC checked last: -EUCLEAN, -EKEYREJECTED, 0. */
static int row_to_info(struct sqlite_store *ss, sqlite3_stmt *stmt,
		       struct store_mt_key_info *info)
{
	int64_t serial = 0, completed = 0;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, MK_BTID, info->btid, sizeof(info->btid));
	if (!ret)
		ret = db_column_text(stmt, MK_DEVICE_ID, info->device_id,
				     sizeof(info->device_id));
	if (!ret)
		ret = db_column_text(stmt, MK_ICCID, info->iccid,
				     sizeof(info->iccid));
	if (!ret)
		ret = db_column_range(stmt, MK_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	if (!ret)
		ret = db_column_range(stmt, MK_EXPIRES, INT64_MIN, INT64_MAX,
				      &info->expires);
	if (!ret)
		ret = db_column_range(stmt, MK_SERIAL, 0, INT32_MAX, &serial);
	if (!ret)
		ret = db_column_range(stmt, MK_COMPLETED, 0, 1, &completed);
	info->key_serial = (int32_t)serial;
	info->completed = (uint8_t)completed;
	if (!ret)
		ret = db_column_bytes_max(stmt, MK_NAF_ID, info->naf_id,
					  sizeof(info->naf_id),
					  &info->naf_id_len);
	if (!ret)
		ret = db_row_mac_check(ss, stmt, "mt_local_keys", MK_MAC);
	return ret;
}

int sqlite_mt_key_put(struct store *store, const struct store_mt_key *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_mt_key_info *info = &k->pub;
	char row[MT_KEY_ROW_MAX];
	struct seal_place place = mt_key_place(row, info->btid, info->naf_id,
					       info->naf_id_len,
					       info->device_id);
	/* What the key is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("iccid", info->iccid),
		SEAL_INT_FIELD("created", info->created),
		SEAL_INT_FIELD("expires", info->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);

	/* The row and its MAC, in one statement (sqlite_row_mac.c). */
	ret = db_prepare(ss, "INSERT OR REPLACE INTO mt_local_keys ("
			 MT_KEY_COLUMNS ", mac) VALUES (?1, ?2, ?3, ?4, ?5,"
			 " ?6, ?7, ?8, ?9, e2m_row_mac('mt_local_keys', ?1,"
			 " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))", &stmt);
	if (ret)
		return ret;
	ret = bind_mt_key_row(ss, stmt, info->btid, info->naf_id,
			      info->naf_id_len, info->device_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 4, info->iccid);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->created);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, info->expires);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 7, info->key_serial);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 8, info->completed);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 9, &place, k->key,
				     sizeof(k->key));
	return db_step_done(ss, stmt, ret, "put MT local key");
}

int sqlite_mt_key_get(struct store *store, const char *btid,
		      const uint8_t *naf_id, size_t naf_id_len,
		      const char *device_id, struct store_mt_key *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	char row[MT_KEY_ROW_MAX];
	struct seal_place place = mt_key_place(row, btid, naf_id, naf_id_len,
					       device_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, MT_KEY_SELECT " WHERE btid = ?1 AND naf_id = ?2"
			 " AND device_id = ?3", &stmt);
	if (ret)
		return ret;
	ret = bind_mt_key_row(ss, stmt, btid, naf_id, naf_id_len, device_id);
	if (!ret) {
		ret = db_step_row(ss, stmt, "MT local key",
				  "no such MT local key");
		if (!ret) {
			ret = row_to_info(ss, stmt, &k->pub);
			if (ret == -EUCLEAN)
				db_fail(ss, ret,
					"an MT local key row is damaged");
			if (!ret)
				ret = db_column_secret(ss, stmt, MK_KEY, &place,
						       k->key, sizeof(k->key));
		}
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(k->key, sizeof(k->key));
	else if (ret)
		store_mt_key_wipe(k);
	return ret;
}

int sqlite_mt_key_complete(struct store *store, const char *btid,
			   const uint8_t *naf_id, size_t naf_id_len,
			   const char *device_id)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/*
	 * The mark and the MAC that covers it in one statement; a row that
	 * fails its MAC (a changed key_serial, say) is refused, not
	 * re-MACed (sqlite_row_mac.c).
	 */
	ret = db_prepare(ss, "UPDATE mt_local_keys SET completed = 1,"
			 " mac = e2m_row_mac('mt_local_keys', btid, naf_id,"
			 " device_id, iccid, created, expires, key_serial, 1,"
			 " key)"
			 " WHERE btid = ?1 AND naf_id = ?2 AND device_id = ?3"
			 " AND e2m_row_check('mt_local_keys', mac, "
			 MT_KEY_COLUMNS ")", &stmt);
	if (ret)
		return ret;
	ret = bind_mt_key_row(ss, stmt, btid, naf_id, naf_id_len, device_id);
	return db_step_one_row(ss, stmt, ret, "complete MT local key",
			       "no such MT local key");
}

/* ?1 of stmt: text, or value when text is NULL. */
static int bind_first(struct sqlite_store *ss, sqlite3_stmt *stmt,
		      const char *text, int64_t value)
{
	return text ? db_bind_text(ss, stmt, 1, text) :
		      db_bind_int64(ss, stmt, 1, value);
}

/*
 * The rows of select to fn; a row that does not read, or fails its MAC
 * (its key_serial not to be trusted), is skipped.
 */
static int tell_rows(struct sqlite_store *ss, const char *select,
		     const char *text, int64_t value, store_mt_key_fn fn,
		     void *arg, const char *what)
{
	struct store_mt_key_info info;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, ret;

	ret = db_prepare(ss, select, &stmt);
	if (ret)
		return ret;
	ret = bind_first(ss, stmt, text, value);
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (!row_to_info(ss, stmt, &info) && fn)
			fn(&info, arg);
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail_sqlite(ss, rc, what);
	db_release(ss, stmt);
	return ret;
}

/*
 * The rows of select told to fn, then removed by delete, both with ?1
 * bound the same, in one transaction: the count removed.
 */
static int remove_rows(struct sqlite_store *ss, const char *select,
		       const char *delete, const char *text, int64_t value,
		       store_mt_key_fn fn, void *arg, const char *what)
{
	sqlite3_stmt *stmt;
	int ret = db_begin(ss), count = 0;

	if (!ret)
		ret = tell_rows(ss, select, text, value, fn, arg, what);
	if (!ret)
		ret = db_prepare(ss, delete, &stmt);
	if (!ret) {
		ret = db_step_done(ss, stmt, bind_first(ss, stmt, text, value),
				   what);
		count = ret ? 0 : sqlite3_changes(ss->db);
	}
	ret = db_end(ss, ret);
	return ret ? ret : count;
}

int sqlite_mt_key_remove_other_iccids(struct store *store, const char *iccid,
				      store_mt_key_fn fn, void *arg)
{
	return remove_rows(to_sqlite(store),
			   MT_KEY_SELECT " WHERE iccid != ?1 ORDER BY created",
			   "DELETE FROM mt_local_keys WHERE iccid != ?1",
			   iccid, 0, fn, arg, "remove another UICC's keys");
}

int sqlite_mt_key_purge(struct store *store, int64_t now,
			store_mt_key_fn fn, void *arg)
{
	return remove_rows(to_sqlite(store),
			   MT_KEY_SELECT " WHERE expires <= ?1"
			   " ORDER BY created",
			   "DELETE FROM mt_local_keys WHERE expires <= ?1",
			   NULL, now, fn, arg, "purge MT local keys");
}

int sqlite_mt_key_list(struct store *store, store_mt_key_fn fn, void *arg)
{
	struct store_mt_key_info info;
	struct db_rows rows;

	/* key is read for the MAC only, never opened: no secret listed. */
	db_rows_open(&rows, to_sqlite(store), MT_KEY_SELECT
		     " ORDER BY created, btid, device_id", "list MT local keys");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_info(rows.ss, rows.stmt, &info),
				 "an MT local key row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
