// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table subscribers: the HSS's subscribers (K,
 * OPc sealed as the SQLite engine seals them, seal_fields.h; SQN; USS).
 * The SQN update locks the row (SELECT ... FOR UPDATE) for its
 * transaction: no two instances read the same SQN state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pg_db.h"
#include "seal_fields.h"

#define SUBSCRIBER_INFO_COLUMNS \
	"imsi, impi, amf, sqn_seq, sqn_ind, sqn_ind_bits, flags, uss"
#define SUBSCRIBER_COLUMNS SUBSCRIBER_INFO_COLUMNS ", k, opc"
enum {
	SUB_IMSI, SUB_IMPI, SUB_AMF, SUB_SQN_SEQ, SUB_SQN_IND,
	SUB_SQN_IND_BITS, SUB_FLAGS, SUB_USS, SUB_K, SUB_OPC,
};

/* The columns every row has, secrets aside. */
static int row_to_info(const PGresult *res, int row,
		       struct store_subscriber_info *info)
{
	int64_t amf, seq, ind, ind_bits = 0, flags;
	int ret;

	ret = pg_col_text(res, row, SUB_IMSI, info->imsi, sizeof(info->imsi));
	if (!ret)
		ret = pg_col_text(res, row, SUB_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = pg_col_text(res, row, SUB_USS, info->uss,
				  sizeof(info->uss));
	if (!ret)
		ret = pg_col_int(res, row, SUB_AMF, 0, 0xffff, &amf);
	if (!ret)
		ret = pg_col_int(res, row, SUB_SQN_IND_BITS, 0,
				 STORE_IND_BITS_MAX, &ind_bits);
	if (!ret)
		ret = pg_col_int(res, row, SUB_SQN_SEQ, 0,
				 (INT64_C(1) << (48 - ind_bits)) - 1, &seq);
	if (!ret)
		ret = pg_col_int(res, row, SUB_SQN_IND, 0,
				 (INT64_C(1) << ind_bits) - 1, &ind);
	if (!ret)
		ret = pg_col_int(res, row, SUB_FLAGS, 0, UINT32_MAX, &flags);
	if (ret)
		return ret;
	info->amf[0] = (uint8_t)(amf >> 8);
	info->amf[1] = (uint8_t)amf;
	info->sqn.seq = (uint64_t)seq;
	info->sqn.ind = (uint32_t)ind;
	info->sqn.ind_bits = (uint8_t)ind_bits;
	info->flags = (uint32_t)flags;
	return 0;
}

/* K and OPc open only with the row's bound values as they are now. */
static int row_to_subscriber(struct pg_store *ps, const PGresult *res,
			     struct store_subscriber *sub)
{
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place place;
	int ret = row_to_info(res, 0, &sub->pub);

	if (ret)
		return pg_fail(ps, ret, "a subscriber row is damaged");
	seal_subscriber_fields(&sub->pub, bound);
	place = seal_subscriber_place(&sub->pub, "k", bound);
	ret = pg_col_secret(ps, res, 0, SUB_K, &place, sub->k, sizeof(sub->k));
	if (ret)
		return ret;
	place = seal_subscriber_place(&sub->pub, "opc", bound);
	return pg_col_secret(ps, res, 0, SUB_OPC, &place, sub->opc,
			     sizeof(sub->opc));
}

/* The subscriber whose IMSI or IMPI is id, the row locked if sql says so. */
static int select_subscriber(struct pg_store *ps, const char *sql,
			     const char *id, struct store_subscriber *sub)
{
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	pg_param_text(&p, id);
	res = pg_query(ps, sql, &p, &ret, "subscriber");
	if (!res)
		return ret;
	if (PQntuples(res) == 0)
		ret = pg_fail(ps, -ENOENT, "no such subscriber");
	else
		ret = row_to_subscriber(ps, res, sub);
	PQclear(res);
	return ret;
}

int pg_subscriber_add(struct store *store,
		      const struct store_subscriber *sub)
{
	struct pg_store *ps = to_pg(store);
	const struct store_subscriber_info *info = &sub->pub;
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place k_place, opc_place;
	struct pg_params p = { 0 };
	int ret;

	seal_subscriber_fields(info, bound);
	k_place = seal_subscriber_place(info, "k", bound);
	opc_place = seal_subscriber_place(info, "opc", bound);
	pg_param_text(&p, info->imsi);
	pg_param_text(&p, info->impi);
	pg_param_int(&p, info->amf[0] << 8 | info->amf[1]);
	pg_param_int(&p, (int64_t)info->sqn.seq);
	pg_param_int(&p, info->sqn.ind);
	pg_param_int(&p, info->sqn.ind_bits);
	pg_param_int(&p, info->flags);
	pg_param_text(&p, info->uss);
	ret = pg_param_secret(ps, &p, &k_place, sub->k, sizeof(sub->k));
	if (!ret)
		ret = pg_param_secret(ps, &p, &opc_place, sub->opc,
				      sizeof(sub->opc));
	pg_param_int(&p, pg_now());
	if (!ret)
		ret = pg_command(ps, "INSERT INTO subscribers ("
				 SUBSCRIBER_COLUMNS ", created, updated)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
				 " $10, $11, $11)", &p, NULL, "add subscriber");
	pg_params_wipe(&p);
	if (ret == -EEXIST)
		pg_fail(ps, ret, "a subscriber with that IMSI or IMPI exists");
	return ret;
}

int pg_subscriber_get(struct store *store, const char *id,
		      struct store_subscriber *sub)
{
	int ret = select_subscriber(to_pg(store), "SELECT " SUBSCRIBER_COLUMNS
				    " FROM subscribers"
				    " WHERE imsi = $1 OR impi = $1", id, sub);

	if (ret)
		store_subscriber_wipe(sub);
	return ret;
}

int pg_subscriber_remove(struct store *store, const char *id)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_text(&p, id);
	ret = pg_command(ps, "DELETE FROM subscribers"
			 " WHERE imsi = $1 OR impi = $1", &p, &changed,
			 "remove subscriber");
	if (!ret && !changed)
		ret = pg_fail(ps, -ENOENT, "no such subscriber");
	return ret;
}

/* k and opc are never selected: no secret is read, none can leak. */
int pg_subscriber_list(struct store *store, store_subscriber_fn fn,
		       void *arg)
{
	struct pg_store *ps = to_pg(store);
	struct store_subscriber_info *info;
	PGresult *res;
	int ret, i, n;

	res = pg_query(ps, "SELECT " SUBSCRIBER_INFO_COLUMNS
		       " FROM subscribers ORDER BY imsi COLLATE \"C\"", NULL,
		       &ret, "list subscribers");
	if (!res)
		return ret;
	n = PQntuples(res);
	info = malloc(sizeof(*info));
	ret = info ? 0 : -ENOMEM;
	for (i = 0; !ret && i < n; i++) {
		memset(info, 0, sizeof(*info));
		ret = row_to_info(res, i, info);
		if (ret)
			ret = pg_fail(ps, ret, "a subscriber row is damaged");
		else if (fn)
			ret = fn(info, arg);
	}
	free(info);
	PQclear(res);
	return ret ? ret : fn ? 0 : n;
}

static int update_sqn(struct pg_store *ps,
		      const struct store_subscriber_info *info)
{
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_text(&p, info->imsi);
	pg_param_int(&p, (int64_t)info->sqn.seq);
	pg_param_int(&p, info->sqn.ind);
	pg_param_int(&p, pg_now());
	ret = pg_command(ps, "UPDATE subscribers SET sqn_seq = $2,"
			 " sqn_ind = $3, updated = $4 WHERE imsi = $1", &p,
			 &changed, "update SQN");
	if (!ret && changed != 1)
		ret = pg_fail(ps, -ENOENT, "no such subscriber");
	return ret;
}

/*
 * The row is locked from the SELECT to the COMMIT: another instance's
 * update of this subscriber waits, then reads the SQN written here. The
 * COMMIT returns once the write is durable (synchronous_commit).
 */
int pg_subscriber_sqn_update(struct store *store, const char *id,
			     store_sqn_he_fn fn, void *arg,
			     struct store_subscriber *sub)
{
	struct pg_store *ps = to_pg(store);
	int ret = pg_begin(ps);

	if (ret)
		return ret;
	ret = select_subscriber(ps, "SELECT " SUBSCRIBER_COLUMNS
				" FROM subscribers"
				" WHERE imsi = $1 OR impi = $1 FOR UPDATE",
				id, sub);
	if (!ret)
		ret = fn(sub, arg);
	if (ret > 0) {		/* nothing to write */
		pg_end(ps, -1);
		return ret;
	}
	if (!ret)
		ret = update_sqn(ps, &sub->pub);
	return pg_end(ps, ret);
}

/* ---- the key update of seed 004 step 6 ----------------------------------- */

static int select_update_counter(struct pg_store *ps, const char *imsi,
				 uint32_t *counter)
{
	struct pg_params p = { 0 };
	int64_t value = 0;
	PGresult *res;
	int ret = 0;

	pg_param_text(&p, imsi);
	res = pg_query(ps, "SELECT update_counter FROM subscribers"
		       " WHERE imsi = $1", &p, &ret, "subscriber");
	if (!res)
		return ret;
	if (PQntuples(res) != 1)
		ret = pg_fail(ps, -ENOENT, "no such subscriber");
	else if (pg_col_int(res, 0, 0, 0, UINT32_MAX, &value))
		ret = pg_fail(ps, -EUCLEAN, "a subscriber row is damaged");
	PQclear(res);
	if (!ret)
		*counter = (uint32_t)value;
	return ret;
}

/* The new K and OPc, sealed as pg_subscriber_add() seals them; SQN kept. */
static int write_keys(struct pg_store *ps,
		      const struct store_subscriber_info *info,
		      uint32_t counter, const uint8_t *k, const uint8_t *opc)
{
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place k_place, opc_place;
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	seal_subscriber_fields(info, bound);
	k_place = seal_subscriber_place(info, "k", bound);
	opc_place = seal_subscriber_place(info, "opc", bound);
	pg_param_text(&p, info->imsi);
	ret = pg_param_secret(ps, &p, &k_place, k, AKA_K_LEN);
	if (!ret)
		ret = pg_param_secret(ps, &p, &opc_place, opc, AKA_OP_LEN);
	pg_param_int(&p, counter);
	pg_param_int(&p, pg_now());
	if (!ret)
		ret = pg_command(ps, "UPDATE subscribers SET k = $2, opc = $3,"
				 " update_counter = $4, updated = $5"
				 " WHERE imsi = $1", &p, &changed,
				 "update subscriber keys");
	pg_params_wipe(&p);
	if (!ret && changed != 1)
		ret = pg_fail(ps, -ENOENT, "no such subscriber");
	return ret;
}

/*
 * As the SQLite engine's: the row locked from the SELECT to the COMMIT,
 * so two instances switching one subscriber run one after the other; 1
 * for the same update sent again (nothing written).
 */
int pg_subscriber_update_keys(struct store *store, const char *imsi,
			      uint32_t counter, const uint8_t *k,
			      const uint8_t *opc)
{
	struct pg_store *ps = to_pg(store);
	struct store_subscriber *sub = malloc(sizeof(*sub));
	uint32_t last = 0;
	int ret = sub ? pg_begin(ps) : -ENOMEM;

	if (ret) {
		free(sub);
		return ret;
	}
	memset(sub, 0, sizeof(*sub));
	ret = select_subscriber(ps, "SELECT " SUBSCRIBER_COLUMNS
				" FROM subscribers WHERE imsi = $1 FOR UPDATE",
				imsi, sub);
	if (!ret)
		ret = select_update_counter(ps, imsi, &last);
	if (!ret)
		ret = store_key_update_decide(store, sub, last, counter, k,
					      opc);
	if (!ret)
		ret = write_keys(ps, &sub->pub, counter, k, opc);
	OPENSSL_cleanse(sub, sizeof(*sub));
	free(sub);
	if (ret > 0) {
		pg_end(ps, -1);
		return 1;
	}
	return pg_end(ps, ret);
}
