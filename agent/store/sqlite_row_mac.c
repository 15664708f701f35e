// SPDX-License-Identifier: GPL-2.0
/*
 * Row MACs: the rows a seal does not cover whole (sqlite_seal.c) carry a
 * mac column, HMAC-SHA-256 over every other column of the row, so that a
 * writer of the database file who changes one (unblocks a device by
 * renaming its row, moves a flow, changes a KSI, clears a revocation or
 * a completion, changes a keyring serial) is refused on read rather than
 * believed.
 *
 *	mac = HMAC-SHA-256(mac key, "e2m-store/row/1" || str(table)
 *	                   || u32(number of values) || value ...)
 *	value = type (1 octet, seal.h's SEAL_*) || i64 big-endian (SEAL_INT)
 *	        | str(octets) (SEAL_TEXT, SEAL_BLOB) | nothing (SEAL_NULL)
 *	mac key = HMAC-SHA-256(store key, "e2m-store/row-mac-key/1")
 *
 * The values are the table's columns in the order of its *_COLUMNS list
 * (sqlite_db.h), which is also the order every SELECT of the table reads
 * them in, followed by mac. The mac key is derived, not the store key
 * itself: the store key is the seal's AES key, and no key serves two
 * algorithms.
 *
 * Writes compute the MAC in SQL, in the statement that writes the row
 * (e2m_row_mac(table, value ...)), so a change and its MAC are one
 * statement of one transaction; an UPDATE that keeps columns it does not
 * set first checks the row's MAC (e2m_row_check(table, mac, value ...)
 * in its WHERE), so it never re-MACs a row changed behind its back.
 * Reads check it in C (db_row_mac_check()) before any value of the row
 * is used: after reading them, so that a value no row may hold is still
 * told as a damaged row (-EUCLEAN), as with the seal.
 *
 * What a row MAC cannot tell: a row deleted, or put back from an older
 * copy of the store, verifies (freshness, as for the seal).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "row_mac.h"
#include "sqlite_db.h"

/*
 * The tables with a mac column, and the columns it covers, in order, by
 * the name e2m_row_mac() and e2m_row_check() take: the table's own, or
 * TABLE@N for its columns up to schema N (a migration that reads rows
 * MACed before it added a column); the MAC covers the table's own name.
 * at_11: the columns the migration to schema 11 MACs (those of then).
 */
static const struct maced_table {
	const char *name;
	const char *table;
	const char *columns;
	bool at_11;
} maced_tables[] = {
	{ "blocked_devices", "blocked_devices", BLOCKED_DEVICE_COLUMNS, true },
	{ "local_keys", "local_keys", KS_LOCAL_COLUMNS, true },
	{ "mt_local_keys", "mt_local_keys", MT_KEY_COLUMNS, true },
	{ "device_local_keys", "device_local_keys", REMOTE_KEY_COLUMNS, true },
	{ "hse_flows", "hse_flows", HSE_FLOW_COLUMNS, false },
	{ "hse_flows@17", "hse_flows", HSE_FLOW_COLUMNS_17, true },
	{ "sgw_ues", "sgw_ues", SGW_UE_COLUMNS, true },
};

#define N_MACED_TABLES (sizeof(maced_tables) / sizeof(maced_tables[0]))

static const struct maced_table *maced_table(const char *name)
{
	size_t i;

	for (i = 0; i < N_MACED_TABLES; i++)
		if (!strcmp(maced_tables[i].name, name))
			return &maced_tables[i];
	return NULL;
}

/* How many columns the MAC of name covers; 0 for a table without one. */
static int maced_columns(const char *name)
{
	const struct maced_table *t = maced_table(name);
	const char *p;
	int n = 1;

	if (!t)
		return 0;
	for (p = t->columns; *p; p++)
		n += *p == ',';
	return n;
}

/*
 * A SQL function's argument as a field, as db_column_field() reads a
 * column; false for a REAL (none of ours).
 */
static bool value_of_arg(sqlite3_value *arg, struct seal_field *value)
{
	*value = (struct seal_field){ .type = SEAL_NULL };
	switch (sqlite3_value_type(arg)) {
	case SQLITE_INTEGER:
		value->type = SEAL_INT;
		value->integer = sqlite3_value_int64(arg);
		return true;
	case SQLITE_TEXT:
		value->type = SEAL_TEXT;
		value->bytes = sqlite3_value_text(arg);
		value->len = (size_t)sqlite3_value_bytes(arg);
		return true;
	case SQLITE_BLOB:
		value->type = SEAL_BLOB;
		value->bytes = sqlite3_value_blob(arg);
		value->len = (size_t)sqlite3_value_bytes(arg);
		return true;
	case SQLITE_NULL:
		return true;
	}
	return false;
}

/*
 * The MAC of the values in argv[first..argc) for the table named by
 * argv[0]: 0, or an error already set as the function's result.
 */
static int args_mac(sqlite3_context *ctx, int argc, sqlite3_value **argv,
		    int first, uint8_t mac[ROW_MAC_LEN])
{
	struct sqlite_store *ss = sqlite3_user_data(ctx);
	struct seal_field values[ROW_VALUES_MAX];
	const char *table = (const char *)sqlite3_value_text(argv[0]);
	int i, n = argc - first;

	if (!table || n <= 0 || n > ROW_VALUES_MAX ||
	    maced_columns(table) != n) {
		sqlite3_result_error(ctx, "row MAC: not a table's columns", -1);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!value_of_arg(argv[first + i], &values[i])) {
			sqlite3_result_error(ctx, "row MAC: a REAL value", -1);
			return -EINVAL;
		}
	}
	if (row_mac(ss->row_mac, maced_table(table)->table, values, (size_t)n,
		    mac)) {
		sqlite3_result_error(ctx, "row MAC: cannot compute it", -1);
		return -EIO;
	}
	return 0;
}

/* e2m_row_mac(table, value ...): the row's MAC, a BLOB. */
static void sql_row_mac(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint8_t mac[ROW_MAC_LEN];

	if (!args_mac(ctx, argc, argv, 1, mac))
		sqlite3_result_blob(ctx, mac, sizeof(mac), SQLITE_TRANSIENT);
}

/*
 * e2m_row_check(table, mac, value ...): 1 when mac is the row's MAC;
 * otherwise the statement fails (and the store says -EKEYREJECTED).
 */
static void sql_row_check(sqlite3_context *ctx, int argc,
			  sqlite3_value **argv)
{
	struct sqlite_store *ss = sqlite3_user_data(ctx);
	uint8_t mac[ROW_MAC_LEN];
	const void *stored;

	if (argc < 3 || args_mac(ctx, argc, argv, 2, mac))
		return;
	stored = sqlite3_value_blob(argv[1]);
	if (!stored || sqlite3_value_bytes(argv[1]) != ROW_MAC_LEN ||
	    CRYPTO_memcmp(stored, mac, ROW_MAC_LEN)) {
		ss->row_mac_refused = true;
		sqlite3_result_error(ctx, "a row fails its MAC (changed"
				     " outside e2m?)", -1);
		return;
	}
	sqlite3_result_int(ctx, 1);
}

int db_row_mac_check(struct sqlite_store *ss, sqlite3_stmt *stmt,
		     const char *table, int n_columns)
{
	struct seal_field values[ROW_VALUES_MAX];
	uint8_t mac[ROW_MAC_LEN];
	const void *stored;
	int i, ret;

	if (n_columns <= 0 || n_columns > ROW_VALUES_MAX ||
	    maced_columns(table) != n_columns ||
	    sqlite3_column_count(stmt) <= n_columns)
		return db_fail(ss, -EINVAL, "row MAC: not a table's columns");
	for (i = 0; i < n_columns; i++)
		if (!db_column_field(stmt, i, NULL, &values[i]))
			return db_fail(ss, -EUCLEAN, "a row is damaged");
	ret = row_mac(ss->row_mac, maced_table(table)->table, values,
		      (size_t)n_columns, mac);
	if (ret)
		return db_fail(ss, ret, "row MAC: cannot compute it");
	stored = sqlite3_column_blob(stmt, n_columns);
	if (stored && sqlite3_column_bytes(stmt, n_columns) == ROW_MAC_LEN &&
	    !CRYPTO_memcmp(stored, mac, ROW_MAC_LEN))
		return 0;
	store_count_error();
	store_set_errmsg(&ss->base, "a %s row fails its MAC (changed outside"
			 " e2m?): refused", table);
	return -EKEYREJECTED;
}

int db_row_mac_init(struct sqlite_store *ss)
{
	int ret = row_mac_key(&ss->row_mac, &ss->key), rc;

	if (ret)
		return db_fail(ss, ret, "row MAC: cannot key it");
	/* Direct only: no view, trigger or schema of the file calls them. */
	rc = sqlite3_create_function_v2(ss->db, "e2m_row_mac", -1,
					SQLITE_UTF8 | SQLITE_DIRECTONLY, ss,
					sql_row_mac, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(ss->db, "e2m_row_check", -1,
						SQLITE_UTF8 |
						SQLITE_DIRECTONLY, ss,
						sql_row_check, NULL, NULL,
						NULL);
	return rc == SQLITE_OK ? 0 : db_fail_sqlite(ss, rc, "row MAC");
}

void db_row_mac_free(struct sqlite_store *ss)
{
	EVP_MAC_CTX_free(ss->row_mac);	/* wipes the key's pads */
	ss->row_mac = NULL;
}

/* ---- the migration to schema 11 ---------------------------------------- */

/* Whether table has its mac column already. */
static int has_mac_column(struct sqlite_store *ss, const char *table,
			  bool *has)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(ss->db, "SELECT 1 FROM pragma_table_info(?1)"
				" WHERE name = 'mac'", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return db_fail_sqlite(ss, rc, "row MAC: table info");
	rc = sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	*has = rc == SQLITE_ROW;
	/* Not kept (db_prepare()): it runs once per open of an old store. */
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       db_fail_sqlite(ss, rc, "row MAC: table info");
}

/*
 * 10 -> 11, inside the migration's transaction: the store key checked
 * first (a wrong one leaves the store as it was), then every table of
 * maced_tables without a mac column gets one, and every row of it its
 * MAC over its columns as they are now. A table that has the column
 * already (a store of schema 11 whose user_version was set back) is
 * left as it is: re-MACing it would bless what was changed in it.
 */
int db_row_mac_upgrade(struct sqlite_store *ss)
{
	char sql[512];
	size_t i;
	bool has = false;
	int ret = db_check_key(ss);

	for (i = 0; !ret && i < N_MACED_TABLES; i++) {
		const struct maced_table *t = &maced_tables[i];

		if (!t->at_11)
			continue;
		ret = has_mac_column(ss, t->table, &has);
		if (ret || has)
			continue;
		if ((size_t)snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD"
				     " COLUMN mac BLOB NOT NULL DEFAULT x'';"
				     " UPDATE %s SET mac = e2m_row_mac('%s',"
				     " %s)", t->table, t->table, t->name,
				     t->columns) >= sizeof(sql))
			return db_fail(ss, -EINVAL, "row MAC: SQL too long");
		ret = db_exec(ss, sql);
	}
	return ret;
}
