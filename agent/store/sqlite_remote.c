// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table of a remote / external device:
 * device_local_keys (key sealed, row MAC). Shared helpers and the
 * engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"
#include "util/hex.h"

/* The row identity a key is sealed at: "Device_ID hex(NAF_Id)". */
#define REMOTE_KEY_ROW_MAX \
	(STORE_DEVICE_ID_MAX + 1 + 2 * STORE_NAF_ID_MAX + 1)

/* A Device_ID has no space: the two joined by one name one row. */
static struct seal_place remote_key_place(char row[REMOTE_KEY_ROW_MAX],
					  const char *device_id,
					  const uint8_t *naf_id,
					  size_t naf_id_len)
{
	char naf_hex[2 * STORE_NAF_ID_MAX + 1];

	hex_encode(naf_hex, naf_id, naf_id_len);
	snprintf(row, REMOTE_KEY_ROW_MAX, "%s %s", device_id, naf_hex);
	return (struct seal_place){
		.table = "device_local_keys", .row = row, .column = "key",
	};
}

/* The columns of REMOTE_KEY_COLUMNS (sqlite_db.h), then the row's MAC. */
enum {
	RK_DEVICE_ID, RK_NAF_ID, RK_BTID, RK_LABEL, RK_CREATED, RK_EXPIRES,
	RK_SERIAL, RK_COMPLETED, RK_KEY, RK_MAC,
};

#define REMOTE_KEY_SELECT "SELECT " REMOTE_KEY_COLUMNS ", mac FROM" \
	" device_local_keys"

/* The identity of a row: ?1 Device_ID, ?2 NAF_Id. */
#define REMOTE_KEY_WHERE " WHERE device_id = ?1 AND naf_id = ?2"

/* The row's values, its MAC checked last: -EUCLEAN, -EKEYREJECTED, 0. */
static int row_to_info(struct sqlite_store *ss, sqlite3_stmt *stmt,
		       struct store_remote_key_info *info)
{
	int64_t serial = 0, completed = 0;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, RK_DEVICE_ID, info->device_id,
			     sizeof(info->device_id));
	if (!ret)
		ret = db_column_text(stmt, RK_BTID, info->btid,
				     sizeof(info->btid));
	if (!ret)
		ret = db_column_text(stmt, RK_LABEL, info->label,
				     sizeof(info->label));
	if (!ret)
		ret = db_column_range(stmt, RK_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	if (!ret)
		ret = db_column_range(stmt, RK_EXPIRES, INT64_MIN, INT64_MAX,
				      &info->expires);
	if (!ret)
		ret = db_column_range(stmt, RK_SERIAL, 0, INT32_MAX, &serial);
	if (!ret)
		ret = db_column_range(stmt, RK_COMPLETED, 0, 1, &completed);
	info->key_serial = (int32_t)serial;
	info->completed = (uint8_t)completed;
	if (ret)
		return ret;
	ret = db_column_bytes_max(stmt, RK_NAF_ID, info->naf_id,
				  sizeof(info->naf_id), &info->naf_id_len);
	if (!ret)
		ret = db_row_mac_check(ss, stmt, "device_local_keys", RK_MAC);
	return ret;
}

/* Binds ?1 and ?2, the identity of a row. */
static int bind_identity(struct sqlite_store *ss, sqlite3_stmt *stmt,
			 const char *device_id, const uint8_t *naf_id,
			 size_t naf_id_len)
{
	int ret = db_bind_text(ss, stmt, 1, device_id);

	return ret ? ret : db_bind_blob(ss, stmt, 2, naf_id, naf_id_len);
}

int sqlite_remote_key_put(struct store *store,
			  const struct store_remote_key *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_remote_key_info *info = &k->pub;
	char row[REMOTE_KEY_ROW_MAX];
	struct seal_place place = remote_key_place(row, info->device_id,
						   info->naf_id,
						   info->naf_id_len);
	/* What the key is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("btid", info->btid),
		SEAL_TEXT_FIELD("label", info->label),
		SEAL_INT_FIELD("created", info->created),
		SEAL_INT_FIELD("expires", info->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);

	/* The row and its MAC, in one statement (sqlite_row_mac.c). */
	ret = db_prepare(ss, "INSERT OR REPLACE INTO device_local_keys ("
			 REMOTE_KEY_COLUMNS ", mac) VALUES (?1, ?2, ?3, ?4,"
			 " ?5, ?6, ?7, ?8, ?9, e2m_row_mac('device_local_keys',"
			 " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))", &stmt);
	if (ret)
		return ret;
	ret = bind_identity(ss, stmt, info->device_id, info->naf_id,
			    info->naf_id_len);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, info->btid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 4, info->label);
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
	return db_step_done(ss, stmt, ret, "put device local key");
}

int sqlite_remote_key_get(struct store *store, const char *device_id,
			  const uint8_t *naf_id, size_t naf_id_len,
			  struct store_remote_key *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	char row[REMOTE_KEY_ROW_MAX];
	struct seal_place place = remote_key_place(row, device_id, naf_id,
						   naf_id_len);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, REMOTE_KEY_SELECT REMOTE_KEY_WHERE, &stmt);
	if (ret)
		return ret;
	ret = bind_identity(ss, stmt, device_id, naf_id, naf_id_len);
	if (!ret)
		ret = db_step_row(ss, stmt, "device local key",
				  "no such device local key");
	if (!ret) {
		ret = row_to_info(ss, stmt, &k->pub);
		if (ret == -EUCLEAN)
			db_fail(ss, ret, "a device local key row is damaged");
		if (!ret)
			ret = db_column_secret(ss, stmt, RK_KEY, &place,
					       k->key, sizeof(k->key));
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(k->key, sizeof(k->key));
	else if (ret)
		store_remote_key_wipe(k);
	return ret;
}

int sqlite_remote_key_complete(struct store *store, const char *device_id,
			       const uint8_t *naf_id, size_t naf_id_len)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/*
	 * The mark and the MAC that covers it in one statement; a row that
	 * fails its MAC is refused, not re-MACed (sqlite_row_mac.c).
	 */
	ret = db_prepare(ss, "UPDATE device_local_keys SET completed = 1,"
			 " mac = e2m_row_mac('device_local_keys', device_id,"
			 " naf_id, btid, label, created, expires, key_serial,"
			 " 1, key)" REMOTE_KEY_WHERE " AND"
			 " e2m_row_check('device_local_keys', mac, "
			 REMOTE_KEY_COLUMNS ")", &stmt);
	if (ret)
		return ret;
	ret = bind_identity(ss, stmt, device_id, naf_id, naf_id_len);
	return db_step_one_row(ss, stmt, ret, "complete device local key",
			       "no such device local key");
}

int sqlite_remote_key_remove(struct store *store, const char *device_id,
			     const uint8_t *naf_id, size_t naf_id_len)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "DELETE FROM device_local_keys" REMOTE_KEY_WHERE,
			 &stmt);
	if (ret)
		return ret;
	ret = bind_identity(ss, stmt, device_id, naf_id, naf_id_len);
	return db_step_one_row(ss, stmt, ret, "remove device local key",
			       "no such device local key");
}

int sqlite_remote_key_list(struct store *store, store_remote_key_fn fn,
			   void *arg)
{
	struct store_remote_key_info info;
	struct db_rows rows;

	/* key is read for the MAC only, never opened: no secret listed. */
	db_rows_open(&rows, to_sqlite(store), REMOTE_KEY_SELECT
		     " ORDER BY created DESC, device_id, naf_id",
		     "list device local keys");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_info(rows.ss, rows.stmt, &info),
				 "a device local key row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
