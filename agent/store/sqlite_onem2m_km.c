// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's onem2m_maf_kms (schema 12): a MAF's Kms, sealed at
 * their Km-Id and bound to every other column (sqlite_seal.c), so that a
 * writer of the file who moves a Km to another KeId, Enrolee-ID or a
 * longer life makes it fail to open. And the uid the role handed them to
 * (roles.maf.handoff), a sealed row of meta. Shared helpers:
 * store_sqlite.c.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

#define KM_COLUMNS "km_id, ke_id, enrolee_id, created, expires, km"
enum { KM_ID, KM_KE_ID, KM_ENROLEE_ID, KM_CREATED, KM_EXPIRES, KM_KEY };

static struct seal_place km_place(const char *km_id)
{
	return (struct seal_place){
		.table = "onem2m_maf_kms", .row = km_id, .column = "km",
	};
}

static int km_row(sqlite3_stmt *stmt, struct store_onem2m_km_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, KM_ID, info->km_id, sizeof(info->km_id));
	if (!ret)
		ret = db_column_text(stmt, KM_KE_ID, info->ke_id,
				     sizeof(info->ke_id));
	if (!ret)
		ret = db_column_text(stmt, KM_ENROLEE_ID, info->enrolee_id,
				     sizeof(info->enrolee_id));
	if (!ret)
		ret = db_column_range(stmt, KM_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	if (!ret)
		ret = db_column_range(stmt, KM_EXPIRES, INT64_MIN, INT64_MAX,
				      &info->expires);
	return ret;
}

int sqlite_onem2m_km_put(struct store *store, const struct store_onem2m_km *km)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_onem2m_km_info *info = &km->pub;
	struct seal_place place = km_place(info->km_id);
	/* What Km is bound to (sqlite_seal.c): the rest of its row. */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("ke_id", info->ke_id),
		SEAL_TEXT_FIELD("enrolee_id", info->enrolee_id),
		SEAL_INT_FIELD("created", info->created),
		SEAL_INT_FIELD("expires", info->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);
	/* REPLACE: the row of the same Km-Id or (KeId, Enrolee-ID) goes. */
	ret = db_prepare(ss, "INSERT OR REPLACE INTO onem2m_maf_kms ("
			 KM_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			 &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->km_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->ke_id);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, info->enrolee_id);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, info->created);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->expires);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 6, &place, km->km,
				     sizeof(km->km));
	return db_step_done(ss, stmt, ret, "put Km");
}

int sqlite_onem2m_km_get(struct store *store, const char *km_id, int64_t now,
			 struct store_onem2m_km *km)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = km_place(km_id);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " KM_COLUMNS " FROM onem2m_maf_kms"
			 " WHERE km_id = ?1 AND expires > ?2", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, km_id);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, now);
	if (!ret)
		ret = db_step_row(ss, stmt, "Km", "no live Km of that Km-Id");
	if (!ret) {
		ret = km_row(stmt, &km->pub);
		if (ret)
			ret = db_fail(ss, ret, "a Km row is damaged");
		else
			ret = db_column_secret(ss, stmt, KM_KEY, &place,
					       km->km, sizeof(km->km));
	}
	db_release(ss, stmt);
	/* A refused seal keeps the row's values: the front checks them. */
	if (ret == -EKEYREJECTED)
		OPENSSL_cleanse(km->km, sizeof(km->km));
	else if (ret)
		OPENSSL_cleanse(km, sizeof(*km));
	return ret;
}

int sqlite_onem2m_km_remove(struct store *store, const char *km_id)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM onem2m_maf_kms WHERE km_id = ?1",
				 km_id, "remove Km", "no Km of that Km-Id");
}

int sqlite_onem2m_km_purge(struct store *store, int64_t now)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM onem2m_maf_kms"
			    " WHERE expires <= ?1", now, "purge Kms");
}

int sqlite_onem2m_km_count(struct store *store, int64_t now)
{
	return db_count_at(to_sqlite(store), "SELECT count(*) FROM"
			   " onem2m_maf_kms WHERE expires > ?1", now,
			   "count Kms");
}

int sqlite_onem2m_km_list(struct store *store, store_onem2m_km_fn fn,
			  void *arg)
{
	struct store_onem2m_km_info info;
	struct db_rows rows;

	/* km is not read: the list carries no secret. */
	db_rows_open(&rows, to_sqlite(store), "SELECT " KM_COLUMNS
		     " FROM onem2m_maf_kms ORDER BY expires, km_id",
		     "list Kms");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, km_row(rows.stmt, &info),
				 "a Km row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}

/* The hand-off's record: meta 'onem2m_maf_handoff', uid || gid sealed. */
#define HANDOFF_NAME	"onem2m_maf_handoff"
#define HANDOFF_LEN	8

static const struct seal_place handoff_place = {
	.table = "meta", .row = HANDOFF_NAME, .column = "value",
};

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int sqlite_onem2m_handoff_get(struct store *store,
			      struct store_onem2m_handoff *h)
{
	uint8_t value[HANDOFF_LEN];
	int ret;

	ret = db_meta_secret_get(to_sqlite(store),
				 "SELECT value FROM meta WHERE name = '"
				 HANDOFF_NAME "'", &handoff_place, value,
				 sizeof(value), "hand-off record",
				 "no hand-off record");
	if (!ret) {
		h->uid = get_be32(value);
		h->gid = get_be32(value + 4);
	}
	return ret;
}

int sqlite_onem2m_handoff_set(struct store *store,
			      const struct store_onem2m_handoff *h)
{
	struct sqlite_store *ss = to_sqlite(store);
	uint8_t value[HANDOFF_LEN];
	sqlite3_stmt *stmt;
	int ret;

	put_be32(value, h->uid);
	put_be32(value + 4, h->gid);
	ret = db_prepare(ss, "INSERT OR REPLACE INTO meta (name, value)"
			 " VALUES ('" HANDOFF_NAME "', ?1)", &stmt);
	if (ret)
		return ret;
	return db_step_done(ss, stmt, db_bind_secret(ss, stmt, 1,
						       &handoff_place, value,
						       sizeof(value)),
			    "record the hand-off");
}

int sqlite_onem2m_handoff_clear(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "DELETE FROM meta WHERE name = '" HANDOFF_NAME
			 "'", &stmt);
	if (ret)
		return ret;
	return db_step_done(ss, stmt, 0, "clear the hand-off record");
}
