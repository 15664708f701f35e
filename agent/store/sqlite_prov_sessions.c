// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table prov_sessions (schema 14): role prov's key
 * update sessions, one a USIM, the step's secrets sealed at the ICCID and
 * bound to every other column but the times (store.h). Shared helpers and
 * the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlite_db.h"

#define SESSION_COLUMNS "iccid, id, counter, step, certs_sent, sd_point," \
	" chain, sm_counter, created, updated, secret"
enum { S_ICCID, S_ID, S_COUNTER, S_STEP, S_CERTS, S_POINT, S_CHAIN,
       S_SM_COUNTER, S_CREATED, S_UPDATED, S_SECRET };

static const char *const step_names[] = {
	[STORE_PROV_STEP_CERTIFICATES] = "certificates",
	[STORE_PROV_STEP_AUTHENTICATE] = "authenticate",
	[STORE_PROV_STEP_UPDATE] = "update",
};

#define N_STEPS (sizeof(step_names) / sizeof(step_names[0]))

static int step_parse(const char *name, enum store_prov_step *step)
{
	size_t i;

	for (i = 0; i < N_STEPS; i++) {
		if (!strcmp(name, step_names[i])) {
			*step = (enum store_prov_step)i;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Where the secret is sealed: a changed id, counter, step, certificate
 * count, PK.SD, chain or secure messaging counter fails its unsealing.
 */
struct session_place {
	struct seal_field bound[7];
	struct seal_place place;
};

static void session_place(struct session_place *sp,
			  const struct store_prov_session *s)
{
	sp->bound[0] = SEAL_BLOB_FIELD("id", s->id, sizeof(s->id));
	sp->bound[1] = SEAL_INT_FIELD("counter", s->counter);
	sp->bound[2] = SEAL_TEXT_FIELD("step", step_names[s->step]);
	sp->bound[3] = SEAL_INT_FIELD("certs_sent", s->certs_sent);
	sp->bound[4] = SEAL_BLOB_FIELD("sd_point", s->sd_point,
				       sizeof(s->sd_point));
	sp->bound[5] = SEAL_BLOB_FIELD("chain", s->chain, sizeof(s->chain));
	sp->bound[6] = SEAL_INT_FIELD("sm_counter", s->sm_counter);
	sp->place = (struct seal_place){
		.table = "prov_sessions", .row = s->iccid, .column = "secret",
		.fields = sp->bound, .n_fields = 7,
	};
}

static int session_row(sqlite3_stmt *stmt, struct store_prov_session *s)
{
	int64_t counter, certs, sm_counter;
	char step[16];
	int ret;

	ret = db_column_text(stmt, S_ICCID, s->iccid, sizeof(s->iccid));
	if (!ret)
		ret = db_column_bytes_exact(stmt, S_ID, s->id, sizeof(s->id));
	if (!ret)
		ret = db_column_range(stmt, S_COUNTER, 1, UINT32_MAX, &counter);
	if (!ret)
		ret = db_column_text(stmt, S_STEP, step, sizeof(step));
	if (!ret)
		ret = step_parse(step, &s->step);
	if (!ret)
		ret = db_column_range(stmt, S_CERTS, 1, 4, &certs);
	if (!ret)
		ret = db_column_bytes_exact(stmt, S_POINT, s->sd_point,
					    sizeof(s->sd_point));
	if (!ret)
		ret = db_column_bytes_exact(stmt, S_CHAIN, s->chain,
					    sizeof(s->chain));
	if (!ret)
		ret = db_column_range(stmt, S_SM_COUNTER, 0, UINT32_MAX,
				      &sm_counter);
	if (!ret)
		ret = db_column_range(stmt, S_CREATED, INT64_MIN, INT64_MAX,
				      &s->created);
	if (!ret)
		ret = db_column_range(stmt, S_UPDATED, INT64_MIN, INT64_MAX,
				      &s->updated);
	if (!ret) {
		s->counter = (uint32_t)counter;
		s->certs_sent = (uint32_t)certs;
		s->sm_counter = (uint32_t)sm_counter;
	}
	return ret;
}

int sqlite_prov_session_put(struct store *store,
			    const struct store_prov_session *s)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct session_place sp;
	int64_t now = db_now();
	sqlite3_stmt *stmt;
	int ret;

	session_place(&sp, s);
	/* A session of the same id keeps its creation time. */
	ret = db_prepare(ss, "INSERT INTO prov_sessions (" SESSION_COLUMNS
			 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9,"
			 " ?10) ON CONFLICT (iccid) DO UPDATE SET"
			 " id = ?2, counter = ?3, step = ?4, certs_sent = ?5,"
			 " sd_point = ?6, chain = ?7, sm_counter = ?8,"
			 " created = CASE WHEN id = ?2 THEN created ELSE ?9"
			 " END, updated = ?9, secret = ?10", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, s->iccid);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 2, s->id, sizeof(s->id));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 3, s->counter);
	if (!ret)
		ret = db_bind_text(ss, stmt, 4, step_names[s->step]);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, s->certs_sent);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 6, s->sd_point,
				   sizeof(s->sd_point));
	if (!ret)
		ret = db_bind_blob(ss, stmt, 7, s->chain, sizeof(s->chain));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 8, s->sm_counter);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 9, now);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 10, &sp.place, s->secret,
				     sizeof(s->secret));
	return db_step_done(ss, stmt, ret, "write key update session");
}

int sqlite_prov_session_get(struct store *store, const uint8_t *id,
			    struct store_prov_session *s)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct session_place sp;
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " SESSION_COLUMNS
			 " FROM prov_sessions WHERE id = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_blob(ss, stmt, 1, id, STORE_PROV_SESSION_ID_LEN);
	if (!ret)
		ret = db_step_row(ss, stmt, "key update session",
				  "no key update session");
	if (!ret && session_row(stmt, s))
		ret = db_fail(ss, -EUCLEAN,
			      "a key update session row is damaged");
	if (!ret) {
		session_place(&sp, s);
		ret = db_column_secret(ss, stmt, S_SECRET, &sp.place,
				       s->secret, sizeof(s->secret));
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_prov_session_remove(struct store *store, const uint8_t *id)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "DELETE FROM prov_sessions WHERE id = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_blob(ss, stmt, 1, id, STORE_PROV_SESSION_ID_LEN);
	return db_step_one_row(ss, stmt, ret, "remove key update session",
			       "no key update session");
}

int sqlite_prov_session_count(struct store *store)
{
	return db_count_at(to_sqlite(store), "SELECT count(*) FROM"
			   " prov_sessions WHERE ?1 IS NOT NULL", db_now(),
			   "count key update sessions");
}

int sqlite_prov_session_purge(struct store *store, int64_t before)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM prov_sessions"
			    " WHERE updated < ?1", before,
			    "purge key update sessions");
}

const char *store_prov_step_name(enum store_prov_step step)
{
	return (unsigned int)step < N_STEPS ? step_names[step] : "?";
}
