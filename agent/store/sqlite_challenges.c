// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table bsf_challenges: the Ub challenges the BSF
 * processes of one e2md (workers: N, daemon/workers.h) share on its
 * SQLite file, with the PostgreSQL engine's semantics (pg_challenges.c,
 * store.h). The nonce is the primary key; the secret (XRES || CK || IK)
 * is sealed at the nonce and bound to every other column but spent
 * (sqlite_seal.c). Taking one is the single use: BEGIN IMMEDIATE takes
 * the database's write lock before the row is read, so that of two
 * processes taking one nonce at once the second waits for the first's
 * commit (the busy timeout) and then reads it spent; the row becomes
 * spent with its secret NULL in the same transaction, whose COMMIT is
 * durable (synchronous=FULL) before the secrets leave.
 */
#include <errno.h>
#include <string.h>

#include <sqlite3.h>

#include "seal_fields.h"
#include "sqlite_db.h"

#define INFO_COLUMNS "nonce, opaque, impi, rand, flags, expires_ms, uss"
enum {
	CH_NONCE, CH_OPAQUE, CH_IMPI, CH_RAND, CH_FLAGS, CH_EXPIRES, CH_USS,
	CH_SPENT, CH_SECRET,
};

static int row_to_info(sqlite3_stmt *stmt, struct store_challenge_info *info)
{
	int64_t flags = 0;
	int ret;

	ret = db_column_text(stmt, CH_NONCE, info->nonce, sizeof(info->nonce));
	if (!ret)
		ret = db_column_text(stmt, CH_OPAQUE, info->opaque,
				     sizeof(info->opaque));
	if (!ret)
		ret = db_column_text(stmt, CH_IMPI, info->impi,
				     sizeof(info->impi));
	if (!ret)
		ret = db_column_bytes_exact(stmt, CH_RAND, info->rand,
					    sizeof(info->rand));
	if (!ret)
		ret = db_column_range(stmt, CH_FLAGS, 0, STORE_CHALLENGE_FLAGS,
				      &flags);
	if (!ret)
		ret = db_column_range(stmt, CH_EXPIRES, 1, INT64_MAX,
				      &info->expires_ms);
	if (!ret)
		ret = db_column_text(stmt, CH_USS, info->uss, sizeof(info->uss));
	info->flags = (uint32_t)flags;
	return ret;
}

int sqlite_challenge_add(struct store *store,
			 const struct store_challenge *challenge)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_challenge_info *info = &challenge->pub;
	struct seal_field bound[SEAL_CHALLENGE_FIELDS];
	struct seal_place place;
	sqlite3_stmt *stmt;
	int ret;

	seal_challenge_fields(info, bound);
	place = seal_challenge_place(info, bound);
	ret = db_prepare(ss, "INSERT INTO bsf_challenges (" INFO_COLUMNS
			 ", spent, secret) VALUES"
			 " (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->nonce);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->opaque);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, info->impi);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 4, info->rand, sizeof(info->rand));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->flags);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, info->expires_ms);
	if (!ret)
		ret = db_bind_text(ss, stmt, 7, info->uss);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 8, &place, challenge->secret,
				     sizeof(challenge->secret));
	ret = db_step_done(ss, stmt, ret, "add challenge");
	if (ret == -EEXIST)
		db_fail(ss, ret, "a challenge with that nonce exists");
	return ret;
}

/* The row read under the write lock: 0 pending (secret opened), or why not. */
static int read_locked(struct sqlite_store *ss, const char *nonce,
		       int64_t now_ms, struct store_challenge *c)
{
	sqlite3_stmt *stmt;
	int64_t spent = 0;
	int ret;

	ret = db_prepare(ss, "SELECT " INFO_COLUMNS ", spent, secret"
			 " FROM bsf_challenges WHERE nonce = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, nonce);
	if (!ret)
		ret = db_step_row(ss, stmt, "take challenge",
				  "no such challenge");
	if (!ret) {
		ret = row_to_info(stmt, &c->pub);
		if (!ret)
			ret = db_column_range(stmt, CH_SPENT, 0, 1, &spent);
		if (ret)
			ret = db_fail(ss, ret, "a challenge row is damaged");
		else if (c->pub.expires_ms <= now_ms)
			ret = db_fail(ss, -ENOENT, "the challenge expired");
		else if (spent)
			ret = db_fail(ss, -EALREADY,
				      "challenge already answered");
	}
	if (!ret) {
		struct seal_field bound[SEAL_CHALLENGE_FIELDS];
		struct seal_place place;

		seal_challenge_fields(&c->pub, bound);
		place = seal_challenge_place(&c->pub, bound);
		ret = db_column_secret(ss, stmt, CH_SECRET, &place, c->secret,
				       sizeof(c->secret));
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_challenge_take(struct store *store, const char *nonce,
			  int64_t now_ms, struct store_challenge *challenge)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret = db_begin(ss);

	if (ret)
		return ret;
	ret = read_locked(ss, nonce, now_ms, challenge);
	if (!ret) {
		ret = db_prepare(ss, "UPDATE bsf_challenges"
				 " SET spent = 1, secret = NULL"
				 " WHERE nonce = ?1 AND spent = 0", &stmt);
		/* The lock says no other can have spent it meanwhile. */
		if (!ret)
			ret = db_step_one_row(ss, stmt,
					      db_bind_text(ss, stmt, 1, nonce),
					      "spend challenge",
					      "challenge already answered");
		if (ret == -ENOENT)
			ret = -EALREADY;
	}
	return db_end(ss, ret);
}

int sqlite_challenge_pending(struct store *store, const char *impi,
			     int64_t min_expires_ms,
			     struct store_challenge_info *info)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	/* The secret is not selected: a pending challenge goes out without. */
	ret = db_prepare(ss, "SELECT " INFO_COLUMNS " FROM bsf_challenges"
			 " WHERE impi = ?1 AND spent = 0 AND expires_ms >= ?2"
			 " ORDER BY expires_ms DESC LIMIT 1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, impi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, min_expires_ms);
	if (!ret)
		ret = db_step_row(ss, stmt, "pending challenge",
				  "no pending challenge");
	if (!ret) {
		ret = row_to_info(stmt, info);
		if (ret)
			ret = db_fail(ss, ret, "a challenge row is damaged");
	}
	db_release(ss, stmt);
	if (ret)
		memset(info, 0, sizeof(*info));
	return ret;
}

int sqlite_challenge_purge(struct store *store, int64_t now_ms)
{
	return db_delete_at(to_sqlite(store), "DELETE FROM bsf_challenges"
			    " WHERE expires_ms <= ?1", now_ms,
			    "purge challenges");
}
