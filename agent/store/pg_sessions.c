// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table sessions: the BSF's bootstrap sessions
 * (Ks sealed as the SQLite engine seals it, seal_fields.h). A B-TID is
 * the primary key: two instances cannot both add one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pg_db.h"
#include "seal_fields.h"

#define SESSION_INFO_COLUMNS "btid, impi, rand, created, expires, flags, uss"
#define SESSION_COLUMNS SESSION_INFO_COLUMNS ", ks"
enum {
	SES_BTID, SES_IMPI, SES_RAND, SES_CREATED, SES_EXPIRES, SES_FLAGS,
	SES_USS, SES_KS,
};

static int row_to_info(const PGresult *res, int row,
		       struct store_session_info *info)
{
	int64_t flags = 0;
	int ret;

	ret = pg_col_text(res, row, SES_BTID, info->btid, sizeof(info->btid));
	if (!ret)
		ret = pg_col_text(res, row, SES_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = pg_col_bytes_exact(res, row, SES_RAND, info->rand,
					 sizeof(info->rand));
	if (!ret)
		ret = pg_col_int(res, row, SES_CREATED, INT64_MIN, INT64_MAX,
				 &info->created);
	if (!ret)
		ret = pg_col_int(res, row, SES_EXPIRES, INT64_MIN, INT64_MAX,
				 &info->expires);
	if (!ret)
		ret = pg_col_int(res, row, SES_FLAGS, 0, UINT32_MAX, &flags);
	if (!ret)
		ret = pg_col_text(res, row, SES_USS, info->uss,
				  sizeof(info->uss));
	info->flags = (uint32_t)flags;
	return ret;
}

/* Runs sql (at most one session) with p; the session or -ENOENT. */
static int select_one(struct pg_store *ps, const char *sql,
		      const struct pg_params *p, struct store_session *session)
{
	struct seal_field bound[SEAL_SESSION_FIELDS];
	struct seal_place place;
	PGresult *res;
	int ret;

	res = pg_query(ps, sql, p, &ret, "session");
	if (!res)
		return ret;
	if (PQntuples(res) == 0) {
		ret = pg_fail(ps, -ENOENT, "no such bootstrap session");
	} else {
		ret = row_to_info(res, 0, &session->pub);
		if (ret)
			ret = pg_fail(ps, ret, "a session row is damaged");
	}
	if (!ret) {
		seal_session_fields(&session->pub, bound);
		place = seal_session_place(&session->pub, bound);
		ret = pg_col_secret(ps, res, 0, SES_KS, &place, session->ks,
				    sizeof(session->ks));
	}
	PQclear(res);
	if (ret)
		store_session_wipe(session);
	return ret;
}

int pg_session_add(struct store *store, const struct store_session *session)
{
	struct pg_store *ps = to_pg(store);
	const struct store_session_info *info = &session->pub;
	struct seal_field bound[SEAL_SESSION_FIELDS];
	struct seal_place place;
	struct pg_params p = { 0 };
	int ret;

	seal_session_fields(info, bound);
	place = seal_session_place(info, bound);
	pg_param_text(&p, info->btid);
	pg_param_text(&p, info->impi);
	pg_param_bytes(&p, info->rand, sizeof(info->rand));
	pg_param_int(&p, info->created);
	pg_param_int(&p, info->expires);
	pg_param_int(&p, info->flags);
	pg_param_text(&p, info->uss);
	ret = pg_param_secret(ps, &p, &place, session->ks, sizeof(session->ks));
	if (!ret)
		ret = pg_command(ps, "INSERT INTO sessions (" SESSION_COLUMNS ")"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &p,
				 NULL, "add session");
	pg_params_wipe(&p);
	if (ret == -EEXIST)
		pg_fail(ps, ret, "a session with that B-TID exists");
	return ret;
}

int pg_session_get(struct store *store, const char *btid,
		   struct store_session *session)
{
	struct pg_params p = { 0 };

	pg_param_text(&p, btid);
	return select_one(to_pg(store), "SELECT " SESSION_COLUMNS
			  " FROM sessions WHERE btid = $1", &p, session);
}

int pg_session_latest(struct store *store, const char *impi, int64_t now,
		      struct store_session *session)
{
	struct pg_params p = { 0 };

	pg_param_text(&p, impi);
	pg_param_int(&p, now);
	return select_one(to_pg(store), "SELECT " SESSION_COLUMNS
			  " FROM sessions WHERE impi = $1 AND expires > $2"
			  " ORDER BY created DESC, inserted DESC LIMIT 1", &p,
			  session);
}

int pg_session_purge(struct store *store, int64_t now)
{
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_int(&p, now);
	ret = pg_command(to_pg(store), "DELETE FROM sessions"
			 " WHERE expires <= $1", &p, &changed,
			 "purge sessions");
	return ret ? ret : (int)changed;
}

/* ks is not selected: the list carries no secret. */
int pg_session_list(struct store *store, store_session_fn fn, void *arg)
{
	struct pg_store *ps = to_pg(store);
	struct store_session_info info;
	PGresult *res;
	int ret, i, n;

	res = pg_query(ps, "SELECT " SESSION_INFO_COLUMNS " FROM sessions"
		       " ORDER BY created, btid COLLATE \"C\"", NULL, &ret,
		       "list sessions");
	if (!res)
		return ret;
	n = PQntuples(res);
	for (i = 0; !ret && i < n; i++) {
		memset(&info, 0, sizeof(info));
		ret = row_to_info(res, i, &info);
		if (ret)
			ret = pg_fail(ps, ret, "a session row is damaged");
		else if (fn)
			ret = fn(&info, arg);
	}
	PQclear(res);
	return ret ? ret : fn ? 0 : n;
}
