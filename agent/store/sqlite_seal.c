// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's sealed columns: for each, the row identity it is
 * sealed at and the columns its seal binds (seal.h), the helpers that
 * seal and open a column at its place, and the migration to schema 10
 * that re-seals version 1 blobs as version 2.
 *
 * What a seal binds: every column a lookup (WHERE) finds the row by, and
 * every column a decision is taken on (an expiry, a USS, flags, the
 * identity the key is handed to), so that a writer of the database file
 * who changes one makes the secret fail to open (-EKEYREJECTED) rather
 * than hands it to another identity or for longer. A column that moves
 * while the secret stays (an SQN on every AKA, a completion mark, a
 * keyring serial, a revocation) is not bound by the seal: binding it
 * would mean opening and re-sealing the secret on each change. Those are
 * listed below as "not bound", with what protects them: where a table
 * has a row MAC (sqlite_row_mac.c), it covers every column of the row,
 * the sealed blob and such marks included, and is written in the
 * statement that changes the mark.
 *
 *  table.column            row identity            bound columns
 *  meta.value (key_check,  name                    -
 *   onem2m_maf_handoff,
 *   sgw_pool)
 *  subscribers.k, .opc     imsi                    impi amf flags uss
 *                                                  sqn_ind_bits
 *      not bound: sqn_seq, sqn_ind (move on every AKA; a rolled-back SQN
 *      is refused by the USIM's SQN check, TS 33.102 6.3.3), created,
 *      updated (informational).
 *  sessions.ks             btid                    impi rand created
 *                                                  expires flags uss
 *  usims.k, .opc           iccid                   imsi impi flags
 *                                                  sqn_ind_bits
 *  usims.pending_k,        iccid                   imsi impi
 *        .pending_opc                              update_counter
 *      not bound: sqn_seq_ms (moves on every AKA), update_counter once no
 *      update is pending (a writer who lowers it lets an old update be
 *      replayed to this USIM; the HSS side is not affected).
 *  usims.gba_ks            iccid                   gba_rand gba_btid
 *                                                  gba_expires
 *  device_psks.psk         device_id               -   (created:
 *                                                  informational)
 *  local_keys.key          btid device_id label    naf_id issued expires
 *      not bound by the seal: revoked (set after sealing); the row MAC
 *      covers it.
 *  mt_local_keys.key       btid hex(naf_id)        iccid created expires
 *                          device_id
 *      not bound by the seal: key_serial, completed (set after sealing);
 *      the row MAC covers them.
 *  device_local_keys.key   device_id hex(naf_id)   btid label created
 *                                                  expires
 *      not bound by the seal: key_serial, completed (set after sealing);
 *      the row MAC covers them.
 *  onem2m_kpms.kpm         kpm_id                  enrolee_id target_kind
 *                                                  target_id
 *  onem2m_kes.ke           ke_id                   kpm_id enrolee_id
 *                                                  target_kind target_id
 *                                                  mef created expires
 *  prov_updates.k, .opc    iccid                   imsi counter
 *      not bound: state (moves on; a writer who sets it back makes the
 *      server run steps the USIM and the HSS answer as already done).
 *  onem2m_maf_kms.km       km_id                   ke_id enrolee_id
 *                                                  created expires
 *      every column is bound: the seal covers the row whole.
 *  prov_sessions.secret   iccid                   id counter step
 *                                                  certs_sent sd_point
 *                                                  chain sm_counter
 *      every column but created and updated (informational) is bound.
 *  usims.sd_key            iccid                   sd_cert ca_kloc
 *      the USIM's own columns are not bound: SK.SD belongs to the card,
 *      whatever IMSI or keys it holds.
 *  bsf_challenges.secret   nonce                   opaque impi rand flags
 *                                                  expires_ms uss
 *      not bound: spent (set with the secret NULL in one statement: a
 *      writer who sets it back gets "a secret is missing", not a second
 *      answer).
 *
 * Tables without a secret are not sealed: blocked_devices, hse_flows and
 * sgw_ues have a row MAC over every column instead (sqlite_row_mac.c),
 * so an unblocked device by a renamed row, a moved flow, another KSI or
 * address is refused on read.
 *
 * Neither the seal nor a row MAC binds freshness: a row (or the whole
 * file) put back from an older copy of the same store opens, and a row
 * deleted cannot be told from one never written (a blocked device whose
 * row is deleted is not blocked). A store of schema 10 or older (or one
 * made to look so) is MACed by the migration as it is found. Backups are
 * secrets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

struct sealed_column {
	const char *table;
	const char *column;
	const char *row_sql;	/* SQL of the row identity it is sealed at */
	const char *bound[SEAL_FIELDS_MAX + 1];	/* NULL-terminated */
};

/* The list above; meta first: the migration checks the key with it. */
static const struct sealed_column sealed_columns[] = {
	{ "meta", "value", "name", { NULL } },
	{ "subscribers", "k", "imsi",
	  { "impi", "amf", "flags", "uss", "sqn_ind_bits", NULL } },
	{ "subscribers", "opc", "imsi",
	  { "impi", "amf", "flags", "uss", "sqn_ind_bits", NULL } },
	{ "sessions", "ks", "btid",
	  { "impi", "rand", "created", "expires", "flags", "uss", NULL } },
	{ "usims", "k", "iccid", { "imsi", "impi", "flags", "sqn_ind_bits",
				   NULL } },
	{ "usims", "opc", "iccid", { "imsi", "impi", "flags", "sqn_ind_bits",
				     NULL } },
	{ "usims", "pending_k", "iccid",
	  { "imsi", "impi", "update_counter", NULL } },
	{ "usims", "pending_opc", "iccid",
	  { "imsi", "impi", "update_counter", NULL } },
	{ "usims", "gba_ks", "iccid",
	  { "gba_rand", "gba_btid", "gba_expires", NULL } },
	{ "device_psks", "psk", "device_id", { NULL } },
	{ "local_keys", "key", "btid || ' ' || device_id || ' ' || label",
	  { "naf_id", "issued", "expires", NULL } },
	{ "mt_local_keys", "key",
	  "btid || ' ' || lower(hex(naf_id)) || ' ' || device_id",
	  { "iccid", "created", "expires", NULL } },
	{ "device_local_keys", "key", "device_id || ' ' || lower(hex(naf_id))",
	  { "btid", "label", "created", "expires", NULL } },
	{ "onem2m_kpms", "kpm", "kpm_id",
	  { "enrolee_id", "target_kind", "target_id", NULL } },
	{ "onem2m_kes", "ke", "ke_id",
	  { "kpm_id", "enrolee_id", "target_kind", "target_id", "mef",
	    "created", "expires", NULL } },
};

/*
 * The sealed columns of tables made after schema 10: the migration to 10
 * has none of them to re-seal, and a store that has them was made by
 * this program, with version 2 blobs only.
 */
static const struct sealed_column sealed_columns_later[] = {
	{ "onem2m_maf_kms", "km", "km_id",
	  { "ke_id", "enrolee_id", "created", "expires", NULL } },
	{ "prov_updates", "k", "iccid", { "imsi", "counter", NULL } },
	{ "prov_updates", "opc", "iccid", { "imsi", "counter", NULL } },
	{ "prov_sessions", "secret", "iccid",
	  { "id", "counter", "step", "certs_sent", "sd_point", "chain",
	    "sm_counter", NULL } },
	{ "usims", "sd_key", "iccid", { "sd_cert", "ca_kloc", NULL } },
	{ "bsf_challenges", "secret", "nonce",
	  { "opaque", "impi", "rand", "flags", "expires_ms", "uss", NULL } },
};

#define N_SEALED_COLUMNS (sizeof(sealed_columns) / sizeof(sealed_columns[0]))
#define N_SEALED_LATER \
	(sizeof(sealed_columns_later) / sizeof(sealed_columns_later[0]))

static const struct sealed_column *find_sealed(const char *table,
					       const char *column)
{
	size_t i;

	for (i = 0; i < N_SEALED_COLUMNS; i++)
		if (!strcmp(sealed_columns[i].table, table) &&
		    !strcmp(sealed_columns[i].column, column))
			return &sealed_columns[i];
	for (i = 0; i < N_SEALED_LATER; i++)
		if (!strcmp(sealed_columns_later[i].table, table) &&
		    !strcmp(sealed_columns_later[i].column, column))
			return &sealed_columns_later[i];
	return NULL;
}

/*
 * Column col of the current row as a typed field named name (the seal's
 * bound fields, the row MAC's values). False for a FLOAT, which a STRICT
 * table of ours cannot hold: the field is then SEAL_NULL.
 */
bool db_column_field(sqlite3_stmt *stmt, int col, const char *name,
		     struct seal_field *field)
{
	*field = (struct seal_field){ .name = name, .type = SEAL_NULL };
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_INTEGER:
		field->type = SEAL_INT;
		field->integer = sqlite3_column_int64(stmt, col);
		return true;
	case SQLITE_TEXT:
		field->type = SEAL_TEXT;
		field->bytes = sqlite3_column_text(stmt, col);
		field->len = (size_t)sqlite3_column_bytes(stmt, col);
		return true;
	case SQLITE_BLOB:
		field->type = SEAL_BLOB;
		field->bytes = sqlite3_column_blob(stmt, col);
		field->len = (size_t)sqlite3_column_bytes(stmt, col);
		return true;
	case SQLITE_NULL:
		return true;
	}
	return false;
}

/*
 * The bound fields of sealed, from the columns of stmt's current row of
 * the same names: -EINVAL when the SELECT lacks one (a bug of ours).
 */
static int fields_of_row(sqlite3_stmt *stmt, const struct sealed_column *sealed,
			 struct seal_field *fields, size_t *n_fields)
{
	int n_cols = sqlite3_column_count(stmt);
	size_t n;

	for (n = 0; sealed->bound[n]; n++) {
		int col;

		for (col = 0; col < n_cols; col++) {
			const char *name = sqlite3_column_name(stmt, col);

			if (name && !strcmp(name, sealed->bound[n]))
				break;
		}
		if (col == n_cols)
			return -EINVAL;
		db_column_field(stmt, col, sealed->bound[n], &fields[n]);
	}
	*n_fields = n;
	return 0;
}

/*
 * Opens the sealed secret in a column of stmt's current row, at its place
 * (table, row, column; its bound fields are taken from the row).
 */
int db_column_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int col,
		     const struct seal_place *place, uint8_t *secret,
		     size_t len)
{
	const struct sealed_column *sealed = find_sealed(place->table,
							 place->column);
	struct seal_field fields[SEAL_FIELDS_MAX];
	struct seal_place bound = *place;
	const void *blob = sqlite3_column_blob(stmt, col);
	int ret;

	memset(secret, 0, len);
	if (!sealed || fields_of_row(stmt, sealed, fields, &bound.n_fields))
		return db_fail(ss, -EINVAL, "a sealed column's bound columns"
			       " are not selected");
	if (!blob)
		return db_fail(ss, -EUCLEAN, "a secret is missing");
	bound.fields = fields;
	ret = unseal_secret(&ss->key, &bound, blob,
			    (size_t)sqlite3_column_bytes(stmt, col), secret,
			    len);
	if (ret == -EKEYREJECTED)
		store_set_errmsg(&ss->base,
				 "%s.%s of %s does not open with the store key"
				 " and its row's values", place->table,
				 place->column, place->row);
	return ret;
}

/* Whether place's fields are the bound columns of its table, in order. */
static bool fields_match(const struct seal_place *place)
{
	const struct sealed_column *sealed = find_sealed(place->table,
							 place->column);
	size_t n;

	if (!sealed)
		return false;
	for (n = 0; sealed->bound[n]; n++)
		if (n >= place->n_fields ||
		    strcmp(place->fields[n].name, sealed->bound[n]))
			return false;
	return n == place->n_fields;
}

/* Seals a secret at place (its bound fields given) as parameter idx. */
int db_bind_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		   const struct seal_place *place, const uint8_t *secret,
		   size_t len)
{
	uint8_t blob[SEAL_BLOB_MAX];
	int ret;

	if (!fields_match(place))
		return db_fail(ss, -EINVAL, "sealing: the bound fields are not"
			       " the table's list");
	ret = seal_secret(&ss->key, place, secret, len, blob);
	if (ret)
		return db_fail(ss, ret, "sealing a secret");
	/* SQLITE_TRANSIENT: SQLite copies the (sealed) blob. */
	if (sqlite3_bind_blob(stmt, idx, blob, (int)(SEAL_OVERHEAD + len),
			      SQLITE_TRANSIENT) != SQLITE_OK)
		ret = db_fail_sqlite(ss, SQLITE_NOMEM, "bind");
	OPENSSL_cleanse(blob, sizeof(blob));
	return ret;
}

/* ---- the migration to schema 10 ---------------------------------------- */

/*
 * Statements of the migration are its own (prepared and finalized here),
 * not kept: they run once, and kept ones would take the cache's places
 * from the statements a daemon runs per request.
 */
static int migration_prepare(struct sqlite_store *ss, const char *sql,
			     sqlite3_stmt **stmt)
{
	int rc = sqlite3_prepare_v2(ss->db, sql, -1, stmt, NULL);

	return rc == SQLITE_OK ? 0 : db_fail_sqlite(ss, rc, "prepare");
}

/* Writes blob as the sealed column of the row rowid. */
static int write_resealed(struct sqlite_store *ss,
			  const struct sealed_column *sealed, int64_t rowid,
			  const uint8_t *blob, size_t len)
{
	char sql[128];
	sqlite3_stmt *stmt;
	int rc, ret;

	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?1 WHERE rowid = ?2",
		 sealed->table, sealed->column);
	ret = migration_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	rc = sqlite3_bind_blob(stmt, 1, blob, (int)len, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, rowid);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	ret = rc == SQLITE_DONE ? 0 : db_fail_sqlite(ss, rc, "re-seal");
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * Re-seals the current row's version 1 blob (column 2; rowid 0, row
 * identity 1) as version 2; a version 2 blob is left as it is.
 */
static int reseal_row(struct sqlite_store *ss,
		      const struct sealed_column *sealed, sqlite3_stmt *stmt)
{
	const uint8_t *old = sqlite3_column_blob(stmt, 2);
	size_t old_len = (size_t)sqlite3_column_bytes(stmt, 2);
	const unsigned char *row = sqlite3_column_text(stmt, 1);
	struct seal_field fields[SEAL_FIELDS_MAX];
	uint8_t secret[SEAL_SECRET_MAX], blob[SEAL_BLOB_MAX];
	struct seal_place place = {
		.table = sealed->table, .column = sealed->column,
		.row = (const char *)row, .fields = fields,
	};
	size_t len;
	int ret;

	if (!old || !row || old_len < SEAL_OVERHEAD ||
	    old_len > SEAL_BLOB_MAX)
		return db_fail(ss, -EUCLEAN, "a sealed column is damaged");
	if (old[0] == SEAL_VERSION)
		return 0;
	len = old_len - SEAL_OVERHEAD;
	ret = fields_of_row(stmt, sealed, fields, &place.n_fields);
	if (ret)
		return db_fail(ss, ret, "re-seal: a bound column is missing");
	ret = seal_open_v1(&ss->key, &place, old, old_len, secret, len);
	if (ret == -EKEYREJECTED)
		store_set_errmsg(&ss->base, "%s.%s of %s does not open with"
				 " the store key", place.table, place.column,
				 place.row);
	else if (ret)
		db_fail(ss, ret, "re-seal");
	if (!ret)
		ret = seal_secret(&ss->key, &place, secret, len, blob);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (!ret)
		ret = write_resealed(ss, sealed, sqlite3_column_int64(stmt, 0),
				     blob, SEAL_OVERHEAD + len);
	OPENSSL_cleanse(blob, sizeof(blob));
	return ret;
}

/*
 * Every row of one sealed column, one at a time by rowid: a row is
 * written between two reads, never while a SELECT of its table runs.
 */
static int reseal_column(struct sqlite_store *ss,
			 const struct sealed_column *sealed)
{
	char sql[512];
	int64_t last = INT64_MIN;
	size_t n, used;
	int rc, ret;

	used = (size_t)snprintf(sql, sizeof(sql), "SELECT rowid, %s, %s",
				sealed->row_sql, sealed->column);
	for (n = 0; sealed->bound[n] && used < sizeof(sql); n++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
					 ", %s", sealed->bound[n]);
	if (used < sizeof(sql))
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
					 " FROM %s WHERE rowid > ?1 AND %s IS"
					 " NOT NULL ORDER BY rowid LIMIT 1",
					 sealed->table, sealed->column);
	if (used >= sizeof(sql))
		return db_fail(ss, -EINVAL, "re-seal: SQL too long");
	for (;;) {
		sqlite3_stmt *stmt;

		ret = migration_prepare(ss, sql, &stmt);
		if (ret)
			return ret;
		rc = sqlite3_bind_int64(stmt, 1, last);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			last = sqlite3_column_int64(stmt, 0);
			ret = reseal_row(ss, sealed, stmt);
		} else if (rc != SQLITE_DONE) {
			ret = db_fail_sqlite(ss, rc, "re-seal");
		}
		sqlite3_finalize(stmt);
		if (ret || rc != SQLITE_ROW)
			return ret;
	}
}

/* The version of the key check's blob: 0 when the store has none yet. */
static int key_check_version(struct sqlite_store *ss, int *version)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = migration_prepare(ss, "SELECT value FROM meta"
				" WHERE name = 'key_check'", &stmt);
	if (ret)
		return ret;
	*version = 0;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const uint8_t *blob = sqlite3_column_blob(stmt, 0);

		if (blob && sqlite3_column_bytes(stmt, 0) > 0)
			*version = blob[0];
	} else if (rc != SQLITE_DONE) {
		ret = db_fail_sqlite(ss, rc, "key check");
	}
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * 9 -> 10, inside the migration's transaction: every version 1 blob
 * re-sealed as version 2, binding its row's columns as they are now. A
 * store whose key check is version 2 already (made by this program, or
 * a version 2 store whose user_version was set back) has no version 1
 * blob to re-seal: any there is refused when read. The key check goes
 * first: a wrong store key stops the migration at once.
 */
int db_seal_upgrade(struct sqlite_store *ss)
{
	size_t i;
	int version, ret = key_check_version(ss, &version);

	if (ret || version != SEAL_VERSION_1)
		return ret;
	for (i = 0; !ret && i < N_SEALED_COLUMNS; i++)
		ret = reseal_column(ss, &sealed_columns[i]);
	if (ret == -EKEYREJECTED && i == 1)
		db_fail(ss, ret, "the store key does not open this store");
	return ret;
}

int db_meta_secret_get(struct sqlite_store *ss, const char *sql,
		       const struct seal_place *place, uint8_t *value,
		       size_t len, const char *what, const char *missing)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	ret = db_step_row(ss, stmt, what, missing);
	if (!ret)
		ret = db_column_secret(ss, stmt, 0, place, value, len);
	db_release(ss, stmt);
	return ret;
}
