// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table usims: a UE's software USIMs and their GBA state.
 * Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

#define SEQ_MS_OCTETS	8	/* one SEQ_MS(i) in the blob */

#define USIM_COLUMNS "iccid, imsi, impi, flags, sqn_ind_bits, sqn_seq_ms, k, opc"
/* What a read takes besides: the key update (schema 9). */
#define USIM_READ_COLUMNS USIM_COLUMNS ", update_counter, pending_k, pending_opc"
enum {
	USIM_ICCID, USIM_IMSI, USIM_IMPI, USIM_FLAGS, USIM_IND_BITS,
	USIM_SEQ_MS, USIM_K, USIM_OPC,
	USIM_UPDATE_COUNTER, USIM_PENDING_K, USIM_PENDING_OPC,
};

static struct seal_place usim_place(const char *iccid, const char *column)
{
	return (struct seal_place){
		.table = "usims", .row = iccid, .column = column,
	};
}

/* The columns K and OPc are bound to (sqlite_seal.c). */
#define USIM_KEY_BOUND 4
static void usim_key_bound(const struct store_usim_info *info,
			   struct seal_field bound[USIM_KEY_BOUND])
{
	bound[0] = SEAL_TEXT_FIELD("imsi", info->imsi);
	bound[1] = SEAL_TEXT_FIELD("impi", info->impi);
	bound[2] = SEAL_INT_FIELD("flags", info->flags);
	bound[3] = SEAL_INT_FIELD("sqn_ind_bits", info->sqn.ind_bits);
}

/* K's and OPc's places in the row of info, bound. */
static void usim_key_places(const struct store_usim_info *info,
			    const char *k_column, const char *opc_column,
			    struct seal_field bound[USIM_KEY_BOUND],
			    struct seal_place *k_place,
			    struct seal_place *opc_place)
{
	usim_key_bound(info, bound);
	*k_place = usim_place(info->iccid, k_column);
	*opc_place = usim_place(info->iccid, opc_column);
	k_place->fields = opc_place->fields = bound;
	k_place->n_fields = opc_place->n_fields = USIM_KEY_BOUND;
}

static size_t seq_ms_blob_len(unsigned int ind_bits)
{
	return (size_t)SEQ_MS_OCTETS << ind_bits;
}

static void seq_ms_to_blob(const struct store_sqn_ms *sqn, uint8_t *blob)
{
	unsigned int i, j;

	for (i = 0; i < 1u << sqn->ind_bits; i++)
		for (j = 0; j < SEQ_MS_OCTETS; j++)
			blob[i * SEQ_MS_OCTETS + j] =
				(uint8_t)(sqn->seq[i] >> (56 - 8 * j));
}

static int seq_ms_from_column(sqlite3_stmt *stmt, int col,
			      struct store_sqn_ms *sqn)
{
	const uint8_t *blob = sqlite3_column_blob(stmt, col);
	uint64_t max = (UINT64_C(1) << (48 - sqn->ind_bits)) - 1;
	unsigned int i, j;

	if (!blob || (size_t)sqlite3_column_bytes(stmt, col) !=
		     seq_ms_blob_len(sqn->ind_bits))
		return -EUCLEAN;
	for (i = 0; i < 1u << sqn->ind_bits; i++) {
		uint64_t seq = 0;

		for (j = 0; j < SEQ_MS_OCTETS; j++)
			seq = seq << 8 | blob[i * SEQ_MS_OCTETS + j];
		if (seq > max)
			return -EUCLEAN;
		sqn->seq[i] = seq;
	}
	return 0;
}

/* The key update's columns: the counter, and the pending keys if any. */
static int row_to_pending(struct sqlite_store *ss, sqlite3_stmt *stmt,
			  struct store_usim *usim)
{
	struct store_usim_info *info = &usim->pub;
	bool no_k = sqlite3_column_type(stmt, USIM_PENDING_K) == SQLITE_NULL;
	bool no_opc = sqlite3_column_type(stmt, USIM_PENDING_OPC) ==
		      SQLITE_NULL;
	struct seal_place place;
	int64_t counter;
	int ret;

	ret = db_column_range(stmt, USIM_UPDATE_COUNTER, 0, UINT32_MAX,
			      &counter);
	if (ret || no_k != no_opc)
		return db_fail(ss, ret ? ret : -EUCLEAN,
			       "a USIM row is damaged");
	info->update_counter = (uint32_t)counter;
	info->has_pending = !no_k;
	if (no_k)
		return 0;
	place = usim_place(info->iccid, "pending_k");
	ret = db_column_secret(ss, stmt, USIM_PENDING_K, &place,
			       usim->pending_k, sizeof(usim->pending_k));
	if (ret)
		return ret;
	place = usim_place(info->iccid, "pending_opc");
	return db_column_secret(ss, stmt, USIM_PENDING_OPC, &place,
				usim->pending_opc, sizeof(usim->pending_opc));
}

static int row_to_usim(struct sqlite_store *ss, sqlite3_stmt *stmt,
		       struct store_usim *usim)
{
	struct store_usim_info *info = &usim->pub;
	struct seal_place place;
	int64_t flags, ind_bits;
	int ret;

	ret = db_column_text(stmt, USIM_ICCID, info->iccid, sizeof(info->iccid));
	if (!ret)
		ret = db_column_text(stmt, USIM_IMSI, info->imsi,
				  sizeof(info->imsi));
	if (!ret)
		ret = db_column_text(stmt, USIM_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = db_column_range(stmt, USIM_FLAGS, 0, UINT32_MAX, &flags);
	if (!ret)
		ret = db_column_range(stmt, USIM_IND_BITS, 0, STORE_IND_BITS_MAX,
				   &ind_bits);
	if (!ret) {
		info->flags = (uint32_t)flags;
		info->sqn.ind_bits = (uint8_t)ind_bits;
		ret = seq_ms_from_column(stmt, USIM_SEQ_MS, &info->sqn);
	}
	if (ret)
		return db_fail(ss, ret, "a USIM row is damaged");
	place = usim_place(info->iccid, "k");
	ret = db_column_secret(ss, stmt, USIM_K, &place, usim->k, sizeof(usim->k));
	if (ret)
		return ret;
	place = usim_place(info->iccid, "opc");
	ret = db_column_secret(ss, stmt, USIM_OPC, &place, usim->opc,
			       sizeof(usim->opc));
	if (!ret)
		ret = row_to_pending(ss, stmt, usim);
	return ret;
}

static int select_usim(struct sqlite_store *ss, const char *iccid,
		       struct store_usim *usim)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " USIM_READ_COLUMNS
			  " FROM usims WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret) {
		ret = db_step_row(ss, stmt, "USIM", "no such USIM");
		if (!ret)
			ret = row_to_usim(ss, stmt, usim);
	}
	db_release(ss, stmt);
	return ret;
}

int sqlite_usim_add(struct store *store, const struct store_usim *usim)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_usim_info *info = &usim->pub;
	struct seal_field bound[USIM_KEY_BOUND];
	struct seal_place k_place, opc_place;
	uint8_t seq_ms[SEQ_MS_OCTETS * STORE_IND_SLOTS_MAX];
	sqlite3_stmt *stmt;
	int ret;

	usim_key_places(info, "k", "opc", bound, &k_place, &opc_place);
	seq_ms_to_blob(&info->sqn, seq_ms);
	ret = db_prepare(ss, "INSERT INTO usims (" USIM_COLUMNS ")"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->iccid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->imsi);
	if (!ret)
		ret = db_bind_text(ss, stmt, 3, info->impi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, info->flags);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, info->sqn.ind_bits);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 6, seq_ms,
				seq_ms_blob_len(info->sqn.ind_bits));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 7, &k_place, usim->k,
				  sizeof(usim->k));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 8, &opc_place, usim->opc,
				  sizeof(usim->opc));
	ret = db_step_done(ss, stmt, ret, "add USIM");
	if (ret == -EEXIST)
		db_fail(ss, ret, "a USIM with that ICCID exists");
	return ret;
}

int sqlite_usim_get(struct store *store, const char *iccid,
		    struct store_usim *usim)
{
	int ret = select_usim(to_sqlite(store), iccid, usim);

	if (ret)
		store_usim_wipe(usim);
	return ret;
}

int sqlite_usim_remove(struct store *store, const char *iccid)
{
	return db_change_one_row(to_sqlite(store),
				 "DELETE FROM usims WHERE iccid = ?1",
				 iccid, "remove USIM", "no such USIM");
}

static int update_usim_sqn(struct sqlite_store *ss,
			   const struct store_usim_info *info)
{
	uint8_t seq_ms[SEQ_MS_OCTETS * STORE_IND_SLOTS_MAX];
	sqlite3_stmt *stmt;
	int ret;

	seq_ms_to_blob(&info->sqn, seq_ms);
	ret = db_prepare(ss, "UPDATE usims SET sqn_seq_ms = ?2 WHERE iccid = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->iccid);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 2, seq_ms,
				seq_ms_blob_len(info->sqn.ind_bits));
	return db_step_one_row(ss, stmt, ret, "update SQN_MS",
			    "no such USIM");
}

/*
 * The end of a key update, in the transaction of the AKA that proved the
 * HSS has the new keys: they become current, the old ones are gone.
 */
static int switch_usim_keys(struct sqlite_store *ss,
			    const struct store_usim *usim)
{
	const char *iccid = usim->pub.iccid;
	struct seal_field bound[USIM_KEY_BOUND];
	struct seal_place k_place, opc_place;
	sqlite3_stmt *stmt;
	int ret;

	usim_key_places(&usim->pub, "k", "opc", bound, &k_place, &opc_place);

	ret = db_prepare(ss, "UPDATE usims SET k = ?2, opc = ?3,"
			  " pending_k = NULL, pending_opc = NULL"
			  " WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 2, &k_place, usim->k,
				     sizeof(usim->k));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 3, &opc_place, usim->opc,
				     sizeof(usim->opc));
	return db_step_one_row(ss, stmt, ret, "switch USIM keys",
			       "no such USIM");
}

int sqlite_usim_sqn_update(struct store *store, const char *iccid,
			   store_sqn_ms_fn fn, void *arg,
			   struct store_usim *usim)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = db_begin(ss);
	bool was_pending;

	if (ret)
		return ret;
	ret = select_usim(ss, iccid, usim);
	was_pending = usim->pub.has_pending;
	if (!ret)
		ret = fn(usim, arg);
	if (ret > 0) {		/* nothing to write */
		db_end(ss, -1);
		return ret;
	}
	/* Keys become pending only through store_usim_stage_keys(). */
	if (!ret && usim->pub.has_pending && !was_pending)
		ret = -EINVAL;
	if (!ret)
		ret = update_usim_sqn(ss, &usim->pub);
	if (!ret && was_pending && !usim->pub.has_pending)
		ret = switch_usim_keys(ss, usim);
	return db_end(ss, ret);
}

int sqlite_usim_gba_set(struct store *store, const char *iccid,
			const struct store_usim_gba *gba)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = usim_place(iccid, "gba_ks");
	/* What Ks is bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_BLOB_FIELD("gba_rand", gba->rand, sizeof(gba->rand)),
		SEAL_TEXT_FIELD("gba_btid", gba->btid),
		SEAL_INT_FIELD("gba_expires", gba->expires),
	};
	sqlite3_stmt *stmt;
	int ret;

	place.fields = bound;
	place.n_fields = sizeof(bound) / sizeof(bound[0]);
	ret = db_prepare(ss, "UPDATE usims SET gba_rand = ?2, gba_ks = ?3,"
			  " gba_btid = ?4, gba_expires = ?5 WHERE iccid = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_bind_blob(ss, stmt, 2, gba->rand, sizeof(gba->rand));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 3, &place, gba->ks, sizeof(gba->ks));
	if (!ret)
		ret = db_bind_text(ss, stmt, 4, gba->btid);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 5, gba->expires);
	return db_step_one_row(ss, stmt, ret, "set GBA_U bootstrap",
			    "no such USIM");
}

int sqlite_usim_gba_get(struct store *store, const char *iccid,
			struct store_usim_gba *gba)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = usim_place(iccid, "gba_ks");
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT gba_rand, gba_btid, gba_expires, gba_ks"
			  " FROM usims WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret) {
		ret = db_step_row(ss, stmt, "USIM", "no such USIM");
		if (!ret && sqlite3_column_type(stmt, 3) == SQLITE_NULL)
			ret = db_fail(ss, -ENOENT, "no GBA_U bootstrap");
		else if (!ret) {
			ret = db_column_bytes_exact(stmt, 0, gba->rand,
						 sizeof(gba->rand));
			if (!ret)
				ret = db_column_text(stmt, 1, gba->btid,
						  sizeof(gba->btid));
			if (!ret)
				ret = db_column_range(stmt, 2, INT64_MIN,
						   INT64_MAX, &gba->expires);
			if (ret)
				ret = db_fail(ss, ret, "a USIM row is damaged");
			else
				ret = db_column_secret(ss, stmt, 3, &place,
						    gba->ks, sizeof(gba->ks));
		}
	}
	db_release(ss, stmt);
	if (ret)
		store_usim_gba_wipe(gba);
	return ret;
}

/* Whether the update is the one already pending: same counter, same keys. */
static bool same_update(const struct store_usim *usim, uint32_t counter,
			const uint8_t *k, const uint8_t *opc)
{
	return usim->pub.has_pending && usim->pub.update_counter == counter &&
	       !CRYPTO_memcmp(usim->pending_k, k, sizeof(usim->pending_k)) &&
	       !CRYPTO_memcmp(usim->pending_opc, opc,
			      sizeof(usim->pending_opc));
}

static int write_pending(struct sqlite_store *ss,
			 const struct store_usim_info *info,
			 uint32_t counter, const uint8_t *k,
			 const uint8_t *opc)
{
	const char *iccid = info->iccid;
	struct seal_place k_place = usim_place(iccid, "pending_k");
	struct seal_place opc_place = usim_place(iccid, "pending_opc");
	/* What the pending keys are bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("imsi", info->imsi),
		SEAL_TEXT_FIELD("impi", info->impi),
		SEAL_INT_FIELD("update_counter", counter),
	};
	sqlite3_stmt *stmt;
	int ret;

	k_place.fields = opc_place.fields = bound;
	k_place.n_fields = opc_place.n_fields = sizeof(bound) / sizeof(bound[0]);

	ret = db_prepare(ss, "UPDATE usims SET pending_k = ?2,"
			  " pending_opc = ?3, update_counter = ?4"
			  " WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 2, &k_place, k, AKA_K_LEN);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 3, &opc_place, opc, AKA_OP_LEN);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, counter);
	return db_step_one_row(ss, stmt, ret, "stage USIM keys",
			       "no such USIM");
}

int sqlite_usim_stage_keys(struct store *store, const char *iccid,
			   uint32_t counter, const uint8_t *k,
			   const uint8_t *opc)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_usim usim;
	int ret = db_begin(ss);

	if (ret)
		return ret;
	memset(&usim, 0, sizeof(usim));
	ret = select_usim(ss, iccid, &usim);
	if (!ret && same_update(&usim, counter, k, opc))
		ret = 1;	/* sent again: already done */
	else if (!ret && counter <= usim.pub.update_counter)
		ret = db_fail(ss, -ESTALE, "key update counter not above"
			      " the last one accepted");
	else if (!ret && usim.pub.has_pending)
		ret = db_fail(ss, -EBUSY,
			      "a key update is pending its first AKA");
	if (!ret)
		ret = write_pending(ss, &usim.pub, counter, k, opc);
	store_usim_wipe(&usim);
	if (ret > 0) {
		db_end(ss, -1);
		return 0;
	}
	return db_end(ss, ret);
}
