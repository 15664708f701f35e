// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's table sgw_ues: what an SGW keeps per IMSI (no
 * key), each row with its MAC as the SQLite engine makes it (row_mac.h).
 *
 * What SGW instances sharing the database rely on (store.h): the unique
 * indexes of schema 17 refuse an inner address or HSE TEID a second
 * IMSI (-EEXIST, SQLSTATE 23505); replace is one statement whose WHERE
 * is the row as the instance last read it, MAC included (the MAC of the
 * expected values, so a row changed behind the store never matches).
 * Of two instances replacing one row at once, the second waits for the
 * first's commit, then finds the row changed (READ COMMITTED re-checks
 * the WHERE on the new version) and changes nothing: -ESTALE. Each
 * statement commits on its own, durably (store_pg.c), before it returns.
 */
#include <errno.h>
#include <string.h>

#include "pg_db.h"

#define SGW_UE_COLUMNS "imsi, last_ksi, inner_ipv4, hse_teid, attached," \
	" ue_address, ue_port, ue_teid"
#define SGW_UE_N	8
enum {
	SU_IMSI, SU_LAST_KSI, SU_INNER_IPV4, SU_HSE_TEID, SU_ATTACHED,
	SU_UE_ADDRESS, SU_UE_PORT, SU_UE_TEID, SU_MAC,
};

/* The row's values in SGW_UE_COLUMNS' order, as its MAC covers them. */
static void sgw_ue_fields(const struct store_sgw_ue *u,
			  struct seal_field f[SGW_UE_N])
{
	f[0] = SEAL_TEXT_FIELD("imsi", u->imsi);
	f[1] = SEAL_INT_FIELD("last_ksi", u->last_ksi);
	f[2] = SEAL_TEXT_FIELD("inner_ipv4", u->inner_ipv4);
	f[3] = SEAL_INT_FIELD("hse_teid", u->hse_teid);
	f[4] = SEAL_INT_FIELD("attached", u->attached);
	f[5] = SEAL_TEXT_FIELD("ue_address", u->ue_address);
	f[6] = SEAL_INT_FIELD("ue_port", u->ue_port);
	f[7] = SEAL_INT_FIELD("ue_teid", u->ue_teid);
}

/* u's columns, then its MAC (into mac), as the next parameters. */
static int params_of(struct pg_store *ps, struct pg_params *p,
		     const struct store_sgw_ue *u, bool with_imsi,
		     uint8_t mac[ROW_MAC_LEN])
{
	struct seal_field f[SGW_UE_N];

	if (with_imsi)
		pg_param_text(p, u->imsi);
	pg_param_int(p, u->last_ksi);
	pg_param_text(p, u->inner_ipv4);
	pg_param_int(p, u->hse_teid);
	pg_param_int(p, u->attached);
	pg_param_text(p, u->ue_address);
	pg_param_int(p, u->ue_port);
	pg_param_int(p, u->ue_teid);
	sgw_ue_fields(u, f);
	return pg_param_row_mac(ps, p, "sgw_ues", f, SGW_UE_N, mac);
}

/* The row, its MAC checked last: -EUCLEAN, -EKEYREJECTED or 0. */
static int row_to_sgw_ue(struct pg_store *ps, const PGresult *res, int row,
			 struct store_sgw_ue *u)
{
	int64_t ksi = 0, teid = 0, attached = 0, port = 0, ue_teid = 0;
	struct seal_field f[SGW_UE_N];
	int ret;

	memset(u, 0, sizeof(*u));
	ret = pg_col_text(res, row, SU_IMSI, u->imsi, sizeof(u->imsi));
	if (!ret)
		ret = pg_col_int(res, row, SU_LAST_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = pg_col_text(res, row, SU_INNER_IPV4, u->inner_ipv4,
				  sizeof(u->inner_ipv4));
	if (!ret)
		ret = pg_col_int(res, row, SU_HSE_TEID, 0, UINT32_MAX, &teid);
	if (!ret)
		ret = pg_col_int(res, row, SU_ATTACHED, 0, 1, &attached);
	if (!ret)
		ret = pg_col_text(res, row, SU_UE_ADDRESS, u->ue_address,
				  sizeof(u->ue_address));
	if (!ret)
		ret = pg_col_int(res, row, SU_UE_PORT, 0, UINT16_MAX, &port);
	if (!ret)
		ret = pg_col_int(res, row, SU_UE_TEID, 0, UINT32_MAX, &ue_teid);
	u->last_ksi = (uint8_t)ksi;
	u->hse_teid = (uint32_t)teid;
	u->attached = (uint8_t)attached;
	u->ue_port = (uint16_t)port;
	u->ue_teid = (uint32_t)ue_teid;
	if (ret)
		return pg_fail(ps, ret, "a SGW UE row is damaged");
	sgw_ue_fields(u, f);
	return pg_col_row_mac(ps, res, row, SU_MAC, "sgw_ues", f, SGW_UE_N);
}

/* A write of one row: 0, -ESTALE when it changed none (one_row), -errno. */
static int write_sgw_ue(struct pg_store *ps, const char *sql,
			const struct pg_params *p, bool one_row)
{
	uint64_t changed = 0;
	int ret = pg_command(ps, sql, p, &changed, "put SGW UE");

	if (ret == -EEXIST)
		pg_fail(ps, ret, "the inner address or HSE TEID is another"
			" IMSI's");
	if (!ret && one_row && changed != 1)
		ret = pg_fail(ps, -ESTALE, "the SGW UE row changed since it"
			      " was read (another instance?)");
	return ret;
}

#define SGW_UE_VALUES "$1, $2, $3, $4, $5, $6, $7, $8, $9"

int pg_sgw_ue_put(struct store *store, const struct store_sgw_ue *u)
{
	struct pg_store *ps = to_pg(store);
	uint8_t mac[ROW_MAC_LEN];
	struct pg_params p = { 0 };
	int ret = params_of(ps, &p, u, true, mac);

	if (!ret)
		ret = write_sgw_ue(ps, "INSERT INTO sgw_ues (" SGW_UE_COLUMNS
				   ", mac) VALUES (" SGW_UE_VALUES ")"
				   " ON CONFLICT (imsi) DO UPDATE SET"
				   " last_ksi = EXCLUDED.last_ksi,"
				   " inner_ipv4 = EXCLUDED.inner_ipv4,"
				   " hse_teid = EXCLUDED.hse_teid,"
				   " attached = EXCLUDED.attached,"
				   " ue_address = EXCLUDED.ue_address,"
				   " ue_port = EXCLUDED.ue_port,"
				   " ue_teid = EXCLUDED.ue_teid,"
				   " mac = EXCLUDED.mac", &p, false);
	return ret;
}

int pg_sgw_ue_replace(struct store *store, const struct store_sgw_ue *u,
		      const struct store_sgw_ue *expected)
{
	struct pg_store *ps = to_pg(store);
	uint8_t mac[ROW_MAC_LEN], old_mac[ROW_MAC_LEN];
	struct pg_params p = { 0 };
	int ret = params_of(ps, &p, u, true, mac);

	if (ret)
		return ret;
	if (!expected)
		return write_sgw_ue(ps, "INSERT INTO sgw_ues (" SGW_UE_COLUMNS
				    ", mac) VALUES (" SGW_UE_VALUES ")"
				    " ON CONFLICT (imsi) DO NOTHING", &p, true);
	ret = params_of(ps, &p, expected, false, old_mac);
	if (!ret)
		ret = write_sgw_ue(ps, "UPDATE sgw_ues SET last_ksi = $2,"
				   " inner_ipv4 = $3, hse_teid = $4,"
				   " attached = $5, ue_address = $6,"
				   " ue_port = $7, ue_teid = $8, mac = $9"
				   " WHERE imsi = $1 AND last_ksi = $10"
				   " AND inner_ipv4 = $11 AND hse_teid = $12"
				   " AND attached = $13 AND ue_address = $14"
				   " AND ue_port = $15 AND ue_teid = $16"
				   " AND mac = $17", &p, true);
	return ret;
}

int pg_sgw_ue_get(struct store *store, const char *imsi,
		  struct store_sgw_ue *u)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	pg_param_text(&p, imsi);
	res = pg_query(ps, "SELECT " SGW_UE_COLUMNS ", mac FROM sgw_ues"
		       " WHERE imsi = $1", &p, &ret, "SGW UE");
	if (!res)
		return ret;
	if (PQntuples(res) == 0)
		ret = pg_fail(ps, -ENOENT, "no such SGW UE");
	else
		ret = row_to_sgw_ue(ps, res, 0, u);
	PQclear(res);
	return ret;
}

/* By IMSI in octet order, as SQLite's BINARY collation lists them. */
int pg_sgw_ue_list(struct store *store, store_sgw_ue_fn fn, void *arg)
{
	struct pg_store *ps = to_pg(store);
	struct store_sgw_ue u;
	PGresult *res;
	int ret, i, n;

	res = pg_query(ps, "SELECT " SGW_UE_COLUMNS ", mac FROM sgw_ues"
		       " ORDER BY imsi COLLATE \"C\"", NULL, &ret,
		       "list SGW UEs");
	if (!res)
		return ret;
	n = PQntuples(res);
	for (i = 0; !ret && i < n; i++) {
		ret = row_to_sgw_ue(ps, res, i, &u);
		if (!ret && fn)
			ret = fn(&u, arg);
	}
	PQclear(res);
	return ret ? ret : fn ? 0 : n;
}

/* ---- meta 'sgw_pool': the pool the SGW instances hand out --------------- */

#define POOL_NAME	"sgw_pool"

static const struct seal_place pool_place = {
	.table = "meta", .row = POOL_NAME, .column = "value",
};

int pg_sgw_pool_get(struct store *store, uint8_t value[STORE_SGW_POOL_SIZE])
{
	struct pg_store *ps = to_pg(store);
	PGresult *res;
	int ret;

	res = pg_query(ps, "SELECT value FROM meta WHERE name = '" POOL_NAME
		       "'", NULL, &ret, "SGW pool record");
	if (!res)
		return ret;
	if (PQntuples(res) == 0)
		ret = pg_fail(ps, -ENOENT, "no SGW pool recorded");
	else
		ret = pg_col_secret(ps, res, 0, 0, &pool_place, value,
				    STORE_SGW_POOL_SIZE);
	PQclear(res);
	return ret;
}

/*
 * add: ON CONFLICT DO NOTHING, so that of two instances adding at once
 * the second waits for the first's commit and changes no row (-EEXIST),
 * rather than failing the statement.
 */
int pg_sgw_pool_write(struct store *store,
		      const uint8_t value[STORE_SGW_POOL_SIZE], bool replace)
{
	struct pg_store *ps = to_pg(store);
	struct pg_params p = { 0 };
	uint64_t changed = 0;
	int ret;

	ret = pg_param_secret(ps, &p, &pool_place, value, STORE_SGW_POOL_SIZE);
	if (!ret)
		ret = pg_command(ps, replace ?
				 "INSERT INTO meta (name, value) VALUES ('"
				 POOL_NAME "', $1) ON CONFLICT (name)"
				 " DO UPDATE SET value = EXCLUDED.value" :
				 "INSERT INTO meta (name, value) VALUES ('"
				 POOL_NAME "', $1) ON CONFLICT (name)"
				 " DO NOTHING", &p, &changed,
				 "record the SGW pool");
	pg_params_wipe(&p);
	if (!ret && changed != 1)
		ret = pg_fail(ps, -EEXIST, "an SGW pool is recorded already");
	return ret;
}
