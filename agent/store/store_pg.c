// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine of the store, for state several instances of a
 * role share (Documentation/deploy.md, "PostgreSQL").
 *
 * One connection per store, in autocommit but where a transaction is
 * begun (pg_begin()); synchronous_commit is set on for the session: a
 * write is durable (flushed to the server's WAL) when its COMMIT
 * returns, which is what lets the AuC hand out an SQN only after it is
 * stored. A read-modify-write (the SQN) locks its row with SELECT ...
 * FOR UPDATE in its transaction: a second instance's update of the same
 * subscriber waits for the first to commit, then reads what it wrote.
 *
 * The schema is the SQLite engine's, migration for migration
 * (pg_schema.c), its version in the one row of e2m_schema; the
 * migrations run under a transaction-scoped advisory lock, so two
 * instances starting together migrate once. The store key, its key
 * check in meta and the sealing of every secret are the SQLite engine's
 * (seal.h, seal_fields.h): the database server sees sealed blobs only.
 *
 * Group commit (store_group.h) is not offered: pg_group_open() refuses,
 * and each write commits on its own, durably, as store_group.h says for
 * an engine whose group cannot open. A transaction held open across a
 * turn of the loop would hold row locks other instances wait for.
 *
 * The password comes from a private file (as the store key's), never
 * from the connection string, and is wiped once the connection is made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_db.h"
#include "util/secure_alloc.h"
#include "util/why.h"

/* Serializes migrations between instances: "e2m\0". */
#define MIGRATION_LOCK	"1697803520"

/* ---- errors ------------------------------------------------------------ */

int pg_fail(struct pg_store *ps, int err, const char *what)
{
	store_set_errmsg(&ps->base, "%s", what);
	return err;
}

/*
 * Whether a SQLSTATE says the server is away: a connection exception
 * (class 08), or the server shutting down, crashed or starting up
 * (57P01, 57P02, 57P03).
 */
static bool server_away(const char *state)
{
	return !strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
	       !strcmp(state, "57P02") || !strcmp(state, "57P03");
}

/*
 * A negative errno for a failed result, by its SQLSTATE; -ENOTCONN when
 * the server is away (no answer and the connection lost, or a state
 * saying so): the caller may try again later, nothing of the statement
 * having been done but for a COMMIT whose answer was lost.
 */
static int errno_of(const struct pg_store *ps, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
			    NULL;

	if (!state)
		return PQstatus(ps->conn) == CONNECTION_BAD ? -ENOTCONN : -EIO;
	if (server_away(state))
		return -ENOTCONN;
	if (!strcmp(state, "23505"))
		return -EEXIST;
	if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
		return -EINVAL;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "55P03"))
		return -EBUSY;
	if (!strcmp(state, "53100"))
		return -ENOSPC;
	if (!strcmp(state, "53200"))
		return -ENOMEM;
	if (!strncmp(state, "28", 2) || !strcmp(state, "42501"))
		return -EACCES;
	return -EIO;
}

int pg_fail_result(struct pg_store *ps, PGresult *res, const char *what)
{
	int err = errno_of(ps, res);
	const char *msg = res ? PQresultErrorMessage(res) : "";
	size_t len;

	if (!msg || !*msg)
		msg = PQerrorMessage(ps->conn);
	/* A duplicate key is the caller's answer, not a failure of ours. */
	if (err != -EEXIST)
		store_count_error();
	store_set_errmsg(&ps->base, "%s: %s", what, msg);
	len = strlen(ps->base.errmsg);
	if (len && ps->base.errmsg[len - 1] == '\n')
		ps->base.errmsg[len - 1] = '\0';
	return err;
}

/* ---- statements ---------------------------------------------------------- */

/*
 * A connection lost (the server restarted) is made again before the
 * next statement outside a transaction. libpq sees the loss only when a
 * statement fails on it: when that statement is a BEGIN or a read
 * outside a transaction, nothing was done, and it runs once more on the
 * new connection; any other (a write, a statement inside a transaction)
 * fails with -ENOTCONN and what it was part of is rolled back by the
 * server, since a write whose answer was lost may or may not have
 * committed. While the server is away every call fails with -ENOTCONN
 * (the roles answer 503), each trying to connect again first.
 */
/*
 * A new connection: the old one's session is gone with its settings and
 * its prepared statements, so the settings are made again and the
 * statements forgotten. Whether it is usable.
 */
static bool reconnect(struct pg_store *ps)
{
	pg_prepared_forget(ps);
	PQreset(ps->conn);
	return PQstatus(ps->conn) == CONNECTION_OK && !pg_session_setup(ps);
}

static void reconnect_if_lost(struct pg_store *ps)
{
	if (PQstatus(ps->conn) == CONNECTION_BAD)
		reconnect(ps);
}

/* Whether a failed statement may run again on a new connection. */
static bool retry_on_new_connection(struct pg_store *ps, bool idempotent)
{
	if (!idempotent || PQstatus(ps->conn) != CONNECTION_BAD)
		return false;
	return reconnect(ps);
}

PGresult *pg_query(struct pg_store *ps, const char *sql,
		   const struct pg_params *p, int *err, const char *what)
{
	PGresult *res;
	bool outside, again;

	*err = 0;
	if (p && p->overflow) {
		*err = pg_fail(ps, -EINVAL, "too many parameters");
		return NULL;
	}
	outside = PQtransactionStatus(ps->conn) == PQTRANS_IDLE ||
		  PQtransactionStatus(ps->conn) == PQTRANS_UNKNOWN;
	if (outside)
		reconnect_if_lost(ps);
	do {
		res = pg_run(ps, sql, p);
		if (res && (PQresultStatus(res) == PGRES_TUPLES_OK ||
			    PQresultStatus(res) == PGRES_COMMAND_OK))
			return res;
		again = retry_on_new_connection(ps, outside &&
						!strncmp(sql, "SELECT ", 7));
		if (again)
			PQclear(res);
		outside = false;	/* once */
	} while (again);
	*err = pg_fail_result(ps, res, what);
	PQclear(res);
	return NULL;
}

int pg_command(struct pg_store *ps, const char *sql,
	       const struct pg_params *p, uint64_t *changed, const char *what)
{
	PGresult *res;
	int ret;

	res = pg_query(ps, sql, p, &ret, what);
	if (!res)
		return ret;
	if (changed)
		*changed = strtoull(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}

int pg_exec(struct pg_store *ps, const char *sql)
{
	PGresult *res;
	int ret = 0;

	res = PQexec(ps->conn, sql);
	if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
		     PQresultStatus(res) != PGRES_TUPLES_OK))
		ret = pg_fail_result(ps, res, "statement");
	PQclear(res);
	return ret;
}

int pg_begin(struct pg_store *ps)
{
	int ret;

	reconnect_if_lost(ps);
	ret = pg_exec(ps, "BEGIN");
	if (ret && retry_on_new_connection(ps, true))
		ret = pg_exec(ps, "BEGIN");
	return ret;
}

int pg_end(struct pg_store *ps, int ret)
{
	PGresult *res;

	if (ret) {
		/* Keeps the first error's message. */
		PQclear(PQexec(ps->conn, "ROLLBACK"));
		return ret;
	}
	res = PQexec(ps->conn, "COMMIT");
	/* A COMMIT of a failed transaction answers ROLLBACK: not durable. */
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(res), "COMMIT"))
		ret = pg_fail_result(ps, res, "commit");
	PQclear(res);
	return ret;
}

int64_t pg_now(void)
{
	return (int64_t)time(NULL);
}

/* ---- opening ----------------------------------------------------------- */

static const struct seal_place key_check_place = {
	.table = "meta", .row = "key_check", .column = "value",
};

/* The key check (as store_sqlite.c's): a sealed block of zeros in meta. */
static int check_key(struct pg_store *ps)
{
	uint8_t zeros[16] = { 0 }, check[sizeof(zeros)];
	struct pg_params p = { 0 };
	PGresult *res;
	int ret;

	res = pg_query(ps, "SELECT value FROM meta WHERE name = 'key_check'",
		       NULL, &ret, "key check");
	if (!res)
		return ret;
	if (PQntuples(res) == 1) {
		ret = pg_col_secret(ps, res, 0, 0, &key_check_place, check,
				    sizeof(check));
		if (ret == -EKEYREJECTED)
			pg_fail(ps, ret, "the store key does not open this store");
		PQclear(res);
		return ret;
	}
	PQclear(res);
	ret = pg_param_secret(ps, &p, &key_check_place, zeros, sizeof(zeros));
	if (!ret)
		ret = pg_command(ps, "INSERT INTO meta (name, value)"
				 " VALUES ('key_check', $1)", &p, NULL,
				 "key check");
	pg_params_wipe(&p);
	return ret;
}

/* The version in e2m_schema; -EUCLEAN for a database that is something else. */
static int read_version(struct pg_store *ps, int64_t *version)
{
	PGresult *res;
	int64_t tables;
	int ret;

	res = pg_query(ps, "SELECT to_regclass('e2m_schema') IS NOT NULL,"
		       " (SELECT count(*) FROM pg_catalog.pg_tables"
		       "  WHERE schemaname = current_schema())::bigint",
		       NULL, &ret, "schema");
	if (!res)
		return ret;
	ret = pg_col_int(res, 0, 1, 0, INT64_MAX, &tables);
	if (!ret && PQgetvalue(res, 0, 0)[0] == 0) {
		PQclear(res);
		*version = 0;
		if (tables)
			return pg_fail(ps, -EUCLEAN, "the database has tables"
				       " and is not an e2m store");
		return pg_exec(ps, "CREATE TABLE e2m_schema ("
			       "  id BIGINT PRIMARY KEY CHECK (id = 1),"
			       "  version BIGINT NOT NULL);"
			       "INSERT INTO e2m_schema VALUES (1, 0)");
	}
	PQclear(res);
	if (ret)
		return pg_fail(ps, ret, "schema");
	res = pg_query(ps, "SELECT version FROM e2m_schema WHERE id = 1",
		       NULL, &ret, "schema version");
	if (!res)
		return ret;
	ret = PQntuples(res) == 1 ?
	      pg_col_int(res, 0, 0, 0, INT32_MAX, version) : -EUCLEAN;
	PQclear(res);
	return ret ? pg_fail(ps, ret, "bad e2m_schema row") : 0;
}

static int migrate(struct pg_store *ps, int64_t version)
{
	struct pg_params p = { 0 };
	int ret = 0;

	for (; !ret && version < STORE_SCHEMA_VERSION; version++) {
		if (pg_migrations[version][0])
			ret = pg_exec(ps, pg_migrations[version]);
		if (!ret && pg_migration_steps[version])
			ret = pg_migration_steps[version](ps);
	}
	if (ret)
		return ret;
	pg_param_int(&p, STORE_SCHEMA_VERSION);
	return pg_command(ps, "UPDATE e2m_schema SET version = $1 WHERE id = 1",
			  &p, NULL, "schema version");
}

/*
 * In one transaction, under the advisory lock: the version read, the
 * migrations run, the key checked (or its check made), all or nothing.
 */
static int prepare_schema(struct pg_store *ps, char *why, size_t why_size)
{
	int64_t version = 0;
	int ret = pg_begin(ps);

	if (!ret)
		ret = pg_exec(ps, "SELECT pg_advisory_xact_lock("
			      MIGRATION_LOCK ")");
	if (!ret)
		ret = read_version(ps, &version);
	if (!ret && version > STORE_SCHEMA_VERSION) {
		ub_why(why, why_size,
		       "store schema version %lld is newer than this program"
		       " supports (%d); refusing to open it",
		       (long long)version, STORE_SCHEMA_VERSION);
		return pg_end(ps, -EPROTONOSUPPORT);
	}
	if (!ret && version < STORE_SCHEMA_VERSION)
		ret = migrate(ps, version);
	if (!ret)
		ret = check_key(ps);
	ret = pg_end(ps, ret);
	if (ret)
		ub_why(why, why_size, "postgresql: %s", store_errmsg(&ps->base));
	else
		ps->schema_version = STORE_SCHEMA_VERSION;
	return ret;
}

void pg_close(struct store *store)
{
	struct pg_store *ps = to_pg(store);

	pg_prepared_forget(ps);
	EVP_MAC_CTX_free(ps->row_mac);	/* wipes the key's pads */
	PQfinish(ps->conn);
	store_key_wipe(&ps->key);
	secure_free(ps);
}

int store_open_postgresql(struct store **store, const char *conninfo,
			  const char *password_file,
			  const struct store_key *key, char *why,
			  size_t why_size)
{
	struct pg_store *ps;
	int ret;

	*store = NULL;
	if (!conninfo || !*conninfo || !key) {
		ub_why(why, why_size, "no connection string or store key");
		return -EINVAL;
	}
	/* The store key lives here: in memory no core dump shows. */
	ps = secure_calloc(sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->base.ops = &pg_ops;
	memcpy(&ps->key, key, sizeof(ps->key));
	ret = row_mac_key(&ps->row_mac, &ps->key);
	if (ret)
		ub_why(why, why_size, "row MAC: cannot key it");
	else
		ret = pg_connect(ps, conninfo, password_file, why, why_size);
	if (!ret)
		ret = prepare_schema(ps, why, why_size);
	if (ret) {
		pg_close(&ps->base);
		return ret;
	}
	*store = &ps->base;
	return 0;
}

/* See the top: each write commits on its own. */
int pg_group_open(struct store *store)
{
	(void)store;
	return -EOPNOTSUPP;
}

int pg_group_commit(struct store *store)
{
	(void)store;
	return 0;
}

/* The server flushes each commit before it answers: nothing to defer. */
int pg_defer_flush(struct store *store, bool on)
{
	(void)store;
	return on ? -EOPNOTSUPP : 0;
}

int pg_flush(struct store *store)
{
	(void)store;
	return 0;
}

/*
 * store_reads_begin(): nothing. Each read is one statement, with the
 * server's snapshot and locks for it alone, and no lock of ours to save;
 * a transaction around them would only add its two round trips.
 */
void pg_reads_begin(struct store *store)
{
	(void)store;
}

void pg_reads_end(struct store *store)
{
	(void)store;
}

int pg_schema_version(const struct store *store)
{
	return ((const struct pg_store *)store)->schema_version;
}
