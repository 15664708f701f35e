// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table hse_flows: the flows an HSE installed
 * (no key), each row with its MAC as the SQLite engine makes it
 * (row_mac.h). The key is (owner, teid): one row per TEID of each HSE
 * instance (store.h), every statement naming its owner, so no instance
 * reads or writes another's rows; put replaces the row whole (a rekey),
 * put_many is one transaction, all rows or none. Each write commits
 * durably before it returns (store_pg.c).
 */
#include <errno.h>
#include <string.h>

#include "pg_db.h"

/* Up to schema 17; 18 added owner, the last value its MAC covers. */
#define HSE_FLOW_COLUMNS_17 "teid, ue_teid, imsi, rand, sqn, ksi," \
	" ue_address, ue_port, inner_ipv4, inner_ipv6, device, created"
#define HSE_FLOW_COLUMNS HSE_FLOW_COLUMNS_17 ", owner"
#define HSE_FLOW_N_17	12
#define HSE_FLOW_N	13
#define HSE_FLOW_SELECT "SELECT " HSE_FLOW_COLUMNS ", mac FROM hse_flows"
enum {
	HF_TEID, HF_UE_TEID, HF_IMSI, HF_RAND, HF_SQN, HF_KSI, HF_UE_ADDRESS,
	HF_UE_PORT, HF_INNER_IPV4, HF_INNER_IPV6, HF_DEVICE, HF_CREATED,
	HF_OWNER, HF_MAC,
};

/* The row's values in HSE_FLOW_COLUMNS' order, as its MAC covers them. */
static void hse_flow_fields(const struct store_hse_flow *f,
			    struct seal_field v[HSE_FLOW_N])
{
	v[0] = SEAL_INT_FIELD("teid", f->teid);
	v[1] = SEAL_INT_FIELD("ue_teid", f->ue_teid);
	v[2] = SEAL_TEXT_FIELD("imsi", f->imsi);
	v[3] = SEAL_BLOB_FIELD("rand", f->rand, sizeof(f->rand));
	v[4] = SEAL_BLOB_FIELD("sqn", f->sqn, sizeof(f->sqn));
	v[5] = SEAL_INT_FIELD("ksi", f->ksi);
	v[6] = SEAL_TEXT_FIELD("ue_address", f->ue_address);
	v[7] = SEAL_INT_FIELD("ue_port", f->ue_port);
	v[8] = SEAL_TEXT_FIELD("inner_ipv4", f->inner_ipv4);
	v[9] = SEAL_TEXT_FIELD("inner_ipv6", f->inner_ipv6);
	v[10] = SEAL_TEXT_FIELD("device", f->device);
	v[11] = SEAL_INT_FIELD("created", f->created);
	v[12] = SEAL_TEXT_FIELD("owner", f->owner);
}

/*
 * The row, its MAC over its first n_maced values checked last (all of
 * them but before schema 18): -EUCLEAN, -EKEYREJECTED or 0.
 */
static int row_to_hse_flow(struct pg_store *ps, const PGresult *res, int row,
			   size_t n_maced, struct store_hse_flow *f)
{
	int64_t teid = 0, ue_teid = 0, ksi = 0, port = 0;
	struct seal_field v[HSE_FLOW_N];
	int ret;

	memset(f, 0, sizeof(*f));
	ret = pg_col_int(res, row, HF_TEID, 1, UINT32_MAX, &teid);
	if (!ret)
		ret = pg_col_int(res, row, HF_UE_TEID, 1, UINT32_MAX, &ue_teid);
	if (!ret)
		ret = pg_col_text(res, row, HF_IMSI, f->imsi, sizeof(f->imsi));
	if (!ret)
		ret = pg_col_bytes_exact(res, row, HF_RAND, f->rand,
					 sizeof(f->rand));
	if (!ret)
		ret = pg_col_bytes_exact(res, row, HF_SQN, f->sqn,
					 sizeof(f->sqn));
	if (!ret)
		ret = pg_col_int(res, row, HF_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = pg_col_text(res, row, HF_UE_ADDRESS, f->ue_address,
				  sizeof(f->ue_address));
	if (!ret)
		ret = pg_col_int(res, row, HF_UE_PORT, 1, UINT16_MAX, &port);
	if (!ret)
		ret = pg_col_text(res, row, HF_INNER_IPV4, f->inner_ipv4,
				  sizeof(f->inner_ipv4));
	if (!ret)
		ret = pg_col_text(res, row, HF_INNER_IPV6, f->inner_ipv6,
				  sizeof(f->inner_ipv6));
	if (!ret)
		ret = pg_col_text(res, row, HF_DEVICE, f->device,
				  sizeof(f->device));
	if (!ret)
		ret = pg_col_int(res, row, HF_CREATED, INT64_MIN, INT64_MAX,
				 &f->created);
	if (!ret)
		ret = pg_col_text(res, row, HF_OWNER, f->owner,
				  sizeof(f->owner));
	f->teid = (uint32_t)teid;
	f->ue_teid = (uint32_t)ue_teid;
	f->ksi = (uint8_t)ksi;
	f->ue_port = (uint16_t)port;
	if (ret)
		return pg_fail(ps, ret, "a HSE flow row is damaged");
	hse_flow_fields(f, v);
	return pg_col_row_mac(ps, res, row, HF_MAC, "hse_flows", v, n_maced);
}

/* One row, in the transaction in force (its own if none). */
static int put_hse_flow(struct pg_store *ps, const struct store_hse_flow *f)
{
	struct seal_field v[HSE_FLOW_N];
	uint8_t mac[ROW_MAC_LEN];
	struct pg_params p = { 0 };
	int ret;

	pg_param_int(&p, f->teid);
	pg_param_int(&p, f->ue_teid);
	pg_param_text(&p, f->imsi);
	pg_param_bytes(&p, f->rand, sizeof(f->rand));
	pg_param_bytes(&p, f->sqn, sizeof(f->sqn));
	pg_param_int(&p, f->ksi);
	pg_param_text(&p, f->ue_address);
	pg_param_int(&p, f->ue_port);
	pg_param_text(&p, f->inner_ipv4);
	pg_param_text(&p, f->inner_ipv6);
	pg_param_text(&p, f->device);
	pg_param_int(&p, f->created);
	pg_param_text(&p, f->owner);
	hse_flow_fields(f, v);
	ret = pg_param_row_mac(ps, &p, "hse_flows", v, HSE_FLOW_N, mac);
	if (!ret)
		ret = pg_command(ps, "INSERT INTO hse_flows (" HSE_FLOW_COLUMNS
				 ", mac) VALUES ($1, $2, $3, $4, $5, $6, $7,"
				 " $8, $9, $10, $11, $12, $13, $14)"
				 " ON CONFLICT (owner, teid) DO UPDATE SET"
				 " ue_teid = EXCLUDED.ue_teid,"
				 " imsi = EXCLUDED.imsi, rand = EXCLUDED.rand,"
				 " sqn = EXCLUDED.sqn, ksi = EXCLUDED.ksi,"
				 " ue_address = EXCLUDED.ue_address,"
				 " ue_port = EXCLUDED.ue_port,"
				 " inner_ipv4 = EXCLUDED.inner_ipv4,"
				 " inner_ipv6 = EXCLUDED.inner_ipv6,"
				 " device = EXCLUDED.device,"
				 " created = EXCLUDED.created,"
				 " mac = EXCLUDED.mac", &p, NULL,
				 "put HSE flow");
	return ret;
}

int pg_hse_flow_put(struct store *store, const struct store_hse_flow *f)
{
	return put_hse_flow(to_pg(store), f);
}

int pg_hse_flow_put_many(struct store *store,
			 const struct store_hse_flow *flows, size_t n)
{
	struct pg_store *ps = to_pg(store);
	int ret = pg_begin(ps);
	size_t i;

	for (i = 0; !ret && i < n; i++)
		ret = put_hse_flow(ps, &flows[i]);
	return pg_end(ps, ret);
}

int pg_hse_flow_get(struct store *store, const char *owner, uint32_t teid,
		    struct store_hse_flow *f)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	pg_param_text(&p, owner);
	pg_param_int(&p, teid);
	res = pg_query(ps, HSE_FLOW_SELECT " WHERE owner = $1 AND teid = $2",
		       &p, &ret, "HSE flow");
	if (!res)
		return ret;
	if (PQntuples(res) == 0)
		ret = pg_fail(ps, -ENOENT, "no such HSE flow");
	else
		ret = row_to_hse_flow(ps, res, 0, HSE_FLOW_N, f);
	PQclear(res);
	return ret;
}

int pg_hse_flow_remove(struct store *store, const char *owner, uint32_t teid)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_text(&p, owner);
	pg_param_int(&p, teid);
	ret = pg_command(ps, "DELETE FROM hse_flows WHERE owner = $1 AND"
			 " teid = $2", &p, &changed, "remove HSE flow");
	if (!ret && changed != 1)
		ret = pg_fail(ps, -ENOENT, "no such HSE flow");
	return ret;
}

/* owner's rows by TEID; every owner's (owner first) when owner is NULL. */
int pg_hse_flow_list(struct store *store, const char *owner,
		     store_hse_flow_fn fn, void *arg)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	struct store_hse_flow f;
	PGresult *res;
	int ret, i, n;

	if (owner) {
		pg_param_text(&p, owner);
		res = pg_query(ps, HSE_FLOW_SELECT " WHERE owner = $1"
			       " ORDER BY teid", &p, &ret, "list HSE flows");
	} else {
		res = pg_query(ps, HSE_FLOW_SELECT " ORDER BY owner, teid",
			       NULL, &ret, "list HSE flows");
	}
	if (!res)
		return ret;
	n = PQntuples(res);
	for (i = 0; !ret && i < n; i++) {
		ret = row_to_hse_flow(ps, res, i, HSE_FLOW_N, &f);
		if (!ret && fn)
			ret = fn(&f, arg);
	}
	PQclear(res);
	return ret ? ret : fn ? 0 : n;
}

/* ---- the migration to schema 18 ---------------------------------------- */

/*
 * One row of before schema 18: when its MAC of schema 17 holds, it gets
 * owner and a MAC over all its values.
 */
static int give_owner(struct pg_store *ps, const PGresult *res, int row,
		      const char *owner)
{
	struct seal_field v[HSE_FLOW_N];
	uint8_t mac[ROW_MAC_LEN];
	struct store_hse_flow f;
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret = row_to_hse_flow(ps, res, row, HSE_FLOW_N_17, &f);

	/* A row that fails it stays as it is, refused on read. */
	if (ret == -EKEYREJECTED || ret == -EUCLEAN)
		return 0;
	if (ret)
		return ret;
	memcpy(f.owner, owner, strlen(owner) + 1);
	pg_param_text(&p, f.owner);
	hse_flow_fields(&f, v);
	ret = pg_param_row_mac(ps, &p, "hse_flows", v, HSE_FLOW_N, mac);
	pg_param_int(&p, f.teid);
	if (!ret)
		ret = pg_command(ps, "UPDATE hse_flows SET owner = $1, mac = $2"
				 " WHERE owner = '' AND teid = $3", &p,
				 &changed, "HSE flow owners");
	if (!ret && changed != 1)
		ret = pg_fail(ps, -EIO, "HSE flow owners: a row went away");
	return ret;
}

/*
 * 17 -> 18, in the migration's transaction under its lock (store_pg.c),
 * after its SQL gave every row owner '': as the SQLite engine's step
 * (db_hse_flow_owner_upgrade()), each row whose MAC of schema 17 holds
 * gets this host's name as its owner and a MAC over all its values; a
 * row that fails it stays, refused on read. No HSE could use this
 * engine before schema 18 (its role was refused here), so only a store
 * that tests wrote has rows to give an owner.
 */
int pg_hse_flow_owner_upgrade(struct pg_store *ps)
{
	char owner[STORE_HSE_OWNER_MAX + 1];
	PGresult *res;
	int ret, i, n;

	res = pg_query(ps, "SELECT " HSE_FLOW_COLUMNS_17 ", owner, mac FROM"
		       " hse_flows WHERE owner = '' ORDER BY teid", NULL, &ret,
		       "HSE flow owners");
	if (!res)
		return ret;
	n = PQntuples(res);
	if (n && store_hse_owner_default(owner, sizeof(owner)))
		ret = pg_fail(ps, -EINVAL, "hse_flows has rows from before"
			      " schema 18, and this host's name is no HSE"
			      " instance name to give them");
	for (i = 0; !ret && i < n; i++)
		ret = give_owner(ps, res, i, owner);
	PQclear(res);
	return ret;
}
