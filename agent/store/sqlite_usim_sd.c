// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's columns sd_key, sd_cert and ca_kloc of the table
 * usims (schema 15): a USIM's security domain credentials for a key
 * update, SK.SD sealed at the ICCID and bound to the two certificates
 * (store.h, sqlite_seal.c). Shared helpers and the engine's rules:
 * store_sqlite.c.
 */
#include <errno.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlite_db.h"

enum { SD_CERT, SD_CA_KLOC, SD_KEY };

/* Where SK.SD is sealed: another certificate in the file fails to open. */
struct sd_place {
	struct seal_field bound[2];
	struct seal_place place;
};

static void sd_place(struct sd_place *sp, const char *iccid,
		     const struct store_usim_sd *sd)
{
	sp->bound[0] = SEAL_BLOB_FIELD("sd_cert", sd->cert, sd->cert_len);
	sp->bound[1] = SEAL_BLOB_FIELD("ca_kloc", sd->ca_kloc,
				       sd->ca_kloc_len);
	sp->place = (struct seal_place){
		.table = "usims", .row = iccid, .column = "sd_key",
		.fields = sp->bound, .n_fields = 2,
	};
}

int sqlite_usim_sd_set(struct store *store, const char *iccid,
		       const struct store_usim_sd *sd)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct sd_place sp;
	sqlite3_stmt *stmt;
	int ret;

	sd_place(&sp, iccid, sd);
	ret = db_prepare(ss, "UPDATE usims SET sd_cert = ?2, ca_kloc = ?3,"
			 " sd_key = ?4 WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 2, sd->cert, sd->cert_len);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 3, sd->ca_kloc, sd->ca_kloc_len);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 4, &sp.place, sd->key,
				     sizeof(sd->key));
	return db_step_one_row(ss, stmt, ret, "set USIM SD credentials",
			       "no such USIM");
}

/* A certificate column into out: 0 or -EUCLEAN (empty, too long). */
static int cert_column(sqlite3_stmt *stmt, int col, uint8_t *out,
		       size_t *len)
{
	const void *blob = sqlite3_column_blob(stmt, col);
	int n = sqlite3_column_bytes(stmt, col);

	if (!blob || n < 1 || n > STORE_SD_CERT_MAX)
		return -EUCLEAN;
	memcpy(out, blob, (size_t)n);
	*len = (size_t)n;
	return 0;
}

int sqlite_usim_sd_get(struct store *store, const char *iccid,
		       struct store_usim_sd *sd)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct sd_place sp;
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT sd_cert, ca_kloc, sd_key FROM usims"
			 " WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_step_row(ss, stmt, "USIM", "no such USIM");
	if (!ret && sqlite3_column_type(stmt, SD_KEY) == SQLITE_NULL)
		ret = db_fail(ss, -ENODATA, "no SD credentials set for the"
			      " USIM (e2mctl usim sd-set)");
	if (!ret && (cert_column(stmt, SD_CERT, sd->cert, &sd->cert_len) ||
		     cert_column(stmt, SD_CA_KLOC, sd->ca_kloc,
				 &sd->ca_kloc_len)))
		ret = db_fail(ss, -EUCLEAN, "a USIM row is damaged");
	if (!ret) {
		sd_place(&sp, iccid, sd);
		ret = db_column_secret(ss, stmt, SD_KEY, &sp.place, sd->key,
				       sizeof(sd->key));
	}
	db_release(ss, stmt);
	return ret;
}
