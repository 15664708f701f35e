// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's table prov_updates: role prov's record of the key
 * updates it runs (K and OPc sealed at the ICCID, bound to the IMSI and
 * counter). Shared helpers and the engine's rules: store_sqlite.c.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "sqlite_db.h"

#define PROV_COLUMNS "iccid, imsi, counter, state, created, updated, k, opc"
enum { P_ICCID, P_IMSI, P_COUNTER, P_STATE, P_CREATED, P_UPDATED, P_K,
       P_OPC };

static struct seal_place prov_place(const char *iccid, const char *column)
{
	return (struct seal_place){
		.table = "prov_updates", .row = iccid, .column = column,
	};
}

static int prov_row(sqlite3_stmt *stmt, struct store_prov_update_info *info)
{
	char state[16];
	int64_t counter;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = db_column_text(stmt, P_ICCID, info->iccid, sizeof(info->iccid));
	if (!ret)
		ret = db_column_text(stmt, P_IMSI, info->imsi,
				     sizeof(info->imsi));
	if (!ret)
		ret = db_column_range(stmt, P_COUNTER, 1, UINT32_MAX, &counter);
	if (!ret)
		ret = db_column_text(stmt, P_STATE, state, sizeof(state));
	if (!ret)
		ret = store_prov_state_parse(state, &info->state);
	if (!ret)
		ret = db_column_range(stmt, P_CREATED, INT64_MIN, INT64_MAX,
				      &info->created);
	if (!ret)
		ret = db_column_range(stmt, P_UPDATED, INT64_MIN, INT64_MAX,
				      &info->updated);
	if (!ret)
		info->counter = (uint32_t)counter;
	return ret;
}

static int select_update(struct sqlite_store *ss, const char *iccid,
			 struct store_prov_update *u, bool secrets)
{
	struct seal_place place;
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, "SELECT " PROV_COLUMNS
			 " FROM prov_updates WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = db_step_row(ss, stmt, "key update", "no key update");
	if (!ret && prov_row(stmt, &u->pub))
		ret = db_fail(ss, -EUCLEAN, "a key update row is damaged");
	if (!ret && secrets) {
		place = prov_place(iccid, "k");
		ret = db_column_secret(ss, stmt, P_K, &place, u->k,
				       sizeof(u->k));
	}
	if (!ret && secrets) {
		place = prov_place(iccid, "opc");
		ret = db_column_secret(ss, stmt, P_OPC, &place, u->opc,
				       sizeof(u->opc));
	}
	db_release(ss, stmt);
	return ret;
}

/* Over whatever was there: the caller checked it may go. */
static int write_update(struct sqlite_store *ss,
			const struct store_prov_update *u)
{
	const struct store_prov_update_info *info = &u->pub;
	struct seal_place k_place = prov_place(info->iccid, "k");
	struct seal_place opc_place = prov_place(info->iccid, "opc");
	/* What K and OPc are bound to (sqlite_seal.c). */
	const struct seal_field bound[] = {
		SEAL_TEXT_FIELD("imsi", info->imsi),
		SEAL_INT_FIELD("counter", info->counter),
	};
	int64_t now = db_now();
	sqlite3_stmt *stmt;
	int ret;

	k_place.fields = opc_place.fields = bound;
	k_place.n_fields = opc_place.n_fields = sizeof(bound) / sizeof(bound[0]);
	ret = db_prepare(ss, "INSERT OR REPLACE INTO prov_updates ("
			 PROV_COLUMNS ") VALUES (?1, ?2, ?3, 'queued', ?4,"
			 " ?4, ?5, ?6)", &stmt);
	if (ret)
		return ret;
	ret = db_bind_text(ss, stmt, 1, info->iccid);
	if (!ret)
		ret = db_bind_text(ss, stmt, 2, info->imsi);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 3, info->counter);
	if (!ret)
		ret = db_bind_int64(ss, stmt, 4, now);
	if (!ret)
		ret = db_bind_secret(ss, stmt, 5, &k_place, u->k, sizeof(u->k));
	if (!ret)
		ret = db_bind_secret(ss, stmt, 6, &opc_place, u->opc,
				     sizeof(u->opc));
	return db_step_done(ss, stmt, ret, "add key update");
}

int sqlite_prov_update_add(struct store *store,
			   const struct store_prov_update *update)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_prov_update last;
	int ret = db_begin(ss);

	if (ret)
		return ret;
	memset(&last, 0, sizeof(last));
	ret = select_update(ss, update->pub.iccid, &last, false);
	if (ret == -ENOENT)
		ret = 0;
	else if (!ret && last.pub.state != STORE_PROV_HSS_DONE)
		ret = db_fail(ss, -EBUSY, "the USIM's last key update is not"
			      " done");
	else if (!ret && update->pub.counter <= last.pub.counter)
		ret = db_fail(ss, -ESTALE, "key update counter not above the"
			      " last one");
	if (!ret)
		ret = write_update(ss, update);
	store_prov_update_wipe(&last);
	return db_end(ss, ret);
}

int sqlite_prov_update_get(struct store *store, const char *iccid,
			   struct store_prov_update *update)
{
	return select_update(to_sqlite(store), iccid, update, true);
}

int sqlite_prov_update_advance(struct store *store, const char *iccid,
			       uint32_t counter, enum store_prov_state state)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_prov_update u;
	sqlite3_stmt *stmt;
	int ret = db_begin(ss);

	if (ret)
		return ret;
	memset(&u, 0, sizeof(u));
	ret = select_update(ss, iccid, &u, false);
	if (!ret && u.pub.counter != counter)
		ret = db_fail(ss, -ESTALE, "another key update's counter");
	else if (!ret && state == u.pub.state)
		ret = 1;	/* there already: nothing to write */
	else if (!ret && state < u.pub.state)
		ret = db_fail(ss, -EINVAL,
			      "a key update's state goes forward only");
	if (!ret)
		ret = db_prepare(ss, "UPDATE prov_updates SET state = ?2,"
				 " updated = ?3 WHERE iccid = ?1", &stmt);
	if (!ret) {
		ret = db_bind_text(ss, stmt, 1, iccid);
		if (!ret)
			ret = db_bind_text(ss, stmt, 2,
					   store_prov_state_name(state));
		if (!ret)
			ret = db_bind_int64(ss, stmt, 3, db_now());
		ret = db_step_one_row(ss, stmt, ret, "advance key update",
				      "no key update");
	}
	if (ret > 0) {
		db_end(ss, -1);
		return 0;
	}
	return db_end(ss, ret);
}

int sqlite_prov_update_list(struct store *store, store_prov_update_fn fn,
			    void *arg)
{
	struct store_prov_update_info info;
	struct db_rows rows;

	/* K and OPc are not read: the list carries no secret. */
	db_rows_open(&rows, to_sqlite(store), "SELECT " PROV_COLUMNS
		     " FROM prov_updates ORDER BY iccid", "list key updates");
	while (db_rows_next(&rows))
		if (db_rows_read(&rows, prov_row(rows.stmt, &info) ? -EUCLEAN : 0,
				 "a key update row is damaged"))
			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
	return db_rows_close(&rows, !fn);
}
