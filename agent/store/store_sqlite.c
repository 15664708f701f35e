// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine of the store.
 *
 * One database file in WAL mode with synchronous=FULL: a write is on disk
 * when its COMMIT returns, which is what lets the AuC hand out an SQN only
 * after it is stored. Every write is one transaction; read-modify-writes
 * take the write lock first (BEGIN IMMEDIATE) so two processes cannot both
 * read the same SQN. The schema version is PRAGMA user_version, and
 * PRAGMA application_id marks the file as an e2m store.
 *
 * Secrets are sealed (seal.h) at the place (table, row identity, column)
 * they are stored at; a "key_check" row in meta, sealed when the store is
 * made, tells a wrong store key at open rather than at the first secret.
 * All SQL is fixed text with bound parameters.
 *
 * Statements are prepared once and kept (STMT_CACHE_MAX of them, keyed by
 * the address of their SQL text, a string literal of this file): parsing
 * and planning cost more than running the short statements a daemon runs
 * per request. A kept statement is reset and its bindings cleared when its
 * user is done with it, which ends its read transaction as finalizing
 * would; one still in use (a list whose callback runs the same statement)
 * is not shared: the second user gets a statement of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "seal.h"
#include "store_engine.h"

#define SCHEMA_VERSION		4
#define APPLICATION_ID		0x65326d00	/* "e2m\0" */
#define BUSY_TIMEOUT_MS		5000
#define SEQ_MS_OCTETS		8		/* one SEQ_MS(i) in the blob */
#define STMT_CACHE_MAX		40		/* more than this file's SQL texts */

/* A prepared statement kept for the next user of its SQL text. */
struct kept_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
	bool busy;		/* handed out, not released yet */
};

struct sqlite_store {
	struct store base;	/* first: a struct store * is one of these */
	sqlite3 *db;
	struct store_key key;
	int schema_version;
	struct kept_stmt kept[STMT_CACHE_MAX];
	size_t n_kept;
};

static struct sqlite_store *to_sqlite(struct store *store)
{
	return (struct sqlite_store *)store;
}

/*
 * The migrations: migrations[i] takes a store from version i to i + 1.
 * A released migration never changes; a new schema is a new entry.
 */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE meta ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  value BLOB NOT NULL"
	") STRICT;"
	/* HSS subscribers; k and opc sealed, sqn_* per TS 33.102 Annex C. */
	"CREATE TABLE subscribers ("
	"  imsi TEXT PRIMARY KEY NOT NULL,"
	"  impi TEXT NOT NULL UNIQUE,"
	"  k BLOB NOT NULL,"
	"  opc BLOB NOT NULL,"
	"  amf INTEGER NOT NULL CHECK (amf BETWEEN 0 AND 65535),"
	"  sqn_seq INTEGER NOT NULL CHECK (sqn_seq >= 0),"
	"  sqn_ind INTEGER NOT NULL CHECK (sqn_ind >= 0),"
	"  sqn_ind_bits INTEGER NOT NULL CHECK (sqn_ind_bits BETWEEN 0 AND 5),"
	"  flags INTEGER NOT NULL CHECK (flags >= 0),"
	"  uss TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	") STRICT;"
	/* GBA bootstrap sessions; ks sealed. */
	"CREATE TABLE sessions ("
	"  btid TEXT PRIMARY KEY NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  rand BLOB NOT NULL CHECK (length(rand) = 16),"
	"  ks BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX sessions_by_impi ON sessions (impi, created);"
	"CREATE INDEX sessions_by_expiry ON sessions (expires);"
	/*
	 * Software USIMs; k, opc and gba_ks sealed; sqn_seq_ms holds
	 * SEQ_MS(i) for every IND i, 8 octets big-endian each.
	 */
	"CREATE TABLE usims ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  imsi TEXT NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  k BLOB NOT NULL,"
	"  opc BLOB NOT NULL,"
	"  flags INTEGER NOT NULL CHECK (flags >= 0),"
	"  sqn_ind_bits INTEGER NOT NULL CHECK (sqn_ind_bits BETWEEN 0 AND 5),"
	"  sqn_seq_ms BLOB NOT NULL,"
	"  gba_rand BLOB,"
	"  gba_ks BLOB,"
	"  gba_btid TEXT,"
	"  gba_expires INTEGER"
	") STRICT;",
	/*
	 * 1 -> 2: what a BSF needs for Zn besides Ks: whether the bootstrap
	 * was GBA_U, and the subscriber's USS from the HSS. Sessions made
	 * before are GBA_ME without USS, which is what the defaults say.
	 */
	"ALTER TABLE sessions ADD COLUMN"
	"  flags INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0);"
	"ALTER TABLE sessions ADD COLUMN"
	"  uss TEXT NOT NULL DEFAULT '';",
	/*
	 * 2 -> 3: the flows a HSE made (BEST), by the TEID it receives on:
	 * the AKA run whose key set protects each, and the UE's addresses.
	 * No key: the key set is pulled from the HSS again when needed.
	 */
	"CREATE TABLE hse_flows ("
	"  teid INTEGER PRIMARY KEY CHECK (teid BETWEEN 1 AND 4294967295),"
	"  ue_teid INTEGER NOT NULL CHECK (ue_teid BETWEEN 1 AND 4294967295),"
	"  imsi TEXT NOT NULL,"
	"  rand BLOB NOT NULL CHECK (length(rand) = 16),"
	"  sqn BLOB NOT NULL CHECK (length(sqn) = 6),"
	"  ksi INTEGER NOT NULL CHECK (ksi BETWEEN 0 AND 6),"
	"  ue_address TEXT NOT NULL,"
	"  ue_port INTEGER NOT NULL CHECK (ue_port BETWEEN 1 AND 65535),"
	"  inner_ipv4 TEXT NOT NULL,"
	"  inner_ipv6 TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  created INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX hse_flows_by_imsi ON hse_flows (imsi);",
	/*
	 * 3 -> 4: what an SGW keeps per IMSI (BEST), so that a restart
	 * neither starts the KSIs at 0 again nor hands out an inner address
	 * the HSE still has a flow for. inner_ipv4 and ue_address are ''
	 * when there is none. No key.
	 */
	"CREATE TABLE sgw_ues ("
	"  imsi TEXT PRIMARY KEY NOT NULL,"
	"  last_ksi INTEGER NOT NULL CHECK (last_ksi BETWEEN 0 AND 6),"
	"  inner_ipv4 TEXT NOT NULL,"
	"  hse_teid INTEGER NOT NULL CHECK (hse_teid BETWEEN 0 AND 4294967295),"
	"  attached INTEGER NOT NULL CHECK (attached IN (0, 1)),"
	"  ue_address TEXT NOT NULL,"
	"  ue_port INTEGER NOT NULL CHECK (ue_port BETWEEN 0 AND 65535),"
	"  ue_teid INTEGER NOT NULL CHECK (ue_teid BETWEEN 0 AND 4294967295)"
	") STRICT;",
};

#define SCHEMA_MIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))
_Static_assert(SCHEMA_MIGRATIONS == SCHEMA_VERSION,
	       "one migration per schema version");

/* Errors. */

/* A negative errno for an SQLite result code. */
static int errno_of(sqlite3 *db, int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return -EEXIST;
	}
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_TOOBIG:
		return -EINVAL;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EUCLEAN;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		if (db && sqlite3_system_errno(db) > 0)
			return -sqlite3_system_errno(db);
		return -EIO;
	default:
		return -EIO;
	}
}

/* Records what failed and returns its errno. */
static int sql_fail(struct sqlite_store *ss, int rc, const char *what)
{
	store_set_errmsg(&ss->base, "%s: %s", what, sqlite3_errmsg(ss->db));
	return errno_of(ss->db, rc);
}

static int fail(struct sqlite_store *ss, int err, const char *what)
{
	store_set_errmsg(&ss->base, "%s", what);
	return err;
}

/* Statements. */

/* Frees a statement: release() and closing the store are its only users. */
static void stmt_free(sqlite3_stmt *stmt)
{
	sqlite3_finalize(stmt);
}

/*
 * A kept statement finalized by its user would be used after free by the
 * next: from here on, code that calls sqlite3_finalize() does not build.
 */
#pragma GCC poison sqlite3_finalize

/* sql is a string literal: its address names it (see the top). */
static int prepare(struct sqlite_store *ss, const char *sql,
		   sqlite3_stmt **stmt)
{
	bool known = false;
	size_t i;
	int rc;

	for (i = 0; i < ss->n_kept; i++) {
		struct kept_stmt *k = &ss->kept[i];

		if (k->sql != sql)
			continue;
		known = true;
		if (!k->busy) {
			k->busy = true;
			*stmt = k->stmt;
			return 0;
		}
	}
	rc = sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				stmt, NULL);
	if (rc != SQLITE_OK) {
		*stmt = NULL;
		return sql_fail(ss, rc, "prepare");
	}
	if (!known && ss->n_kept < STMT_CACHE_MAX)
		ss->kept[ss->n_kept++] = (struct kept_stmt){
			.sql = sql, .stmt = *stmt, .busy = true,
		};
	return 0;
}

/* The user is done with stmt (NULL: nothing): kept for the next, or freed. */
static void release(struct sqlite_store *ss, sqlite3_stmt *stmt)
{
	size_t i;

	for (i = 0; stmt && i < ss->n_kept; i++) {
		if (ss->kept[i].stmt != stmt)
			continue;
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		ss->kept[i].busy = false;
		return;
	}
	stmt_free(stmt);
}

/*
 * Runs a statement that returns no row to the end; 0 or -errno. @bound is
 * what binding its parameters returned: if that failed, the statement does
 * not run and @bound is returned. The statement is released either way.
 */
static int step_done(struct sqlite_store *ss, sqlite3_stmt *stmt, int bound,
		     const char *what)
{
	int rc, ret = bound;

	if (!ret) {
		rc = sqlite3_step(stmt);
		ret = rc == SQLITE_DONE ? 0 : sql_fail(ss, rc, what);
	}
	release(ss, stmt);
	return ret;
}

/* step_done() for an UPDATE or DELETE of one row: -ENOENT if none. */
static int step_one_row(struct sqlite_store *ss, sqlite3_stmt *stmt,
			int bound, const char *what, const char *missing)
{
	int ret = step_done(ss, stmt, bound, what);

	if (!ret && sqlite3_changes(ss->db) == 0)
		ret = fail(ss, -ENOENT, missing);
	return ret;
}

/* Fixed SQL without parameters (transactions, pragmas, the schema). */
static int exec(struct sqlite_store *ss, const char *sql)
{
	int rc = sqlite3_exec(ss->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sql_fail(ss, rc, sql);
}

/* Takes the write lock now, so a read-modify-write sees the latest state. */
static int begin(struct sqlite_store *ss)
{
	return exec(ss, "BEGIN IMMEDIATE");
}

static int commit(struct sqlite_store *ss)
{
	int ret = exec(ss, "COMMIT");

	if (ret)
		exec(ss, "ROLLBACK");
	return ret;
}

/* Ends a transaction: commits if ret is 0, else rolls back. */
static int end(struct sqlite_store *ss, int ret)
{
	if (ret) {
		/* Keeps the first error's message. */
		sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
		return ret;
	}
	return commit(ss);
}

static int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

/* Column access, each refusing what the schema would not hold. */

/* Copies a TEXT column into out (size octets with the NUL). */
static int column_text(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	size_t len = (size_t)sqlite3_column_bytes(stmt, col);

	out[0] = '\0';
	if (!text || len >= size || strlen((const char *)text) != len)
		return -EUCLEAN;
	memcpy(out, text, len + 1);
	return 0;
}

static int column_bytes_exact(sqlite3_stmt *stmt, int col, uint8_t *out,
			      size_t len)
{
	const void *blob = sqlite3_column_blob(stmt, col);

	if (!blob || (size_t)sqlite3_column_bytes(stmt, col) != len)
		return -EUCLEAN;
	memcpy(out, blob, len);
	return 0;
}

static int column_range(sqlite3_stmt *stmt, int col, int64_t min,
			int64_t max, int64_t *out)
{
	int64_t value = sqlite3_column_int64(stmt, col);

	if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER ||
	    value < min || value > max)
		return -EUCLEAN;
	*out = value;
	return 0;
}

/* Opens the sealed secret in a column, at its place. */
static int column_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int col,
			 const struct seal_place *place, uint8_t *secret,
			 size_t len)
{
	const void *blob = sqlite3_column_blob(stmt, col);
	int ret;

	if (!blob) {
		memset(secret, 0, len);
		return fail(ss, -EUCLEAN, "a secret is missing");
	}
	ret = unseal_secret(&ss->key, place, blob,
			    (size_t)sqlite3_column_bytes(stmt, col), secret,
			    len);
	if (ret == -EKEYREJECTED)
		store_set_errmsg(&ss->base,
				 "%s.%s of %s does not open with the store key",
				 place->table, place->column, place->row);
	return ret;
}

/* Seals a secret and binds it as parameter idx. */
static int bind_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		       const struct seal_place *place, const uint8_t *secret,
		       size_t len)
{
	uint8_t blob[SEAL_BLOB_MAX];
	int ret = seal_secret(&ss->key, place, secret, len, blob);

	if (ret)
		return fail(ss, ret, "sealing a secret");
	/* SQLITE_TRANSIENT: SQLite copies the (sealed) blob. */
	if (sqlite3_bind_blob(stmt, idx, blob, (int)(SEAL_OVERHEAD + len),
			      SQLITE_TRANSIENT) != SQLITE_OK)
		ret = sql_fail(ss, SQLITE_NOMEM, "bind");
	OPENSSL_cleanse(blob, sizeof(blob));
	return ret;
}

/* Every sqlite3_bind_* of the literal kinds goes through here. */
static int bind_ok(struct sqlite_store *ss, int rc)
{
	return rc == SQLITE_OK ? 0 : sql_fail(ss, rc, "bind");
}

static int bind_text(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		     const char *text)
{
	return bind_ok(ss, sqlite3_bind_text(stmt, idx, text, -1,
					     SQLITE_TRANSIENT));
}

static int bind_int64(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		      int64_t value)
{
	return bind_ok(ss, sqlite3_bind_int64(stmt, idx, value));
}

static int bind_blob(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		     const void *blob, size_t len)
{
	return bind_ok(ss, sqlite3_bind_blob(stmt, idx, blob, (int)len,
					     SQLITE_TRANSIENT));
}

/* Opening. */

/*
 * Makes the file, if it is not there, private from the start: SQLite would
 * create it with the umask's mode, and its -wal and -shm files follow the
 * database file's mode.
 */
static int create_private(const char *path, char *why, size_t why_size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		int err = errno;

		store_why(why, why_size, "%s: %s", path, strerror(err));
		return -err;
	}
	close(fd);
	return 0;
}

/* An integer PRAGMA's value. */
static int pragma_int(struct sqlite_store *ss, const char *sql, int64_t *value)
{
	sqlite3_stmt *stmt;
	int rc, ret = prepare(ss, sql, &stmt);

	if (ret)
		return ret;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(stmt, 0);
	else
		ret = sql_fail(ss, rc, sql);
	release(ss, stmt);
	return ret;
}

/*
 * Refuses a file that is some other program's database, or a store newer
 * than this program, before changing anything in it.
 */
static int check_identity(struct sqlite_store *ss, const char *path,
			  char *why, size_t why_size)
{
	int64_t application_id, version;
	int ret;

	ret = pragma_int(ss, "PRAGMA application_id", &application_id);
	if (!ret)
		ret = pragma_int(ss, "PRAGMA user_version", &version);
	if (ret) {
		store_why(why, why_size, "%s: %s", path,
			  ret == -EUCLEAN ? "not an SQLite database" :
			  store_errmsg(&ss->base));
		return ret;
	}
	if (application_id != 0 && application_id != APPLICATION_ID) {
		store_why(why, why_size,
			  "%s: not an e2m store (application_id 0x%08llx)",
			  path, (unsigned long long)application_id);
		return -EUCLEAN;
	}
	if (version > SCHEMA_VERSION) {
		store_why(why, why_size,
			  "%s: store schema version %lld is newer than this program supports (%d); refusing to open it",
			  path, (long long)version, SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (version < 0) {
		store_why(why, why_size, "%s: bad schema version %lld", path,
			  (long long)version);
		return -EUCLEAN;
	}
	return 0;
}

/* WAL, durable commits, no stale secrets left in free pages. */
static int configure(struct sqlite_store *ss, const char *path, char *why,
		     size_t why_size)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	sqlite3_busy_timeout(ss->db, BUSY_TIMEOUT_MS);
	ret = prepare(ss, "PRAGMA journal_mode=WAL", &stmt);
	if (ret)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		ret = sql_fail(ss, rc, "journal_mode");
	else if (!sqlite3_column_text(stmt, 0) ||
		 strcmp((const char *)sqlite3_column_text(stmt, 0), "wal"))
		ret = fail(ss, -EIO, "cannot switch to WAL journal mode");
	release(ss, stmt);
	if (!ret)
		ret = exec(ss, "PRAGMA synchronous=FULL;"
			       "PRAGMA foreign_keys=ON;"
			       "PRAGMA secure_delete=ON;"
			       "PRAGMA trusted_schema=OFF");
	if (!ret)
		return 0;
fail:
	store_why(why, why_size, "%s: %s", path, store_errmsg(&ss->base));
	return ret;
}

/* Runs the migrations from the store's version up to SCHEMA_VERSION. */
static int migrate(struct sqlite_store *ss, int64_t version)
{
	char sql[64];
	int ret = 0;

	for (; !ret && version < SCHEMA_VERSION; version++)
		ret = exec(ss, migrations[version]);
	if (ret)
		return ret;
	/* Our own integers: PRAGMAs take no bound parameters. */
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id=%d; PRAGMA user_version=%d",
		 APPLICATION_ID, SCHEMA_VERSION);
	return exec(ss, sql);
}

static const struct seal_place key_check_place = {
	.table = "meta", .row = "key_check", .column = "value",
};

/*
 * The key check: a sealed block of zeros, written when the store is made.
 * Opening it with another key fails, and says so, at once.
 */
static int check_key(struct sqlite_store *ss)
{
	uint8_t zeros[16] = { 0 }, check[sizeof(zeros)];
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT value FROM meta WHERE name = 'key_check'",
		      &stmt);
	if (ret)
		return ret;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		ret = column_secret(ss, stmt, 0, &key_check_place, check,
				    sizeof(check));
		if (ret == -EKEYREJECTED)
			fail(ss, ret, "the store key does not open this store");
		release(ss, stmt);
		return ret;
	}
	release(ss, stmt);
	if (rc != SQLITE_DONE)
		return sql_fail(ss, rc, "key check");
	ret = prepare(ss, "INSERT INTO meta (name, value) VALUES ('key_check', ?1)",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_secret(ss, stmt, 1, &key_check_place, zeros, sizeof(zeros));
	return step_done(ss, stmt, ret, "key check");
}

/*
 * Under the write lock: migrate (another process may have done it since
 * check_identity()) and check the key, all or nothing.
 */
static int prepare_schema(struct sqlite_store *ss, const char *path,
			  char *why, size_t why_size)
{
	int64_t version;
	int ret = begin(ss);

	if (!ret)
		ret = pragma_int(ss, "PRAGMA user_version", &version);
	if (!ret && version > SCHEMA_VERSION)
		ret = fail(ss, -EPROTONOSUPPORT, "store schema is newer");
	if (!ret && version < SCHEMA_VERSION)
		ret = migrate(ss, version);
	if (!ret)
		ret = check_key(ss);
	ret = end(ss, ret);
	if (ret)
		store_why(why, why_size, "%s: %s", path,
			  store_errmsg(&ss->base));
	else
		ss->schema_version = SCHEMA_VERSION;
	return ret;
}

static void sqlite_close(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);

	while (ss->n_kept)
		stmt_free(ss->kept[--ss->n_kept].stmt);
	sqlite3_close_v2(ss->db);
	store_key_wipe(&ss->key);
	free(ss);
}

static const struct store_ops sqlite_ops;

int store_sqlite_open(struct store **store, const char *path,
		      const struct store_key *key, char *why, size_t why_size)
{
	struct sqlite_store *ss;
	int rc, ret;

	*store = NULL;
	ss = calloc(1, sizeof(*ss));
	if (!ss)
		return -ENOMEM;
	ss->base.ops = &sqlite_ops;
	memcpy(&ss->key, key, sizeof(ss->key));
	ret = create_private(path, why, why_size);
	if (ret)
		goto fail;
	rc = sqlite3_open_v2(path, &ss->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
			     SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		ret = errno_of(ss->db, rc);
		store_why(why, why_size, "%s: %s", path,
			  ss->db ? sqlite3_errmsg(ss->db) : "out of memory");
		goto fail;
	}
	ret = check_identity(ss, path, why, why_size);
	if (!ret)
		ret = configure(ss, path, why, why_size);
	if (!ret)
		ret = prepare_schema(ss, path, why, why_size);
	if (ret)
		goto fail;
	*store = &ss->base;
	return 0;
fail:
	sqlite_close(&ss->base);
	return ret;
}

static int sqlite_schema_version(const struct store *store)
{
	return ((const struct sqlite_store *)store)->schema_version;
}

/* Subscribers. */

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

	ret = column_text(stmt, SUB_IMSI, info->imsi, sizeof(info->imsi));
	if (!ret)
		ret = column_text(stmt, SUB_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = column_text(stmt, SUB_USS, info->uss, sizeof(info->uss));
	if (!ret)
		ret = column_range(stmt, SUB_AMF, 0, 0xffff, &amf);
	if (!ret)
		ret = column_range(stmt, SUB_SQN_IND_BITS, 0,
				   STORE_IND_BITS_MAX, &ind_bits);
	if (!ret)
		ret = column_range(stmt, SUB_SQN_SEQ, 0,
				   (INT64_C(1) << (48 - ind_bits)) - 1, &seq);
	if (!ret)
		ret = column_range(stmt, SUB_SQN_IND, 0,
				   (INT64_C(1) << ind_bits) - 1, &ind);
	if (!ret)
		ret = column_range(stmt, SUB_FLAGS, 0, UINT32_MAX, &flags);
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
		return fail(ss, ret, "a subscriber row is damaged");
	place = subscriber_place(sub->pub.imsi, "k");
	ret = column_secret(ss, stmt, SUB_K, &place, sub->k, sizeof(sub->k));
	if (ret)
		return ret;
	place = subscriber_place(sub->pub.imsi, "opc");
	return column_secret(ss, stmt, SUB_OPC, &place, sub->opc,
			     sizeof(sub->opc));
}

/* Reads the subscriber whose IMSI or IMPI is id into sub. */
static int select_subscriber(struct sqlite_store *ss, const char *id,
			     struct store_subscriber *sub)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT " SUBSCRIBER_COLUMNS " FROM subscribers"
			  " WHERE imsi = ?1 OR impi = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, id);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			ret = row_to_subscriber(ss, stmt, sub);
		else if (rc == SQLITE_DONE)
			ret = fail(ss, -ENOENT, "no such subscriber");
		else
			ret = sql_fail(ss, rc, "subscriber");
	}
	release(ss, stmt);
	return ret;
}

static int sqlite_subscriber_add(struct store *store,
				 const struct store_subscriber *sub)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_subscriber_info *info = &sub->pub;
	struct seal_place k_place = subscriber_place(info->imsi, "k");
	struct seal_place opc_place = subscriber_place(info->imsi, "opc");
	int64_t now = now_seconds();
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "INSERT INTO subscribers (" SUBSCRIBER_COLUMNS
			  ", created, updated)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, info->imsi);
	if (!ret)
		ret = bind_text(ss, stmt, 2, info->impi);
	if (!ret)
		ret = bind_int64(ss, stmt, 3, info->amf[0] << 8 | info->amf[1]);
	if (!ret)
		ret = bind_int64(ss, stmt, 4, (int64_t)info->sqn.seq);
	if (!ret)
		ret = bind_int64(ss, stmt, 5, info->sqn.ind);
	if (!ret)
		ret = bind_int64(ss, stmt, 6, info->sqn.ind_bits);
	if (!ret)
		ret = bind_int64(ss, stmt, 7, info->flags);
	if (!ret)
		ret = bind_text(ss, stmt, 8, info->uss);
	if (!ret)
		ret = bind_secret(ss, stmt, 9, &k_place, sub->k, sizeof(sub->k));
	if (!ret)
		ret = bind_secret(ss, stmt, 10, &opc_place, sub->opc,
				  sizeof(sub->opc));
	if (!ret)
		ret = bind_int64(ss, stmt, 11, now);
	ret = step_done(ss, stmt, ret, "add subscriber");
	if (ret == -EEXIST)
		fail(ss, ret, "a subscriber with that IMSI or IMPI exists");
	return ret;
}

static int sqlite_subscriber_get(struct store *store, const char *id,
				 struct store_subscriber *sub)
{
	int ret = select_subscriber(to_sqlite(store), id, sub);

	if (ret)
		store_subscriber_wipe(sub);
	return ret;
}

static int sqlite_subscriber_remove(struct store *store, const char *id)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "DELETE FROM subscribers WHERE imsi = ?1 OR impi = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, id);
	return step_one_row(ss, stmt, ret, "remove subscriber",
			    "no such subscriber");
}

/*
 * The list never selects k or opc: no secret is read, so none can leak
 * through it.
 */
static int sqlite_subscriber_list(struct store *store, store_subscriber_fn fn,
				  void *arg)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_subscriber_info *info;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, ret, count = 0;

	info = malloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	ret = prepare(ss, "SELECT imsi, impi, amf, sqn_seq, sqn_ind,"
			  " sqn_ind_bits, flags, uss FROM subscribers"
			  " ORDER BY imsi", &stmt);
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(info, 0, sizeof(*info));
		ret = row_to_subscriber_info(stmt, info);
		if (ret)
			ret = fail(ss, ret, "a subscriber row is damaged");
		else if (fn)
			ret = fn(info, arg);
		else
			count++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql_fail(ss, rc, "list subscribers");
	release(ss, stmt);
	free(info);
	return ret ? ret : count;
}

static int update_subscriber_sqn(struct sqlite_store *ss,
				 const struct store_subscriber_info *info)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "UPDATE subscribers SET sqn_seq = ?2, sqn_ind = ?3,"
			  " updated = ?4 WHERE imsi = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, info->imsi);
	if (!ret)
		ret = bind_int64(ss, stmt, 2, (int64_t)info->sqn.seq);
	if (!ret)
		ret = bind_int64(ss, stmt, 3, info->sqn.ind);
	if (!ret)
		ret = bind_int64(ss, stmt, 4, now_seconds());
	return step_one_row(ss, stmt, ret, "update SQN",
			    "no such subscriber");
}

static int sqlite_subscriber_sqn_update(struct store *store, const char *id,
					store_sqn_he_fn fn, void *arg,
					struct store_subscriber *sub)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = begin(ss);

	if (ret)
		return ret;
	ret = select_subscriber(ss, id, sub);
	if (!ret)
		ret = fn(sub, arg);
	if (ret > 0) {		/* nothing to write */
		end(ss, -1);
		return ret;
	}
	if (!ret)
		ret = update_subscriber_sqn(ss, &sub->pub);
	return end(ss, ret);
}

/* Sessions. */

#define SESSION_COLUMNS "btid, impi, rand, created, expires, flags, uss, ks"
enum {
	SES_BTID, SES_IMPI, SES_RAND, SES_CREATED, SES_EXPIRES, SES_FLAGS,
	SES_USS, SES_KS,
};

static struct seal_place session_place(const char *btid)
{
	return (struct seal_place){
		.table = "sessions", .row = btid, .column = "ks",
	};
}

static int row_to_session_info(sqlite3_stmt *stmt,
			       struct store_session_info *info)
{
	int64_t flags = 0;
	int ret;

	ret = column_text(stmt, SES_BTID, info->btid, sizeof(info->btid));
	if (!ret)
		ret = column_text(stmt, SES_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = column_bytes_exact(stmt, SES_RAND, info->rand,
					 sizeof(info->rand));
	if (!ret)
		ret = column_range(stmt, SES_CREATED, INT64_MIN, INT64_MAX,
				   &info->created);
	if (!ret)
		ret = column_range(stmt, SES_EXPIRES, INT64_MIN, INT64_MAX,
				   &info->expires);
	if (!ret)
		ret = column_range(stmt, SES_FLAGS, 0, UINT32_MAX,
				   &flags);
	if (!ret)
		ret = column_text(stmt, SES_USS, info->uss, sizeof(info->uss));
	info->flags = (uint32_t)flags;
	return ret;
}

static int row_to_session(struct sqlite_store *ss, sqlite3_stmt *stmt,
			  struct store_session *session)
{
	struct seal_place place;
	int ret = row_to_session_info(stmt, &session->pub);

	if (ret)
		return fail(ss, ret, "a session row is damaged");
	place = session_place(session->pub.btid);
	return column_secret(ss, stmt, SES_KS, &place, session->ks,
			     sizeof(session->ks));
}

/* Steps a statement that selects at most one session. */
static int select_one_session(struct sqlite_store *ss, sqlite3_stmt *stmt,
			      struct store_session *session)
{
	int rc = sqlite3_step(stmt), ret;

	if (rc == SQLITE_ROW)
		ret = row_to_session(ss, stmt, session);
	else if (rc == SQLITE_DONE)
		ret = fail(ss, -ENOENT, "no such bootstrap session");
	else
		ret = sql_fail(ss, rc, "session");
	release(ss, stmt);
	if (ret)
		store_session_wipe(session);
	return ret;
}

static int sqlite_session_add(struct store *store,
			      const struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_session_info *info = &session->pub;
	struct seal_place place = session_place(info->btid);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "INSERT INTO sessions (" SESSION_COLUMNS ")"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, info->btid);
	if (!ret)
		ret = bind_text(ss, stmt, 2, info->impi);
	if (!ret)
		ret = bind_blob(ss, stmt, 3, info->rand, sizeof(info->rand));
	if (!ret)
		ret = bind_int64(ss, stmt, 4, info->created);
	if (!ret)
		ret = bind_int64(ss, stmt, 5, info->expires);
	if (!ret)
		ret = bind_int64(ss, stmt, 6, info->flags);
	if (!ret)
		ret = bind_text(ss, stmt, 7, info->uss);
	if (!ret)
		ret = bind_secret(ss, stmt, 8, &place, session->ks,
				  sizeof(session->ks));
	ret = step_done(ss, stmt, ret, "add session");
	if (ret == -EEXIST)
		fail(ss, ret, "a session with that B-TID exists");
	return ret;
}

static int sqlite_session_get(struct store *store, const char *btid,
			      struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "SELECT " SESSION_COLUMNS " FROM sessions"
			  " WHERE btid = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, btid);
	if (ret) {
		release(ss, stmt);
		return ret;
	}
	return select_one_session(ss, stmt, session);
}

static int sqlite_session_latest(struct store *store, const char *impi,
				 int64_t now, struct store_session *session)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "SELECT " SESSION_COLUMNS " FROM sessions"
			  " WHERE impi = ?1 AND expires > ?2"
			  " ORDER BY created DESC, rowid DESC LIMIT 1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, impi);
	if (!ret)
		ret = bind_int64(ss, stmt, 2, now);
	if (ret) {
		release(ss, stmt);
		return ret;
	}
	return select_one_session(ss, stmt, session);
}

static int sqlite_session_purge(struct store *store, int64_t now)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "DELETE FROM sessions WHERE expires <= ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_int64(ss, stmt, 1, now);
	ret = step_done(ss, stmt, ret, "purge sessions");
	return ret ? ret : sqlite3_changes(ss->db);
}

static int sqlite_session_list(struct store *store, store_session_fn fn,
			       void *arg)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_session_info info;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, ret, count = 0;

	/* ks is not selected: the list carries no secret. */
	ret = prepare(ss, "SELECT btid, impi, rand, created, expires, flags, uss"
			  " FROM sessions ORDER BY created, btid", &stmt);
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&info, 0, sizeof(info));
		ret = row_to_session_info(stmt, &info);
		if (ret)
			ret = fail(ss, ret, "a session row is damaged");
		else if (fn)
			ret = fn(&info, arg);
		else
			count++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql_fail(ss, rc, "list sessions");
	release(ss, stmt);
	return ret ? ret : count;
}

/* USIMs. */

#define USIM_COLUMNS "iccid, imsi, impi, flags, sqn_ind_bits, sqn_seq_ms, k, opc"
enum {
	USIM_ICCID, USIM_IMSI, USIM_IMPI, USIM_FLAGS, USIM_IND_BITS,
	USIM_SEQ_MS, USIM_K, USIM_OPC,
};

static struct seal_place usim_place(const char *iccid, const char *column)
{
	return (struct seal_place){
		.table = "usims", .row = iccid, .column = column,
	};
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

static int row_to_usim(struct sqlite_store *ss, sqlite3_stmt *stmt,
		       struct store_usim *usim)
{
	struct store_usim_info *info = &usim->pub;
	struct seal_place place;
	int64_t flags, ind_bits;
	int ret;

	ret = column_text(stmt, USIM_ICCID, info->iccid, sizeof(info->iccid));
	if (!ret)
		ret = column_text(stmt, USIM_IMSI, info->imsi,
				  sizeof(info->imsi));
	if (!ret)
		ret = column_text(stmt, USIM_IMPI, info->impi,
				  sizeof(info->impi));
	if (!ret)
		ret = column_range(stmt, USIM_FLAGS, 0, UINT32_MAX, &flags);
	if (!ret)
		ret = column_range(stmt, USIM_IND_BITS, 0, STORE_IND_BITS_MAX,
				   &ind_bits);
	if (!ret) {
		info->flags = (uint32_t)flags;
		info->sqn.ind_bits = (uint8_t)ind_bits;
		ret = seq_ms_from_column(stmt, USIM_SEQ_MS, &info->sqn);
	}
	if (ret)
		return fail(ss, ret, "a USIM row is damaged");
	place = usim_place(info->iccid, "k");
	ret = column_secret(ss, stmt, USIM_K, &place, usim->k, sizeof(usim->k));
	if (ret)
		return ret;
	place = usim_place(info->iccid, "opc");
	return column_secret(ss, stmt, USIM_OPC, &place, usim->opc,
			     sizeof(usim->opc));
}

static int select_usim(struct sqlite_store *ss, const char *iccid,
		       struct store_usim *usim)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT " USIM_COLUMNS " FROM usims WHERE iccid = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, iccid);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			ret = row_to_usim(ss, stmt, usim);
		else if (rc == SQLITE_DONE)
			ret = fail(ss, -ENOENT, "no such USIM");
		else
			ret = sql_fail(ss, rc, "USIM");
	}
	release(ss, stmt);
	return ret;
}

static int sqlite_usim_add(struct store *store, const struct store_usim *usim)
{
	struct sqlite_store *ss = to_sqlite(store);
	const struct store_usim_info *info = &usim->pub;
	struct seal_place k_place = usim_place(info->iccid, "k");
	struct seal_place opc_place = usim_place(info->iccid, "opc");
	uint8_t seq_ms[SEQ_MS_OCTETS * STORE_IND_SLOTS_MAX];
	sqlite3_stmt *stmt;
	int ret;

	seq_ms_to_blob(&info->sqn, seq_ms);
	ret = prepare(ss, "INSERT INTO usims (" USIM_COLUMNS ")"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, info->iccid);
	if (!ret)
		ret = bind_text(ss, stmt, 2, info->imsi);
	if (!ret)
		ret = bind_text(ss, stmt, 3, info->impi);
	if (!ret)
		ret = bind_int64(ss, stmt, 4, info->flags);
	if (!ret)
		ret = bind_int64(ss, stmt, 5, info->sqn.ind_bits);
	if (!ret)
		ret = bind_blob(ss, stmt, 6, seq_ms,
				seq_ms_blob_len(info->sqn.ind_bits));
	if (!ret)
		ret = bind_secret(ss, stmt, 7, &k_place, usim->k,
				  sizeof(usim->k));
	if (!ret)
		ret = bind_secret(ss, stmt, 8, &opc_place, usim->opc,
				  sizeof(usim->opc));
	ret = step_done(ss, stmt, ret, "add USIM");
	if (ret == -EEXIST)
		fail(ss, ret, "a USIM with that ICCID exists");
	return ret;
}

static int sqlite_usim_get(struct store *store, const char *iccid,
			   struct store_usim *usim)
{
	int ret = select_usim(to_sqlite(store), iccid, usim);

	if (ret)
		store_usim_wipe(usim);
	return ret;
}

static int sqlite_usim_remove(struct store *store, const char *iccid)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "DELETE FROM usims WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, iccid);
	return step_one_row(ss, stmt, ret, "remove USIM",
			    "no such USIM");
}

static int update_usim_sqn(struct sqlite_store *ss,
			   const struct store_usim_info *info)
{
	uint8_t seq_ms[SEQ_MS_OCTETS * STORE_IND_SLOTS_MAX];
	sqlite3_stmt *stmt;
	int ret;

	seq_ms_to_blob(&info->sqn, seq_ms);
	ret = prepare(ss, "UPDATE usims SET sqn_seq_ms = ?2 WHERE iccid = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, info->iccid);
	if (!ret)
		ret = bind_blob(ss, stmt, 2, seq_ms,
				seq_ms_blob_len(info->sqn.ind_bits));
	return step_one_row(ss, stmt, ret, "update SQN_MS",
			    "no such USIM");
}

static int sqlite_usim_sqn_update(struct store *store, const char *iccid,
				  store_sqn_ms_fn fn, void *arg,
				  struct store_usim *usim)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = begin(ss);

	if (ret)
		return ret;
	ret = select_usim(ss, iccid, usim);
	if (!ret)
		ret = fn(usim, arg);
	if (ret > 0) {		/* nothing to write */
		end(ss, -1);
		return ret;
	}
	if (!ret)
		ret = update_usim_sqn(ss, &usim->pub);
	return end(ss, ret);
}

static int sqlite_usim_gba_set(struct store *store, const char *iccid,
			       const struct store_usim_gba *gba)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = usim_place(iccid, "gba_ks");
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "UPDATE usims SET gba_rand = ?2, gba_ks = ?3,"
			  " gba_btid = ?4, gba_expires = ?5 WHERE iccid = ?1",
		      &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, iccid);
	if (!ret)
		ret = bind_blob(ss, stmt, 2, gba->rand, sizeof(gba->rand));
	if (!ret)
		ret = bind_secret(ss, stmt, 3, &place, gba->ks, sizeof(gba->ks));
	if (!ret)
		ret = bind_text(ss, stmt, 4, gba->btid);
	if (!ret)
		ret = bind_int64(ss, stmt, 5, gba->expires);
	return step_one_row(ss, stmt, ret, "set GBA_U bootstrap",
			    "no such USIM");
}

static int sqlite_usim_gba_get(struct store *store, const char *iccid,
			       struct store_usim_gba *gba)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct seal_place place = usim_place(iccid, "gba_ks");
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT gba_rand, gba_btid, gba_expires, gba_ks"
			  " FROM usims WHERE iccid = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, iccid);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			ret = fail(ss, -ENOENT, "no such USIM");
		else if (rc != SQLITE_ROW)
			ret = sql_fail(ss, rc, "USIM");
		else if (sqlite3_column_type(stmt, 3) == SQLITE_NULL)
			ret = fail(ss, -ENOENT, "no GBA_U bootstrap");
		else {
			ret = column_bytes_exact(stmt, 0, gba->rand,
						 sizeof(gba->rand));
			if (!ret)
				ret = column_text(stmt, 1, gba->btid,
						  sizeof(gba->btid));
			if (!ret)
				ret = column_range(stmt, 2, INT64_MIN,
						   INT64_MAX, &gba->expires);
			if (ret)
				ret = fail(ss, ret, "a USIM row is damaged");
			else
				ret = column_secret(ss, stmt, 3, &place,
						    gba->ks, sizeof(gba->ks));
		}
	}
	release(ss, stmt);
	if (ret)
		store_usim_gba_wipe(gba);
	return ret;
}

/* HSE flows. */

#define HSE_FLOW_COLUMNS "teid, ue_teid, imsi, rand, sqn, ksi, ue_address," \
	" ue_port, inner_ipv4, inner_ipv6, device, created"
enum {
	HF_TEID, HF_UE_TEID, HF_IMSI, HF_RAND, HF_SQN, HF_KSI, HF_UE_ADDRESS,
	HF_UE_PORT, HF_INNER_IPV4, HF_INNER_IPV6, HF_DEVICE, HF_CREATED,
};

static int row_to_hse_flow(sqlite3_stmt *stmt, struct store_hse_flow *f)
{
	int64_t teid = 0, ue_teid = 0, ksi = 0, port = 0;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = column_range(stmt, HF_TEID, 1, UINT32_MAX, &teid);
	if (!ret)
		ret = column_range(stmt, HF_UE_TEID, 1, UINT32_MAX, &ue_teid);
	if (!ret)
		ret = column_text(stmt, HF_IMSI, f->imsi, sizeof(f->imsi));
	if (!ret)
		ret = column_bytes_exact(stmt, HF_RAND, f->rand,
					 sizeof(f->rand));
	if (!ret)
		ret = column_bytes_exact(stmt, HF_SQN, f->sqn, sizeof(f->sqn));
	if (!ret)
		ret = column_range(stmt, HF_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = column_text(stmt, HF_UE_ADDRESS, f->ue_address,
				  sizeof(f->ue_address));
	if (!ret)
		ret = column_range(stmt, HF_UE_PORT, 1, UINT16_MAX, &port);
	if (!ret)
		ret = column_text(stmt, HF_INNER_IPV4, f->inner_ipv4,
				  sizeof(f->inner_ipv4));
	if (!ret && sqlite3_column_bytes(stmt, HF_INNER_IPV6))
		ret = column_text(stmt, HF_INNER_IPV6, f->inner_ipv6,
				  sizeof(f->inner_ipv6));
	if (!ret)
		ret = column_text(stmt, HF_DEVICE, f->device,
				  sizeof(f->device));
	if (!ret)
		ret = column_range(stmt, HF_CREATED, INT64_MIN, INT64_MAX,
				   &f->created);
	f->teid = (uint32_t)teid;
	f->ue_teid = (uint32_t)ue_teid;
	f->ksi = (uint8_t)ksi;
	f->ue_port = (uint16_t)port;
	return ret;
}

/* One row, in the transaction in force (SQLite's own if none). */
static int put_hse_flow(struct sqlite_store *ss,
			const struct store_hse_flow *f)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "INSERT OR REPLACE INTO hse_flows ("
			  HSE_FLOW_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
			  " ?7, ?8, ?9, ?10, ?11, ?12)", &stmt);
	if (ret)
		return ret;
	ret = bind_int64(ss, stmt, 1, f->teid);
	if (!ret)
		ret = bind_int64(ss, stmt, 2, f->ue_teid);
	if (!ret)
		ret = bind_text(ss, stmt, 3, f->imsi);
	if (!ret)
		ret = bind_blob(ss, stmt, 4, f->rand, sizeof(f->rand));
	if (!ret)
		ret = bind_blob(ss, stmt, 5, f->sqn, sizeof(f->sqn));
	if (!ret)
		ret = bind_int64(ss, stmt, 6, f->ksi);
	if (!ret)
		ret = bind_text(ss, stmt, 7, f->ue_address);
	if (!ret)
		ret = bind_int64(ss, stmt, 8, f->ue_port);
	if (!ret)
		ret = bind_text(ss, stmt, 9, f->inner_ipv4);
	if (!ret)
		ret = bind_text(ss, stmt, 10, f->inner_ipv6);
	if (!ret)
		ret = bind_text(ss, stmt, 11, f->device);
	if (!ret)
		ret = bind_int64(ss, stmt, 12, f->created);
	return step_done(ss, stmt, ret, "put HSE flow");
}

static int sqlite_hse_flow_put(struct store *store,
			       const struct store_hse_flow *f)
{
	return put_hse_flow(to_sqlite(store), f);
}

static int sqlite_hse_flow_put_many(struct store *store,
				    const struct store_hse_flow *flows,
				    size_t n)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = begin(ss);
	size_t i;

	for (i = 0; !ret && i < n; i++)
		ret = put_hse_flow(ss, &flows[i]);
	return end(ss, ret);
}

static int sqlite_hse_flow_get(struct store *store, uint32_t teid,
			       struct store_hse_flow *f)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT " HSE_FLOW_COLUMNS " FROM hse_flows"
			  " WHERE teid = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_int64(ss, stmt, 1, teid);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			ret = row_to_hse_flow(stmt, f);
		else if (rc == SQLITE_DONE)
			ret = fail(ss, -ENOENT, "no such HSE flow");
		else
			ret = sql_fail(ss, rc, "HSE flow");
		if (ret == -EUCLEAN)
			fail(ss, ret, "a HSE flow row is damaged");
	}
	release(ss, stmt);
	return ret;
}

static int sqlite_hse_flow_remove(struct store *store, uint32_t teid)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "DELETE FROM hse_flows WHERE teid = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_int64(ss, stmt, 1, teid);
	return step_one_row(ss, stmt, ret, "remove HSE flow",
			    "no such HSE flow");
}

static int sqlite_hse_flow_list(struct store *store, store_hse_flow_fn fn,
				void *arg)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_hse_flow f;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, ret, count = 0;

	ret = prepare(ss, "SELECT " HSE_FLOW_COLUMNS " FROM hse_flows"
			  " ORDER BY teid", &stmt);
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ret = row_to_hse_flow(stmt, &f);
		if (ret)
			ret = fail(ss, ret, "a HSE flow row is damaged");
		else if (fn)
			ret = fn(&f, arg);
		else
			count++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql_fail(ss, rc, "list HSE flows");
	release(ss, stmt);
	return ret ? ret : count;
}

/* SGW UEs. */

#define SGW_UE_COLUMNS "imsi, last_ksi, inner_ipv4, hse_teid, attached," \
	" ue_address, ue_port, ue_teid"
enum {
	SU_IMSI, SU_LAST_KSI, SU_INNER_IPV4, SU_HSE_TEID, SU_ATTACHED,
	SU_UE_ADDRESS, SU_UE_PORT, SU_UE_TEID,
};

/* A TEXT column that may be '' (column_text() refuses an empty one). */
static int column_text_or_empty(sqlite3_stmt *stmt, int col, char *out,
				size_t size)
{
	out[0] = '\0';
	if (sqlite3_column_type(stmt, col) != SQLITE_TEXT)
		return -EUCLEAN;
	if (!sqlite3_column_bytes(stmt, col))
		return 0;
	return column_text(stmt, col, out, size);
}

static int row_to_sgw_ue(sqlite3_stmt *stmt, struct store_sgw_ue *u)
{
	int64_t ksi = 0, teid = 0, attached = 0, port = 0, ue_teid = 0;
	int ret;

	memset(u, 0, sizeof(*u));
	ret = column_text(stmt, SU_IMSI, u->imsi, sizeof(u->imsi));
	if (!ret)
		ret = column_range(stmt, SU_LAST_KSI, 0, STORE_KSI_MAX, &ksi);
	if (!ret)
		ret = column_text_or_empty(stmt, SU_INNER_IPV4, u->inner_ipv4,
					   sizeof(u->inner_ipv4));
	if (!ret)
		ret = column_range(stmt, SU_HSE_TEID, 0, UINT32_MAX, &teid);
	if (!ret)
		ret = column_range(stmt, SU_ATTACHED, 0, 1, &attached);
	if (!ret)
		ret = column_text_or_empty(stmt, SU_UE_ADDRESS, u->ue_address,
					   sizeof(u->ue_address));
	if (!ret)
		ret = column_range(stmt, SU_UE_PORT, 0, UINT16_MAX, &port);
	if (!ret)
		ret = column_range(stmt, SU_UE_TEID, 0, UINT32_MAX, &ue_teid);
	u->last_ksi = (uint8_t)ksi;
	u->hse_teid = (uint32_t)teid;
	u->attached = (uint8_t)attached;
	u->ue_port = (uint16_t)port;
	u->ue_teid = (uint32_t)ue_teid;
	return ret;
}

static int sqlite_sgw_ue_put(struct store *store,
			     const struct store_sgw_ue *u)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int ret;

	ret = prepare(ss, "INSERT OR REPLACE INTO sgw_ues (" SGW_UE_COLUMNS
			  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, u->imsi);
	if (!ret)
		ret = bind_int64(ss, stmt, 2, u->last_ksi);
	if (!ret)
		ret = bind_text(ss, stmt, 3, u->inner_ipv4);
	if (!ret)
		ret = bind_int64(ss, stmt, 4, u->hse_teid);
	if (!ret)
		ret = bind_int64(ss, stmt, 5, u->attached);
	if (!ret)
		ret = bind_text(ss, stmt, 6, u->ue_address);
	if (!ret)
		ret = bind_int64(ss, stmt, 7, u->ue_port);
	if (!ret)
		ret = bind_int64(ss, stmt, 8, u->ue_teid);
	return step_done(ss, stmt, ret, "put SGW UE");
}

static int sqlite_sgw_ue_get(struct store *store, const char *imsi,
			     struct store_sgw_ue *u)
{
	struct sqlite_store *ss = to_sqlite(store);
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = prepare(ss, "SELECT " SGW_UE_COLUMNS " FROM sgw_ues"
			  " WHERE imsi = ?1", &stmt);
	if (ret)
		return ret;
	ret = bind_text(ss, stmt, 1, imsi);
	if (!ret) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			ret = row_to_sgw_ue(stmt, u);
		else if (rc == SQLITE_DONE)
			ret = fail(ss, -ENOENT, "no such SGW UE");
		else
			ret = sql_fail(ss, rc, "SGW UE");
		if (ret == -EUCLEAN)
			fail(ss, ret, "a SGW UE row is damaged");
	}
	release(ss, stmt);
	return ret;
}

static int sqlite_sgw_ue_list(struct store *store, store_sgw_ue_fn fn,
			      void *arg)
{
	struct sqlite_store *ss = to_sqlite(store);
	struct store_sgw_ue u;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, ret, count = 0;

	ret = prepare(ss, "SELECT " SGW_UE_COLUMNS " FROM sgw_ues"
			  " ORDER BY imsi", &stmt);
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ret = row_to_sgw_ue(stmt, &u);
		if (ret)
			ret = fail(ss, ret, "a SGW UE row is damaged");
		else if (fn)
			ret = fn(&u, arg);
		else
			count++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql_fail(ss, rc, "list SGW UEs");
	release(ss, stmt);
	return ret ? ret : count;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.subscriber_add = sqlite_subscriber_add,
	.subscriber_get = sqlite_subscriber_get,
	.subscriber_remove = sqlite_subscriber_remove,
	.subscriber_list = sqlite_subscriber_list,
	.subscriber_sqn_update = sqlite_subscriber_sqn_update,
	.session_add = sqlite_session_add,
	.session_get = sqlite_session_get,
	.session_latest = sqlite_session_latest,
	.session_purge = sqlite_session_purge,
	.session_list = sqlite_session_list,
	.usim_add = sqlite_usim_add,
	.usim_get = sqlite_usim_get,
	.usim_remove = sqlite_usim_remove,
	.usim_sqn_update = sqlite_usim_sqn_update,
	.usim_gba_set = sqlite_usim_gba_set,
	.usim_gba_get = sqlite_usim_gba_get,
	.hse_flow_put = sqlite_hse_flow_put,
	.hse_flow_put_many = sqlite_hse_flow_put_many,
	.hse_flow_get = sqlite_hse_flow_get,
	.hse_flow_remove = sqlite_hse_flow_remove,
	.hse_flow_list = sqlite_hse_flow_list,
	.sgw_ue_put = sqlite_sgw_ue_put,
	.sgw_ue_get = sqlite_sgw_ue_get,
	.sgw_ue_list = sqlite_sgw_ue_list,
};
