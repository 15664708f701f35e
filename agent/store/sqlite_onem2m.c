// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's oneM2M tables: onem2m_kpms and onem2m_kes (keys
 * sealed at their row's id). Shared helpers and the engine's rules:
 * store_sqlite.c.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

static struct seal_place kpm_place(const char *kpm_id)
{
	return (struct seal_place){
		.table = "onem2m_kpms", .row = kpm_id, .column = "kpm",
	};
}

static struct seal_place ke_place(const char *ke_id)
{
	return (struct seal_place){
		.table = "onem2m_kes", .row = ke_id, .column = "ke",
	};
}

/* The configuration's three columns, from col on. */
static int read_config(sqlite3_stmt *stmt, int col,
		       struct store_onem2m_config *config)
{
	char kind[16];
	int ret;

	ret = db_column_text(stmt, col, config->enrolee_id,
			     sizeof(config->enrolee_id));
	if (!ret)
		ret = db_column_text(stmt, col + 1, kind, sizeof(kind));
	if (!ret && store_onem2m_target_parse(kind, &config->target_kind))
		ret = -EUCLEAN;
	if (!ret)
		ret = db_column_text(stmt, col + 2, config->target_id,
				     sizeof(config->target_id));
	return ret;
}

static int bind_config(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		       const struct store_onem2m_config *config)
{
	int ret = db_bind_text(ss, stmt, idx, config->enrolee_id);

	if (!ret)
		ret = db_bind_text(ss, stmt, idx + 1,
				   store_onem2m_target_name(config->target_kind));
	if (!ret)
		ret = db_bind_text(ss, stmt, idx + 2, config->target_id);
	return ret;
}

/* ---- Kpm ------------------------------------------------------------- */

#define KPM_COLUMNS "kpm_id, enrolee_id, target_kind, target_id, created, kpm"
enum { KPM_ID, KPM_CONFIG, KPM_CREATED = KPM_CONFIG + 3, KPM_KEY };

static int kpm_row(sqlite3_stmt *stmt, struct store_onem2m_kpm_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, KPM_ID, info->kpm_id, sizeof(info->kpm_id));
	if (!ret)
		ret = read_config(stmt, KPM_CONFIG, &info->config);
	if (!ret)
		ret = db_column_range(stmt, KPM_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	return ret;
}

int sqlite_onem2m_kpm_add(struct store *store,
			  const struct store_onem2m_kpm *kpm)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_onem2m_kpm_info *info = &kpm->pub;
	struct seal_place place = kpm_place(info->kpm_id);
	/* What Kpm is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("enrolee_id", info->config.enrolee_id),
		SEAL_TEXT_FIELD("target_kind", store_onem2m_target_name(
					info->config.target_kind)),
		SEAL_TEXT_FIELD("target_id", info->config.target_id),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);
	ret = db_prepare(ss, "INSERT INTO onem2m_kpms (" KPM_COLUMNS
			 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->kpm_id);
	if (!ret)
		ret = bind_config(ss, stmt, 2, &info->config);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->created);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 6, &place, kpm->kpm,
				     sizeof(kpm->kpm));
	ret = db_step_done(ss, stmt, ret, "add Kpm");
	if (ret == -EEXIST)
		db_fail(ss, ret, "that KpmId has a Kpm already");
	return ret;
}

int sqlite_onem2m_kpm_get(struct store *store, const char *kpm_id,
			  struct store_onem2m_kpm *kpm)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = kpm_place(kpm_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " KPM_COLUMNS
			 " FROM onem2m_kpms WHERE kpm_id = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, kpm_id);
	if (!ret)
		ret = db_step_row(ss, stmt, "Kpm", "no such KpmId");
	if (!ret) {
		ret = kpm_row(stmt, &kpm->pub);
		if (ret)
			ret = db_fail(ss, ret, "a Kpm row is damaged");
		else
			ret = db_column_secret(ss, stmt, KPM_KEY, &place,
					       kpm->kpm, sizeof(kpm->kpm));
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(kpm->kpm, sizeof(kpm->kpm));
	else if (ret)
		OPENSSL_cleanse(kpm, sizeof(*kpm));
	return ret;
}

int sqlite_onem2m_kpm_remove(struct store *store, const char *kpm_id)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM onem2m_kpms WHERE kpm_id = ?1",
				 kpm_id, "remove Kpm", "no such KpmId");
}

int sqlite_onem2m_kpm_list(struct store *store, store_onem2m_kpm_fn fn,
			   void *arg)
{
	struct store_onem2m_kpm_info info;
	struct db_rows rows;

	/* kpm is not read: the list carries no secret. */
	db_rows_open(&rows, to_sqlite(store), "SELECT " KPM_COLUMNS
		     " FROM onem2m_kpms ORDER BY kpm_id", "list Kpms");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, kpm_row(rows.stmt, &info),
				 "a Kpm row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}

/* ---- Ke -------------------------------------------------------------- */

#define KE_COLUMNS "ke_id, kpm_id, enrolee_id, target_kind, target_id," \
	" mef, created, expires, ke"
enum {
	KE_ID, KE_KPM_ID, KE_CONFIG, KE_MEF = KE_CONFIG + 3, KE_CREATED,
	KE_EXPIRES, KE_KEY,
};

static int ke_row(sqlite3_stmt *stmt, struct store_onem2m_ke_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, KE_ID, info->ke_id, sizeof(info->ke_id));
	if (!ret)
		ret = db_column_text(stmt, KE_KPM_ID, info->kpm_id,
				     sizeof(info->kpm_id));
	if (!ret)
		ret = read_config(stmt, KE_CONFIG, &info->config);
	if (!ret)
		ret = db_column_text(stmt, KE_MEF, info->mef,
				     sizeof(info->mef));
	if (!ret)
		ret = db_column_range(stmt, KE_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	if (!ret)
		ret = db_column_range(stmt, KE_EXPIRES, INT64_MIN, INT64_MAX,
				      &info->expires);
	return ret;
}

int sqlite_onem2m_ke_add(struct store *store, const struct store_onem2m_ke *ke)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_onem2m_ke_info *info = &ke->pub;
	struct seal_place place = ke_place(info->ke_id);
	/* What Ke is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("kpm_id", info->kpm_id),
		SEAL_TEXT_FIELD("enrolee_id", info->config.enrolee_id),
		SEAL_TEXT_FIELD("target_kind", store_onem2m_target_name(
					info->config.target_kind)),
		SEAL_TEXT_FIELD("target_id", info->config.target_id),
		SEAL_TEXT_FIELD("mef", info->mef),
		SEAL_INT_FIELD("created", info->created),
		SEAL_INT_FIELD("expires", info->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);
	ret = db_prepare(ss, "INSERT INTO onem2m_kes (" KE_COLUMNS
			 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			 &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->ke_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->kpm_id);
	if (!ret)
		ret = bind_config(ss, stmt, 3, &info->config);
	if (!ret)
		ret = db_bind_text(ss, stmt, 6, info->mef);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 7, info->created);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 8, info->expires);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 9, &place, ke->ke,
				     sizeof(ke->ke));
	ret = db_step_done(ss, stmt, ret, "add Ke");
	if (ret == -EEXIST)
		db_fail(ss, ret, "that KeId has a Ke already");
	return ret;
}

int sqlite_onem2m_ke_get(struct store *store, const char *ke_id,
			 struct store_onem2m_ke *ke)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = ke_place(ke_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " KE_COLUMNS
			 " FROM onem2m_kes WHERE ke_id = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, ke_id);
	if (!ret)
		ret = db_step_row(ss, stmt, "Ke", "no such KeId");
	if (!ret) {
		ret = ke_row(stmt, &ke->pub);
		if (ret)
			ret = db_fail(ss, ret, "a Ke row is damaged");
		else
			ret = db_column_secret(ss, stmt, KE_KEY, &place,
					       ke->ke, sizeof(ke->ke));
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(ke->ke, sizeof(ke->ke));
	else if (ret)
		OPENSSL_cleanse(ke, sizeof(*ke));
	return ret;
}

int sqlite_onem2m_ke_purge(struct store *store, int64_t now)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM onem2m_kes"
			    " WHERE expires <= ?1", now, "purge Kes");
}

int sqlite_onem2m_ke_list(struct store *store, store_onem2m_ke_fn fn,
			  void *arg)
{
	struct store_onem2m_ke_info info;
	struct db_rows rows;

	/* ke is not read: the list carries no secret. */
	db_rows_open(&rows, to_sqlite(store), "SELECT " KE_COLUMNS
		     " FROM onem2m_kes ORDER BY created DESC, ke_id",
		     "list Kes");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, ke_row(rows.stmt, &info),
				 "a Ke row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
