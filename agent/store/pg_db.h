/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PostgreSQL engine's insides, shared by its files: store_pg.c
 * (connecting, the password file, the migrations, errors, statements,
 * transactions), pg_connect.c (the connection string, the password
 * file, the session's settings), pg_values.c (parameters and columns in libpq's binary
 * format, sealed secrets among them), pg_prepared.c (statements
 * prepared once per connection), pg_schema.c (the
 * migrations' SQL), pg_subscribers.c (the HSS's subscribers), pg_sessions.c
 * (the BSF's bootstrap sessions), pg_challenges.c (the BSF's Ub
 * challenges), pg_sgw_ues.c (the SGW's UEs), pg_hse_flows.c (the HSE's
 * flows) and pg_unsupported.c (the ops not
 * implemented yet: -EOPNOTSUPP).
 *
 * Every statement is fixed text with $n parameters, sent and answered in
 * libpq's binary format: integers are BIGINT (8 octets, big-endian),
 * text and bytea their octets. Not for the rest of the agent: it sees
 * the store through store.h.
 */
#ifndef E2M_STORE_PG_DB_H
#define E2M_STORE_PG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "row_mac.h"
#include "seal.h"
#include "store_engine.h"

#define PG_PARAMS_MAX	18
/* The statement texts prepared on a connection (pg_prepared.c). */
#define PG_PREPARED_MAX	64

struct pg_store {
	struct store base;	/* first: a struct store * is one of these */
	PGconn *conn;
	struct store_key key;
	EVP_MAC_CTX *row_mac;	/* row_mac.h's, keyed from key */
	int schema_version;
	char *prepared[PG_PREPARED_MAX];	/* e2m_N's text */
	int n_prepared;
};

/* A statement's parameters, all in binary format. */
struct pg_params {
	int n;
	const char *values[PG_PARAMS_MAX];
	int lengths[PG_PARAMS_MAX];
	int formats[PG_PARAMS_MAX];
	Oid types[PG_PARAMS_MAX];
	uint8_t ints[PG_PARAMS_MAX][8];
	uint8_t sealed[2][SEAL_BLOB_MAX];	/* pg_param_secret()'s */
	int n_sealed;
	bool overflow;		/* more than PG_PARAMS_MAX: a bug of ours */
};

static inline struct pg_store *to_pg(struct store *store)
{
	return (struct pg_store *)store;
}

/* The migrations' SQL (pg_schema.c): pg_migrations[i] takes i to i + 1. */
extern const char *const pg_migrations[];
extern const size_t pg_n_migrations;
/*
 * What a migration does besides its SQL, in its transaction, after it,
 * with the store key at hand (pg_schema.c): pg_migration_steps[i] runs
 * after pg_migrations[i], when not NULL. Append-only as they are.
 */
extern int (*const pg_migration_steps[])(struct pg_store *ps);

/* Connects ps->conn (pg_connect.c); why says why not. */
int pg_connect(struct pg_store *ps, const char *conninfo,
	       const char *password_file, char *why, size_t why_size);
/* The session's settings, on every connection, a new one after a loss too. */
int pg_session_setup(struct pg_store *ps);

/*
 * A statement run with its parameters (pg_prepared.c): prepared on the
 * connection the first time its text is seen, executed by name after.
 * pg_prepared_forget() when the connection is new (the names are gone).
 */
PGresult *pg_run(struct pg_store *ps, const char *sql,
		 const struct pg_params *p);
void pg_prepared_forget(struct pg_store *ps);

/* Errors: record what failed in the store's message, return the errno. */
int pg_fail(struct pg_store *ps, int err, const char *what);
int pg_fail_result(struct pg_store *ps, PGresult *res, const char *what);

/* Parameters. */
void pg_param_text(struct pg_params *p, const char *text);
void pg_param_int(struct pg_params *p, int64_t value);
void pg_param_bytes(struct pg_params *p, const void *bytes, size_t len);
int pg_param_secret(struct pg_store *ps, struct pg_params *p,
		    const struct seal_place *place, const uint8_t *secret,
		    size_t len);
void pg_params_wipe(struct pg_params *p);

/*
 * Runs sql with p (NULL: none). pg_query() returns the rows (PQclear
 * them) or NULL, the failure then recorded in *err; pg_command() is for
 * a statement without rows: 0 or -errno, *changed (may be NULL) the
 * rows it changed.
 */
PGresult *pg_query(struct pg_store *ps, const char *sql,
		   const struct pg_params *p, int *err, const char *what);
int pg_command(struct pg_store *ps, const char *sql,
	       const struct pg_params *p, uint64_t *changed, const char *what);
/* Fixed SQL without parameters, several statements allowed. */
int pg_exec(struct pg_store *ps, const char *sql);

/* Transactions: BEGIN; pg_end() commits on 0, else rolls back. */
int pg_begin(struct pg_store *ps);
int pg_end(struct pg_store *ps, int ret);

/* Columns of a binary result, each refusing what the schema would not hold. */
int pg_col_text(const PGresult *res, int row, int col, char *out,
		size_t size);
int pg_col_int(const PGresult *res, int row, int col, int64_t min,
	       int64_t max, int64_t *out);
int pg_col_bytes_exact(const PGresult *res, int row, int col, uint8_t *out,
		       size_t len);
int pg_col_secret(struct pg_store *ps, const PGresult *res, int row, int col,
		  const struct seal_place *place, uint8_t *secret,
		  size_t len);

int64_t pg_now(void);

/*
 * Row MACs (row_mac.h), the SQLite engine's: pg_param_row_mac() adds the
 * MAC of a row of table's n values as the next parameter;
 * pg_col_row_mac() checks the row's mac column against the values read
 * from it (-EKEYREJECTED, the message set, when it fails).
 */
int pg_param_row_mac(struct pg_store *ps, struct pg_params *p,
		     const char *table, const struct seal_field *values,
		     size_t n, uint8_t mac[ROW_MAC_LEN]);
int pg_col_row_mac(struct pg_store *ps, const PGresult *res, int row,
		   int col, const char *table,
		   const struct seal_field *values, size_t n);

/* The ops of pg_subscribers.c. */
int pg_subscriber_add(struct store *store,
		      const struct store_subscriber *sub);
int pg_subscriber_update_keys(struct store *store, const char *imsi,
			      uint32_t counter, const uint8_t *k,
			      const uint8_t *opc);
int pg_subscriber_get(struct store *store, const char *id,
		      struct store_subscriber *sub);
int pg_subscriber_remove(struct store *store, const char *id);
int pg_subscriber_list(struct store *store, store_subscriber_fn fn,
		       void *arg);
int pg_subscriber_sqn_update(struct store *store, const char *id,
			     store_sqn_he_fn fn, void *arg,
			     struct store_subscriber *sub);

/* The ops of pg_sessions.c. */
int pg_session_add(struct store *store, const struct store_session *session);
int pg_session_get(struct store *store, const char *btid,
		   struct store_session *session);
int pg_session_latest(struct store *store, const char *impi, int64_t now,
		      struct store_session *session);
int pg_session_purge(struct store *store, int64_t now);
int pg_session_list(struct store *store, store_session_fn fn, void *arg);

/* The ops of pg_challenges.c. */
int pg_challenge_add(struct store *store,
		     const struct store_challenge *challenge);
int pg_challenge_take(struct store *store, const char *nonce, int64_t now_ms,
		      struct store_challenge *challenge);
int pg_challenge_pending(struct store *store, const char *impi,
			 int64_t min_expires_ms,
			 struct store_challenge_info *info);
int pg_challenge_purge(struct store *store, int64_t now_ms);

/* The ops of pg_hse_flows.c. */
int pg_hse_flow_put(struct store *store, const struct store_hse_flow *flow);
int pg_hse_flow_put_many(struct store *store,
			 const struct store_hse_flow *flows, size_t n);
int pg_hse_flow_get(struct store *store, const char *owner, uint32_t teid,
		    struct store_hse_flow *flow);
int pg_hse_flow_remove(struct store *store, const char *owner,
		       uint32_t teid);
int pg_hse_flow_list(struct store *store, const char *owner,
		     store_hse_flow_fn fn, void *arg);
/* Migration 17 -> 18's step: the owner of the rows before it. */
int pg_hse_flow_owner_upgrade(struct pg_store *ps);

/* The ops of pg_sgw_ues.c. */
int pg_sgw_ue_put(struct store *store, const struct store_sgw_ue *ue);
int pg_sgw_ue_replace(struct store *store, const struct store_sgw_ue *ue,
		      const struct store_sgw_ue *expected);
int pg_sgw_ue_get(struct store *store, const char *imsi,
		  struct store_sgw_ue *ue);
int pg_sgw_ue_list(struct store *store, store_sgw_ue_fn fn, void *arg);
/* meta 'sgw_pool' (pg_sgw_ues.c), as sqlite_sgw_pool_get() and _write(). */
int pg_sgw_pool_get(struct store *store, uint8_t value[STORE_SGW_POOL_SIZE]);
int pg_sgw_pool_write(struct store *store,
		      const uint8_t value[STORE_SGW_POOL_SIZE], bool replace);

/*
 * The ops table (pg_unsupported.c): the ops above, and -EOPNOTSUPP for
 * every family outside STORE_PG_FAMILIES.
 */
extern const struct store_ops pg_ops;
void pg_close(struct store *store);
int pg_group_open(struct store *store);
int pg_group_commit(struct store *store);
int pg_defer_flush(struct store *store, bool on);
int pg_flush(struct store *store);
void pg_reads_begin(struct store *store);
void pg_reads_end(struct store *store);
int pg_schema_version(const struct store *store);

#endif /* E2M_STORE_PG_DB_H */
