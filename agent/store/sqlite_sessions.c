// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table sessions: the BSF's bootstrap sessions (Ks sealed).
 * Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "seal_fields.h"
#include "sqlite_db.h"

#define SESSION_COLUMNS "btid, impi, rand, created, expires, flags, uss, ks"
enum {
	SES_BTID, SES_IMPI, SES_RAND, SES_CREATED, SES_EXPIRES, SES_FLAGS,
	SES_USS, SES_KS,
};

static struct seal_place session_place(const char *btid)
{
	return (struct seal_place){
		.table = "sessions", .row = btid, .column = "ks",
	};
}

static int row_to_session_info(sqlite3_stmt *stmt,
			       struct store_session_info *info)
{
	int64_t flags = 0;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, SES_BTID, info->btid, sizeof(info->btid));
	if (!ret)
		ret = db_column_text(stmt, SES_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = db_column_bytes_exact(stmt, SES_RAND, info->rand,
					 sizeof(info->rand));
	if (!ret)
		ret = db_column_range(stmt, SES_CREATED, INT64_MIN, INT64_MAX,
				   &info->created);
	if (!ret)
		ret = db_column_range(stmt, SES_EXPIRES, INT64_MIN, INT64_MAX,
				   &info->expires);
	if (!ret)
		ret = db_column_range(stmt, SES_FLAGS, 0, UINT32_MAX,
				   &flags);
	if (!ret)
		ret = db_column_text(stmt, SES_USS, info->uss, sizeof(info->uss));
	info->flags = (uint32_t)flags;
	return ret;
}

static int row_to_session(struct sqlite_store *ss, sqlite3_stmt *stmt,
			  struct store_session *session)
{
	struct seal_place place;
	int ret = row_to_session_info(stmt, &session->pub);

	if (ret)
		return db_fail(ss, ret, "a session row is damaged");
	place = session_place(session->pub.btid);
	return db_column_secret(ss, stmt, SES_KS, &place, session->ks,
			     sizeof(session->ks));
}

/* Steps a statement that selects at most one session. */
static int select_one_session(struct sqlite_store *ss, sqlite3_stmt *stmt,
			      struct store_session *session)
{
	int ret = db_step_row(ss, stmt, "session", "no such bootstrap session");

	if (!ret)
		ret = row_to_session(ss, stmt, session);
	db_release(ss, stmt);
	if (ret)
		store_session_wipe(session);
	return ret;
}

int sqlite_session_add(struct store *store,
		       const struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_session_info *info = &session->pub;
	struct seal_field bound[SEAL_SESSION_FIELDS];
	struct seal_place place;
	sqlite3_stmt *stmt;
	int ret;

	/* What Ks is bound to (sqlite_seal.c, seal_fields.h). */
	seal_session_fields(info, bound);
	place = seal_session_place(info, bound);
	ret = db_prepare(ss, "INSERT INTO sessions (" SESSION_COLUMNS ")"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->btid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->impi);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 3, info->rand, sizeof(info->rand));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, info->created);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->expires);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, info->flags);
	if (!ret)
		ret = db_bind_text(ss, stmt, 7, info->uss);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 8, &place, session->ks,
				  sizeof(session->ks));
	ret = db_step_done(ss, stmt, ret, "add session");
	if (ret == -EEXIST)
		db_fail(ss, ret, "a session with that B-TID exists");
	return ret;
}

int sqlite_session_get(struct store *store, const char *btid,
		       struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " SESSION_COLUMNS " FROM sessions"
			  " WHERE btid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, btid);
	if (ret) {
		db_release(ss, stmt);
		return ret;
	}
	return select_one_session(ss, stmt, session);
}

int sqlite_session_latest(struct store *store, const char *impi,
			  int64_t now, struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " SESSION_COLUMNS " FROM sessions"
			  " WHERE impi = ?1 AND expires > ?2"
			  " ORDER BY created DESC, rowid DESC LIMIT 1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, impi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, now);
	if (ret) {
		db_release(ss, stmt);
		return ret;
	}
	return select_one_session(ss, stmt, session);
}

int sqlite_session_purge(struct store *store, int64_t now)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM sessions"
			    " WHERE expires <= ?1", now, "purge sessions");
}

int sqlite_session_list(struct store *store, store_session_fn fn,
			void *arg)
{
	struct store_session_info info;
	struct db_rows rows;

	/* ks is not selected: the list carries no secret. */
	db_rows_open(&rows, to_sqlite(store), "SELECT btid, impi, rand,"
		     " created, expires, flags, uss FROM sessions"
		     " ORDER BY created, btid", "list sessions");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, row_to_session_info(rows.stmt, &info),
				 "a session row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
