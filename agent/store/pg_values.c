// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's values in libpq's binary format: the
 * parameters a statement is sent with, the columns of its answer, and
 * the sealed secrets among both (seal.h). Integers are BIGINT, 8 octets
 * big-endian; text and bytea are their octets. A column of another type
 * or length than the schema gives it is refused as damaged (-EUCLEAN).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pg_db.h"

#define BYTEAOID	17
#define INT8OID		20
#define TEXTOID		25

/* ---- parameters -------------------------------------------------------- */

static int next_param(struct pg_params *p)
{
	if (p->n >= PG_PARAMS_MAX) {
		p->overflow = true;
		return -1;
	}
	p->formats[p->n] = 1;
	return p->n++;
}

void pg_param_text(struct pg_params *p, const char *text)
{
	int i = next_param(p);

	if (i < 0)
		return;
	p->values[i] = text;
	p->lengths[i] = (int)strlen(text);
	p->types[i] = TEXTOID;
}

void pg_param_int(struct pg_params *p, int64_t value)
{
	uint64_t v = (uint64_t)value;
	int i = next_param(p), b;

	if (i < 0)
		return;
	for (b = 7; b >= 0; b--, v >>= 8)
		p->ints[i][b] = (uint8_t)v;
	p->values[i] = (const char *)p->ints[i];
	p->lengths[i] = 8;
	p->types[i] = INT8OID;
}

void pg_param_bytes(struct pg_params *p, const void *bytes, size_t len)
{
	int i = next_param(p);

	if (i < 0)
		return;
	p->values[i] = bytes;
	p->lengths[i] = (int)len;
	p->types[i] = BYTEAOID;
}

/* Seals secret at place (seal.h) into p, as the next parameter. */
int pg_param_secret(struct pg_store *ps, struct pg_params *p,
		    const struct seal_place *place, const uint8_t *secret,
		    size_t len)
{
	uint8_t *blob;
	int ret;

	if (p->n_sealed >= 2 || len > SEAL_SECRET_MAX)
		return pg_fail(ps, -EINVAL, "sealing: too many secrets");
	blob = p->sealed[p->n_sealed++];
	ret = seal_secret(&ps->key, place, secret, len, blob);
	if (ret)
		return pg_fail(ps, ret, "sealing a secret");
	pg_param_bytes(p, blob, SEAL_OVERHEAD + len);
	return 0;
}

/* The sealed blobs are not secret, but nothing of a seal call lingers. */
void pg_params_wipe(struct pg_params *p)
{
	OPENSSL_cleanse(p, sizeof(*p));
}

/* ---- columns ----------------------------------------------------------- */

static const uint8_t *col_value(const PGresult *res, int row, int col,
				size_t *len)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	*len = (size_t)PQgetlength(res, row, col);
	return (const uint8_t *)PQgetvalue(res, row, col);
}

int pg_col_text(const PGresult *res, int row, int col, char *out,
		size_t size)
{
	size_t len = 0;
	const uint8_t *v = col_value(res, row, col, &len);

	out[0] = '\0';
	if (!v || PQftype(res, col) != TEXTOID || len >= size ||
	    memchr(v, '\0', len))
		return -EUCLEAN;
	memcpy(out, v, len);
	out[len] = '\0';
	return 0;
}

int pg_col_int(const PGresult *res, int row, int col, int64_t min,
	       int64_t max, int64_t *out)
{
	size_t len = 0;
	const uint8_t *v = col_value(res, row, col, &len);
	uint64_t u = 0;
	int64_t value;
	size_t i;

	if (!v || PQftype(res, col) != INT8OID || len != 8)
		return -EUCLEAN;
	for (i = 0; i < 8; i++)
		u = u << 8 | v[i];
	value = (int64_t)u;
	if (value < min || value > max)
		return -EUCLEAN;
	*out = value;
	return 0;
}

int pg_col_bytes_exact(const PGresult *res, int row, int col, uint8_t *out,
		       size_t len)
{
	size_t got = 0;
	const uint8_t *v = col_value(res, row, col, &got);

	if (!v || PQftype(res, col) != BYTEAOID || got != len)
		return -EUCLEAN;
	memcpy(out, v, len);
	return 0;
}

/* Opens the sealed secret in a column at place (its bound fields given). */
int pg_col_secret(struct pg_store *ps, const PGresult *res, int row, int col,
		  const struct seal_place *place, uint8_t *secret,
		  size_t len)
{
	size_t blob_len = 0;
	const uint8_t *blob = col_value(res, row, col, &blob_len);
	int ret;

	memset(secret, 0, len);
	if (!blob || PQftype(res, col) != BYTEAOID)
		return pg_fail(ps, -EUCLEAN, "a secret is missing");
	ret = unseal_secret(&ps->key, place, blob, blob_len, secret, len);
	if (ret == -EKEYREJECTED)
		store_set_errmsg(&ps->base,
				 "%s.%s of %s does not open with the store key"
				 " and its row's values", place->table,
				 place->column, place->row);
	return ret;
}

/* ---- row MACs ---------------------------------------------------------- */

int pg_param_row_mac(struct pg_store *ps, struct pg_params *p,
		     const char *table, const struct seal_field *values,
		     size_t n, uint8_t mac[ROW_MAC_LEN])
{
	int ret = row_mac(ps->row_mac, table, values, n, mac);

	if (ret)
		return pg_fail(ps, ret, "row MAC: cannot compute it");
	pg_param_bytes(p, mac, ROW_MAC_LEN);
	return 0;
}

int pg_col_row_mac(struct pg_store *ps, const PGresult *res, int row,
		   int col, const char *table,
		   const struct seal_field *values, size_t n)
{
	uint8_t mac[ROW_MAC_LEN];
	const uint8_t *stored;
	size_t len = 0;
	int ret;

	ret = row_mac(ps->row_mac, table, values, n, mac);
	if (ret)
		return pg_fail(ps, ret, "row MAC: cannot compute it");
	stored = col_value(res, row, col, &len);
	if (stored && PQftype(res, col) == BYTEAOID && len == ROW_MAC_LEN &&
	    !CRYPTO_memcmp(stored, mac, ROW_MAC_LEN))
		return 0;
	store_count_error();
	store_set_errmsg(&ps->base, "a %s row fails its MAC (changed outside"
			 " e2m?): refused", table);
	return -EKEYREJECTED;
}
