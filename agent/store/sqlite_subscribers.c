// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table subscribers: the HSS's subscribers (K, OPc
 * sealed; SQN; USS).
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

#define SUBSCRIBER_COLUMNS \
	"imsi, impi, amf, sqn_seq, sqn_ind, sqn_ind_bits, flags, uss, k, opc"
enum {
	SUB_IMSI, SUB_IMPI, SUB_AMF, SUB_SQN_SEQ, SUB_SQN_IND,
	SUB_SQN_IND_BITS, SUB_FLAGS, SUB_USS, SUB_K, SUB_OPC,
};

static struct seal_place subscriber_place(const char *imsi,
					  const char *column)
{
	return (struct seal_place){
		.table = "subscribers", .row = imsi, .column = column,
	};
}

/* The columns every row has, secrets aside. */
static int row_to_subscriber_info(sqlite3_stmt *stmt,
				  struct store_subscriber_info *info)
{
	int64_t amf, seq, ind, ind_bits, flags;
	int ret;

	ret = db_column_text(stmt, SUB_IMSI, info->imsi, sizeof(info->imsi));
	if (!ret)
		ret = db_column_text(stmt, SUB_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = db_column_text(stmt, SUB_USS, info->uss, sizeof(info->uss));
	if (!ret)
		ret = db_column_range(stmt, SUB_AMF, 0, 0xffff, &amf);
	if (!ret)
		ret = db_column_range(stmt, SUB_SQN_IND_BITS, 0,
				   STORE_IND_BITS_MAX, &ind_bits);
	if (!ret)
		ret = db_column_range(stmt, SUB_SQN_SEQ, 0,
				   (INT64_C(1) << (48 - ind_bits)) - 1, &seq);
	if (!ret)
		ret = db_column_range(stmt, SUB_SQN_IND, 0,
				   (INT64_C(1) << ind_bits) - 1, &ind);
	if (!ret)
		ret = db_column_range(stmt, SUB_FLAGS, 0, UINT32_MAX, &flags);
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

static int row_to_subscriber(struct sqlite_store *ss, sqlite3_stmt *stmt,
			     struct store_subscriber *sub)
{
	struct seal_place place;
	int ret = row_to_subscriber_info(stmt, &sub->pub);

	if (ret)
		return db_fail(ss, ret, "a subscriber row is damaged");
	place = subscriber_place(sub->pub.imsi, "k");
	ret = db_column_secret(ss, stmt, SUB_K, &place, sub->k, sizeof(sub->k));
	if (ret)
		return ret;
	place = subscriber_place(sub->pub.imsi, "opc");
	return db_column_secret(ss, stmt, SUB_OPC, &place, sub->opc,
			     sizeof(sub->opc));
}

/* Reads the subscriber whose IMSI or IMPI is id into sub. */
static int select_subscriber(struct sqlite_store *ss, const char *id,
			     struct store_subscriber *sub)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " SUBSCRIBER_COLUMNS " FROM subscribers"
			  " WHERE imsi = ?1 OR impi = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, id);
	if (!ret) {
		ret = db_step_row(ss, stmt, "subscriber", "no such subscriber");
		if (!ret)
			ret = row_to_subscriber(ss, stmt, sub);
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_subscriber_add(struct store *store,
			  const struct store_subscriber *sub)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_subscriber_info *info = &sub->pub;
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place k_place, opc_place;
	int64_t now = db_now();
	sqlite3_stmt *stmt;
	int ret;

	/* What K and OPc are bound to (sqlite_seal.c, seal_fields.h). */
	seal_subscriber_fields(info, bound);
	k_place = seal_subscriber_place(info, "k", bound);
	opc_place = seal_subscriber_place(info, "opc", bound);

	ret = db_prepare(ss, "INSERT INTO subscribers (" SUBSCRIBER_COLUMNS
			  ", created, updated)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
		      &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->imsi);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->impi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 3, info->amf[0] << 8 | info->amf[1]);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, (int64_t)info->sqn.seq);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->sqn.ind);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 6, info->sqn.ind_bits);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 7, info->flags);
	if (!ret)
		ret = db_bind_text(ss, stmt, 8, info->uss);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 9, &k_place, sub->k, sizeof(sub->k));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 10, &opc_place, sub->opc,
				  sizeof(sub->opc));
	if (!ret)
		ret = db_bind_int64(ss, stmt, 11, now);
	ret = db_step_done(ss, stmt, ret, "add subscriber");
	if (ret == -EEXIST)
		db_fail(ss, ret, "a subscriber with that IMSI or IMPI exists");
	return ret;
}

int sqlite_subscriber_get(struct store *store, const char *id,
			  struct store_subscriber *sub)
{
	int ret = select_subscriber(to_sqlite(store), id, sub);

	if (ret)
		store_subscriber_wipe(sub);
	return ret;
}

int sqlite_subscriber_remove(struct store *store, const char *id)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM subscribers WHERE imsi = ?1 OR impi = ?1",
				 id, "remove subscriber",
				 "no such subscriber");
}

/*
 * The list never selects k or opc: no secret is read, so none can leak
 * through it.
 */
int sqlite_subscriber_list(struct store *store, store_subscriber_fn fn,
			   void *arg)
{
	struct store_subscriber_info *info;
	struct db_rows rows;
	int ret;

	info = malloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	db_rows_open(&rows, to_sqlite(store), "SELECT imsi, impi, amf,"
		     " sqn_seq, sqn_ind, sqn_ind_bits, flags, uss"
		     " FROM subscribers ORDER BY imsi", "list subscribers");
	while (db_rows_next(&rows)) {
		memset(info, 0, sizeof(*info));
		if (db_rows_read(&rows, row_to_subscriber_info(rows.stmt, info),
				 "a subscriber row is damaged"))
			db_rows_visit(&rows, fn ? fn(info, arg) : 0);
	}
	ret = db_rows_close(&rows, !fn);
	free(info);
	return ret;
}

static int update_subscriber_sqn(struct sqlite_store *ss,
				 const struct store_subscriber_info *info)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "UPDATE subscribers SET sqn_seq = ?2, sqn_ind = ?3,"
			  " updated = ?4 WHERE imsi = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->imsi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 2, (int64_t)info->sqn.seq);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 3, info->sqn.ind);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, db_now());
	return db_step_one_row(ss, stmt, ret, "update SQN",
			    "no such subscriber");
}

int sqlite_subscriber_sqn_update(struct store *store, const char *id,
				 store_sqn_he_fn fn, void *arg,
				 struct store_subscriber *sub)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = db_begin(ss);

	if (ret)
		return ret;
	ret = select_subscriber(ss, id, sub);
	if (!ret)
		ret = fn(sub, arg);
	if (ret > 0) {		/* nothing to write */
		db_end(ss, -1);
		return ret;
	}
	if (!ret)
		ret = update_subscriber_sqn(ss, &sub->pub);
	return db_end(ss, ret);
}

/* ---- the key update of seed 004 step 6 ----------------------------------- */

static int select_update_counter(struct sqlite_store *ss, const char *imsi,
				 uint32_t *counter)
{
	sqlite3_stmt *stmt;
	int64_t value;
	int ret;

	ret = db_prepare(ss, "SELECT update_counter FROM subscribers"
			  " WHERE imsi = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, imsi);
	if (!ret)
		ret = db_step_row(ss, stmt, "subscriber", "no such subscriber");
	if (!ret && db_column_range(stmt, 0, 0, UINT32_MAX, &value))
		ret = db_fail(ss, -EUCLEAN, "a subscriber row is damaged");
	db_release(ss, stmt);
	if (!ret)
		*counter = (uint32_t)value;
	return ret;
}

/* The new K and OPc, sealed as subscriber_add() seals them; SQN untouched. */
static int write_keys(struct sqlite_store *ss,
		      const struct store_subscriber_info *info,
		      uint32_t counter, const uint8_t *k, const uint8_t *opc)
{
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place k_place, opc_place;
	sqlite3_stmt *stmt;
	int ret;

	seal_subscriber_fields(info, bound);
	k_place = seal_subscriber_place(info, "k", bound);
	opc_place = seal_subscriber_place(info, "opc", bound);
	ret = db_prepare(ss, "UPDATE subscribers SET k = ?2, opc = ?3,"
			  " update_counter = ?4, updated = ?5 WHERE imsi = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->imsi);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 2, &k_place, k, AKA_K_LEN);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 3, &opc_place, opc, AKA_OP_LEN);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, counter);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, db_now());
	return db_step_one_row(ss, stmt, ret, "update subscriber keys",
			       "no such subscriber");
}

int sqlite_subscriber_update_keys(struct store *store, const char *imsi,
				  uint32_t counter, const uint8_t *k,
				  const uint8_t *opc)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_subscriber *sub = malloc(sizeof(*sub));
	uint32_t last = 0;
	int ret = sub ? db_begin(ss) : -ENOMEM;

	if (ret) {
		free(sub);
		return ret;
	}
	memset(sub, 0, sizeof(*sub));
	ret = select_subscriber(ss, imsi, sub);
	/* By IMSI only: an IMPI that happens to be digits is another row. */
	if (!ret && strcmp(sub->pub.imsi, imsi))
		ret = db_fail(ss, -ENOENT, "no such subscriber");
	if (!ret)
		ret = select_update_counter(ss, imsi, &last);
	if (!ret)
		ret = store_key_update_decide(store, sub, last, counter, k,
					      opc);
	if (!ret)
		ret = write_keys(ss, &sub->pub, counter, k, opc);
	OPENSSL_cleanse(sub, sizeof(*sub));
	free(sub);
	if (ret > 0) {
		db_end(ss, -1);
		return 1;
	}
	return db_end(ss, ret);
}
