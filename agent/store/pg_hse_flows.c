// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table hse_flows: the flows an HSE installed
 * (no key), each row with its MAC as the SQLite engine makes it
 * (row_mac.h). The TEID is the primary key: one row per TEID in the
 * database, whichever instance wrote it; put replaces it whole (a
 * rekey), put_many is one transaction, all rows or none. Each write
 * commits durably before it returns (store_pg.c).
 */
#include <errno.h>
#include <string.h>

#include "pg_db.h"

#define HSE_FLOW_COLUMNS "teid, ue_teid, imsi, rand, sqn, ksi, ue_address," \
	" ue_port, inner_ipv4, inner_ipv6, device, created"
#define HSE_FLOW_N	12
enum {
	HF_TEID, HF_UE_TEID, HF_IMSI, HF_RAND, HF_SQN, HF_KSI, HF_UE_ADDRESS,
	HF_UE_PORT, HF_INNER_IPV4, HF_INNER_IPV6, HF_DEVICE, HF_CREATED,
	HF_MAC,
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
}

/* The row, its MAC checked last: -EUCLEAN, -EKEYREJECTED or 0. */
static int row_to_hse_flow(struct pg_store *ps, const PGresult *res, int row,
			   struct store_hse_flow *f)
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
	f->teid = (uint32_t)teid;
	f->ue_teid = (uint32_t)ue_teid;
	f->ksi = (uint8_t)ksi;
	f->ue_port = (uint16_t)port;
	if (ret)
		return pg_fail(ps, ret, "a HSE flow row is damaged");
	hse_flow_fields(f, v);
	return pg_col_row_mac(ps, res, row, HF_MAC, "hse_flows", v,
			      HSE_FLOW_N);
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
	hse_flow_fields(f, v);
	ret = pg_param_row_mac(ps, &p, "hse_flows", v, HSE_FLOW_N, mac);
	if (!ret)
		ret = pg_command(ps, "INSERT INTO hse_flows (" HSE_FLOW_COLUMNS
				 ", mac) VALUES ($1, $2, $3, $4, $5, $6, $7,"
				 " $8, $9, $10, $11, $12, $13)"
				 " ON CONFLICT (teid) DO UPDATE SET"
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

int pg_hse_flow_get(struct store *store, uint32_t teid,
		    struct store_hse_flow *f)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	pg_param_int(&p, teid);
	res = pg_query(ps, "SELECT " HSE_FLOW_COLUMNS ", mac FROM hse_flows"
		       " WHERE teid = $1", &p, &ret, "HSE flow");
	if (!res)
		return ret;
	if (PQntuples(res) == 0)
		ret = pg_fail(ps, -ENOENT, "no such HSE flow");
	else
		ret = row_to_hse_flow(ps, res, 0, f);
	PQclear(res);
	return ret;
}

int pg_hse_flow_remove(struct store *store, uint32_t teid)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	pg_param_int(&p, teid);
	ret = pg_command(ps, "DELETE FROM hse_flows WHERE teid = $1", &p,
			 &changed, "remove HSE flow");
	if (!ret && changed != 1)
		ret = pg_fail(ps, -ENOENT, "no such HSE flow");
	return ret;
}

int pg_hse_flow_list(struct store *store, store_hse_flow_fn fn, void *arg)
{
	struct pg_store *ps = to_pg(store);
	struct store_hse_flow f;
	PGresult *res;
	int ret, i, n;

	res = pg_query(ps, "SELECT " HSE_FLOW_COLUMNS ", mac FROM hse_flows"
		       " ORDER BY teid", NULL, &ret, "list HSE flows");
	if (!res)
		return ret;
	n = PQntuples(res);
	for (i = 0; !ret && i < n; i++) {
		ret = row_to_hse_flow(ps, res, i, &f);
		if (!ret && fn)
			ret = fn(&f, arg);
	}
	PQclear(res);
	return ret ? ret : fn ? 0 : n;
}
