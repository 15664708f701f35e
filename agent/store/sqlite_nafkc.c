// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's tables of a NAF Key Centre: device_psks (psk
 * sealed), blocked_devices (row MAC), local_keys (key sealed, row MAC).
 * Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

/* The row identity a local key is sealed at: "B-TID Device_ID label". */
#define KS_LOCAL_ROW_MAX \
	(STORE_BTID_MAX + 1 + STORE_DEVICE_ID_MAX + 1 + STORE_KS_LABEL_MAX + 1)

static struct seal_place psk_place(const char *device_id)
{
	return (struct seal_place){
		.table = "device_psks", .row = device_id, .column = "psk",
	};
}

/*
 * A B-TID has no space, a label neither: the three joined by spaces name
 * one row whatever the Device_ID holds.
 */
static struct seal_place ks_local_place(char row[KS_LOCAL_ROW_MAX],
					const char *btid,
					const char *device_id,
					const char *label)
{
	snprintf(row, KS_LOCAL_ROW_MAX, "%s %s %s", btid, device_id, label);
	return (struct seal_place){
		.table = "local_keys", .row = row, .column = "key",
	};
}

/* ---- device PSKs -------------------------------------------------------- */

int sqlite_device_psk_add(struct store *store, const char *device_id,
			  const uint8_t *psk, int64_t now)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = psk_place(device_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "INSERT INTO device_psks (device_id, psk, created)"
			 " VALUES (?1, ?2, ?3)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, device_id);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 2, &place, psk,
				     STORE_DEVICE_PSK_LEN);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 3, now);
	ret = db_step_done(ss, stmt, ret, "add device PSK");
	if (ret == -EEXIST)
		db_fail(ss, ret, "that device has a PSK already");
	return ret;
}

int sqlite_device_psk_get(struct store *store, const char *device_id,
			  uint8_t *psk)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = psk_place(device_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT psk FROM device_psks WHERE device_id = ?1",
			 &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, device_id);
	if (!ret) {
		ret = db_step_row(ss, stmt, "device PSK",
				  "no PSK for that device");
		if (!ret)
			ret = db_column_secret(ss, stmt, 0, &place, psk,
					       STORE_DEVICE_PSK_LEN);
	}
	db_release(ss, stmt);
	if (ret)
		OPENSSL_cleanse(psk, STORE_DEVICE_PSK_LEN);
	return ret;
}

int sqlite_device_psk_remove(struct store *store, const char *device_id)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM device_psks WHERE device_id = ?1",
				 device_id, "remove device PSK",
				 "no PSK for that device");
}

/* A (device_id, created[, mac]) row; mac_table: whose row MAC is the third. */
static int device_row(struct sqlite_store *ss, sqlite3_stmt *stmt,
		      const char *mac_table, struct store_device_info *info)
{
	int ret = 0;

	memset(info, 0, sizeof(*info));
	if (mac_table)
		ret = db_row_mac_check(ss, stmt, mac_table, 2);
	if (!ret)
		ret = db_column_text(stmt, 0, info->device_id,
				     sizeof(info->device_id));
	if (!ret)
		ret = db_column_range(stmt, 1, INT64_MIN, INT64_MAX,
				      &info->created);
	return ret;
}

/* Every row of sql, such a SELECT, to fn; the count without. */
static int device_list(struct sqlite_store *ss, const char *sql,
		       const char *mac_table, store_device_fn fn, void *arg,
		       const char *what)
{
	struct store_device_info info;
	struct db_rows rows;

	db_rows_open(&rows, ss, sql, what);
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, device_row(ss, rows.stmt, mac_table,
						   &info),
				 "a device row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}

int sqlite_device_psk_list(struct store *store, store_device_fn fn,
			   void *arg)
{
	/* psk is not selected: the list carries no secret. */
	return device_list(to_sqlite(store), "SELECT device_id, created FROM"
			   " device_psks ORDER BY device_id", NULL, fn, arg,
			   "list device PSKs");
}

/* ---- blocked devices --------------------------------------------------- */

int sqlite_device_block(struct store *store, const char *device_id,
			int64_t now)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/* The row and its MAC, in one statement (sqlite_row_mac.c). */
	ret = db_prepare(ss, "INSERT INTO blocked_devices ("
			 BLOCKED_DEVICE_COLUMNS ", mac) VALUES (?1, ?2,"
			 " e2m_row_mac('blocked_devices', ?1, ?2))", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, device_id);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, now);
	ret = db_step_done(ss, stmt, ret, "block device");
	if (ret == -EEXIST)
		db_fail(ss, ret, "that device is blocked already");
	return ret;
}

int sqlite_device_unblock(struct store *store, const char *device_id)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM blocked_devices WHERE device_id = ?1",
				 device_id, "unblock device",
				 "that device is not blocked");
}

/*
 * 1 when blocked, 0 when not; a row whose MAC fails is neither
 * (-EKEYREJECTED): the caller refuses the device.
 */
int sqlite_device_blocked(struct store *store, const char *device_id)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = db_prepare(ss, "SELECT " BLOCKED_DEVICE_COLUMNS ", mac FROM"
			 " blocked_devices WHERE device_id = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, device_id);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			ret = db_row_mac_check(ss, stmt, "blocked_devices", 2);
			if (!ret)
				ret = 1;
		} else if (rc != SQLITE_DONE)
			ret = db_fail_sqlite(ss, rc, "blocked device");
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_device_block_list(struct store *store, store_device_fn fn,
			     void *arg)
{
	return device_list(to_sqlite(store), "SELECT " BLOCKED_DEVICE_COLUMNS
			   ", mac FROM blocked_devices ORDER BY device_id",
			   "blocked_devices", fn, arg, "list blocked devices");
}

/* ---- issued Ks_local --------------------------------------------------- */

/* The columns of KS_LOCAL_COLUMNS (sqlite_db.h), then the row's MAC. */
enum {
	KL_BTID, KL_DEVICE_ID, KL_LABEL, KL_NAF_ID, KL_ISSUED, KL_EXPIRES,
	KL_REVOKED, KL_KEY, KL_MAC,
};

#define KS_LOCAL_SELECT "SELECT " KS_LOCAL_COLUMNS ", mac FROM local_keys"

/* The row's values, its MAC checked last: -EUCLEAN, -EKEYREJECTED, 0. */
static int row_to_ks_local_info(struct sqlite_store *ss, sqlite3_stmt *stmt,
				struct store_ks_local_info *info)
{
	int64_t revoked = 0;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, KL_BTID, info->btid, sizeof(info->btid));
	if (!ret)
		ret = db_column_text(stmt, KL_DEVICE_ID, info->device_id,
				     sizeof(info->device_id));
	if (!ret)
		ret = db_column_text(stmt, KL_LABEL, info->label,
				     sizeof(info->label));
	if (!ret)
		ret = db_column_range(stmt, KL_ISSUED, INT64_MIN, INT64_MAX,
				      &info->issued);
	if (!ret)
		ret = db_column_range(stmt, KL_EXPIRES, INT64_MIN, INT64_MAX,
				      &info->expires);
	if (!ret)
		ret = db_column_range(stmt, KL_REVOKED, 0, 1, &revoked);
	info->revoked = (uint8_t)revoked;
	if (!ret)
		ret = db_column_bytes_max(stmt, KL_NAF_ID, info->naf_id,
					  sizeof(info->naf_id),
					  &info->naf_id_len);
	if (!ret)
		ret = db_row_mac_check(ss, stmt, "local_keys", KL_MAC);
	return ret;
}

int sqlite_ks_local_put(struct store *store, const struct store_ks_local *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_ks_local_info *info = &k->pub;
	char row[KS_LOCAL_ROW_MAX];
	struct seal_place place = ks_local_place(row, info->btid,
						 info->device_id, info->label);
	/* What the key is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_BLOB_FIELD("naf_id", info->naf_id, info->naf_id_len),
		SEAL_INT_FIELD("issued", info->issued),
		SEAL_INT_FIELD("expires", info->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);

	/*
	 * A revoked row stays revoked: the upsert then changes nothing. The
	 * row it replaces must pass its MAC: a revocation cleared behind
	 * the store's back is refused, not overwritten.
	 */
	ret = db_prepare(ss, "INSERT INTO local_keys (" KS_LOCAL_COLUMNS ","
			 " mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7,"
			 " e2m_row_mac('local_keys', ?1, ?2, ?3, ?4, ?5, ?6, 0,"
			 " ?7))"
			 " ON CONFLICT (btid, device_id, label) DO UPDATE SET"
			 " naf_id = excluded.naf_id, issued = excluded.issued,"
			 " expires = excluded.expires, key = excluded.key,"
			 " mac = excluded.mac WHERE revoked = 0 AND"
			 " e2m_row_check('local_keys', mac, " KS_LOCAL_COLUMNS
			 ")", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->btid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->device_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, info->label);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 4, info->naf_id, info->naf_id_len);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->issued);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, info->expires);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 7, &place, k->key,
				     sizeof(k->key));
	ret = db_step_one_row(ss, stmt, ret, "put local key",
			      "that local key is revoked");
	return ret == -ENOENT ? -EKEYREVOKED : ret;
}

int sqlite_ks_local_get(struct store *store, const char *btid,
			const char *device_id, const char *label,
			struct store_ks_local *k)
{
	struct sqlite_store *ss = to_sqlite(store);
	char row[KS_LOCAL_ROW_MAX];
	struct seal_place place = ks_local_place(row, btid, device_id, label);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, KS_LOCAL_SELECT " WHERE btid = ?1 AND"
			 " device_id = ?2 AND label = ?3", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, btid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, device_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, label);
	if (!ret) {
		ret = db_step_row(ss, stmt, "local key", "no such local key");
		if (!ret) {
			ret = row_to_ks_local_info(ss, stmt, &k->pub);
			if (ret == -EUCLEAN)
				db_fail(ss, ret, "a local key row is damaged");
			if (!ret)
				ret = db_column_secret(ss, stmt, KL_KEY, &place,
						       k->key, sizeof(k->key));
		}
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(k->key, sizeof(k->key));
	else if (ret)
		store_ks_local_wipe(k);
	return ret;
}

int sqlite_ks_local_revoke(struct store *store, const char *btid,
			   const char *device_id)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/*
	 * The mark and the MAC that covers it in one statement; a row that
	 * fails its MAC fails the revocation (sqlite_row_mac.c).
	 */
	ret = db_prepare(ss, "UPDATE local_keys SET revoked = 1,"
			 " mac = e2m_row_mac('local_keys', btid, device_id,"
			 " label, naf_id, issued, expires, 1, key)"
			 " WHERE btid = ?1 AND device_id = ?2 AND"
			 " e2m_row_check('local_keys', mac, " KS_LOCAL_COLUMNS
			 ")", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, btid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, device_id);
	ret = db_step_one_row(ss, stmt, ret, "revoke local key",
			      "no local key of that B-TID and device");
	return ret ? ret : sqlite3_changes(ss->db);
}

int sqlite_ks_local_purge(struct store *store, int64_t now)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM local_keys"
			    " WHERE expires <= ?1", now, "purge local keys");
}

int sqlite_ks_local_list(struct store *store, store_ks_local_fn fn,
			 void *arg)
{
	struct store_ks_local_info info;
	struct db_rows rows;

	/* key is read for the MAC only, never opened: no secret listed. */
	db_rows_open(&rows, to_sqlite(store), KS_LOCAL_SELECT
		     " ORDER BY issued, btid, device_id, label",
		     "list local keys");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_ks_local_info(rows.ss, rows.stmt, &info),
				 "a local key row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
