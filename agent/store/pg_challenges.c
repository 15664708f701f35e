// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table bsf_challenges: the Ub challenges every
 * BSF instance on the database shares (store.h). The nonce is the
 * primary key. Taking one is the single use: the row is read under
 * SELECT ... FOR UPDATE, so that of two instances taking one nonce at
 * once the second waits for the first's commit and then reads it spent;
 * the row becomes spent with its secret NULL in the same transaction,
 * committed durably before the secrets leave.
 */
#include <errno.h>
#include <string.h>

#include "pg_db.h"
#include "seal_fields.h"

#define INFO_COLUMNS "nonce, opaque, impi, rand, flags, expires_ms, uss"
enum {
	CH_NONCE, CH_OPAQUE, CH_IMPI, CH_RAND, CH_FLAGS, CH_EXPIRES, CH_USS,
	CH_SPENT, CH_SECRET,
};

static int row_to_info(const PGresult *res, int row,
		       struct store_challenge_info *info)
{
	int64_t flags = 0;
	int ret;

	ret = pg_col_text(res, row, CH_NONCE, info->nonce,
			  sizeof(info->nonce));
	if (!ret)
		ret = pg_col_text(res, row, CH_OPAQUE, info->opaque,
				  sizeof(info->opaque));
	if (!ret)
		ret = pg_col_text(res, row, CH_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = pg_col_bytes_exact(res, row, CH_RAND, info->rand,
					 sizeof(info->rand));
	if (!ret)
		ret = pg_col_int(res, row, CH_FLAGS, 0, STORE_CHALLENGE_FLAGS,
				 &flags);
	if (!ret)
		ret = pg_col_int(res, row, CH_EXPIRES, 1, INT64_MAX,
				 &info->expires_ms);
	if (!ret)
		ret = pg_col_text(res, row, CH_USS, info->uss,
				  sizeof(info->uss));
	info->flags = (uint32_t)flags;
	return ret;
}

int pg_challenge_add(struct store *store,
		     const struct store_challenge *challenge)
{
	struct pg_store *ps = to_pg(store);
	const struct store_challenge_info *info = &challenge->pub;
	struct seal_field bound[SEAL_CHALLENGE_FIELDS];
	struct seal_place place;
	struct pg_params p = { 0 };
	int ret;

	seal_challenge_fields(info, bound);
	place = seal_challenge_place(info, bound);
	pg_param_text(&p, info->nonce);
	pg_param_text(&p, info->opaque);
	pg_param_text(&p, info->impi);
	pg_param_bytes(&p, info->rand, sizeof(info->rand));
	pg_param_int(&p, info->flags);
	pg_param_int(&p, info->expires_ms);
	pg_param_text(&p, info->uss);
	ret = pg_param_secret(ps, &p, &place, challenge->secret,
			      sizeof(challenge->secret));
	if (!ret)
		ret = pg_command(ps, "INSERT INTO bsf_challenges ("
				 INFO_COLUMNS ", spent, secret) VALUES"
				 " ($1, $2, $3, $4, $5, $6, $7, 0, $8)", &p,
				 NULL, "add challenge");
	pg_params_wipe(&p);
	if (ret == -EEXIST)
		pg_fail(ps, ret, "a challenge with that nonce exists");
	return ret;
}

/* The row read under its lock: 0 pending (secret opened), or why not. */
static int read_locked(struct pg_store *ps, const char *nonce, int64_t now_ms,
		       struct store_challenge *c)
{
	struct seal_field bound[SEAL_CHALLENGE_FIELDS];
	struct seal_place place;
	struct pg_params p = { 0 };
	int64_t spent = 0;
	PGresult *res;
	int ret;

	pg_param_text(&p, nonce);
	res = pg_query(ps, "SELECT " INFO_COLUMNS ", spent, secret"
		       " FROM bsf_challenges WHERE nonce = $1 FOR UPDATE", &p,
		       &ret, "take challenge");
	if (!res)
		return ret;
	if (PQntuples(res) == 0) {
		ret = pg_fail(ps, -ENOENT, "no such challenge");
	} else {
		ret = row_to_info(res, 0, &c->pub);
		if (!ret)
			ret = pg_col_int(res, 0, CH_SPENT, 0, 1, &spent);
		if (ret)
			ret = pg_fail(ps, ret, "a challenge row is damaged");
		else if (c->pub.expires_ms <= now_ms)
			ret = pg_fail(ps, -ENOENT, "the challenge expired");
		else if (spent)
			ret = pg_fail(ps, -EALREADY, "challenge already answered");
	}
	if (!ret) {
		seal_challenge_fields(&c->pub, bound);
		place = seal_challenge_place(&c->pub, bound);
		ret = pg_col_secret(ps, res, 0, CH_SECRET, &place, c->secret,
				    sizeof(c->secret));
	}
	PQclear(res);
	return ret;
}

int pg_challenge_take(struct store *store, const char *nonce, int64_t now_ms,
		      struct store_challenge *challenge)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret = pg_begin(ps);

	if (ret)
		return ret;
	ret = read_locked(ps, nonce, now_ms, challenge);
	if (!ret) {
		pg_param_text(&p, nonce);
		ret = pg_command(ps, "UPDATE bsf_challenges"
				 " SET spent = 1, secret = NULL"
				 " WHERE nonce = $1 AND spent = 0", &p,
				 &changed, "spend challenge");
		if (!ret && changed != 1)	/* the lock says it cannot be */
			ret = pg_fail(ps, -EALREADY,
				      "challenge already answered");
	}
	return pg_end(ps, ret);
}

int pg_challenge_pending(struct store *store, const char *impi,
			 int64_t min_expires_ms,
			 struct store_challenge_info *info)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	pg_param_text(&p, impi);
	pg_param_int(&p, min_expires_ms);
	res = pg_query(ps, "SELECT " INFO_COLUMNS " FROM bsf_challenges"
		       " WHERE impi = $1 AND spent = 0 AND expires_ms >= $2"
		       " ORDER BY expires_ms DESC LIMIT 1", &p, &ret,
		       "pending challenge");
	if (!res)
		return ret;
	if (PQntuples(res) == 0) {
		ret = -ENOENT;
	} else {
		ret = row_to_info(res, 0, info);
		if (ret)
			ret = pg_fail(ps, ret, "a challenge row is damaged");
	}
	PQclear(res);
	return ret;
}

int pg_challenge_purge(struct store *store, int64_t now_ms)
{
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_int(&p, now_ms);
	ret = pg_command(to_pg(store), "DELETE FROM bsf_challenges"
			 " WHERE expires_ms <= $1", &p, &changed,
			 "purge challenges");
	return ret ? ret : (int)changed;
}
