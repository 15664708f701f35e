// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine of the store.
 *
 * One database file in WAL mode with synchronous=FULL: a write is on disk
 * when its COMMIT returns, which is what lets the AuC hand out an SQN only
 * after it is stored (a daemon's group commit takes the flush out of its
 * COMMIT and makes it before it answers: sqlite_flush.c). Every write is
 * one transaction; read-modify-writes take the write lock first (BEGIN
 * IMMEDIATE) so two processes cannot both read the same SQN. The schema version is PRAGMA user_version, and
 * PRAGMA application_id marks the file as an e2m store.
 *
 * Secrets are sealed (seal.h) at the place (table, row identity, column)
 * they are stored at, binding the columns their row is found by or
 * decided on (sqlite_seal.c); the rows a seal does not cover whole carry
 * a MAC over all their columns (sqlite_row_mac.c); a "key_check" row in
 * meta, sealed when the store is made, tells a wrong store key at open
 * rather than at the first secret.
 * All SQL is fixed text with bound parameters.
 *
 * Statements are prepared once and kept (STMT_CACHE_MAX of them, keyed by
 * the address of their SQL text, a string literal of the engine's files):
 * parsing
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

#include "sqlite_db.h"
#include "store_group.h"
#include "util/why.h"
#include "util/secure_alloc.h"

#define SCHEMA_VERSION		18
#define APPLICATION_ID		0x65326d00	/* "e2m\0" */
#define BUSY_TIMEOUT_MS		5000

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
	/*
	 * 4 -> 5: the NAF Key Centre (TS 33.259): each remote device's
	 * pre-provisioned PSK (sealed), the Device_IDs it refuses, and the
	 * Ks_local keys it issued (sealed) with their lifetime.
	 */
	"CREATE TABLE device_psks ("
	"  device_id TEXT PRIMARY KEY NOT NULL,"
	"  psk BLOB NOT NULL,"
	"  created INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE blocked_devices ("
	"  device_id TEXT PRIMARY KEY NOT NULL,"
	"  created INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE local_keys ("
	"  btid TEXT NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  label TEXT NOT NULL"
	"    CHECK (label IN ('ks_local_device', 'ks_local_mt')),"
	"  naf_id BLOB NOT NULL CHECK (length(naf_id) BETWEEN 6 AND 260),"
	"  key BLOB NOT NULL,"
	"  issued INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),"
	"  PRIMARY KEY (btid, device_id, label)"
	") STRICT;"
	"CREATE INDEX local_keys_by_expiry ON local_keys (expires);",
	/*
	 * 5 -> 6: the MT / UICC hosting device (seed 001 7.5): each Ks_local
	 * it derived for a remote or external device (sealed), with the
	 * ICC_ID of the UICC it came from, so that another UICC wipes them;
	 * the serial of its ks_local key in the keyring (0: none) and
	 * whether the device said it completed (step 18).
	 */
	"CREATE TABLE mt_local_keys ("
	"  btid TEXT NOT NULL,"
	"  naf_id BLOB NOT NULL CHECK (length(naf_id) BETWEEN 6 AND 260),"
	"  device_id TEXT NOT NULL,"
	"  iccid TEXT NOT NULL,"
	"  key BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  key_serial INTEGER NOT NULL"
	"    CHECK (key_serial BETWEEN 0 AND 2147483647),"
	"  completed INTEGER NOT NULL CHECK (completed IN (0, 1)),"
	"  PRIMARY KEY (btid, naf_id, device_id)"
	") STRICT;"
	"CREATE INDEX mt_local_keys_by_iccid ON mt_local_keys (iccid);"
	"CREATE INDEX mt_local_keys_by_expiry ON mt_local_keys (expires);",
	/*
	 * 6 -> 7: a remote / external device (TS 33.259 4.5.2 step 17, seed
	 * 001 8.1): its own Ks_local per (Device_ID, NAF_Id), sealed, with
	 * the B-TID and label it was issued for, its lifetime, the serial of
	 * its ks_local key in the keyring (0: none) and whether the MT
	 * acknowledged the completion notice (step 18).
	 */
	"CREATE TABLE device_local_keys ("
	"  device_id TEXT NOT NULL,"
	"  naf_id BLOB NOT NULL CHECK (length(naf_id) BETWEEN 6 AND 260),"
	"  btid TEXT NOT NULL,"
	"  label TEXT NOT NULL"
	"    CHECK (label IN ('ks_local_device', 'ks_local_mt')),"
	"  key BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  key_serial INTEGER NOT NULL"
	"    CHECK (key_serial BETWEEN 0 AND 2147483647),"
	"  completed INTEGER NOT NULL CHECK (completed IN (0, 1)),"
	"  PRIMARY KEY (device_id, naf_id)"
	") STRICT;",
	/*
	 * 7 -> 8: the oneM2M security bootstrap (seed 002, TS-0003
	 * 8.3.2.1), on an MEF and on an Enrolee alike: each Kpm by its
	 * KpmId (sealed) with its Bootstrap Instruction Configuration
	 * (Enrolee-ID and a MAF-ID or an Enrolee-B-ID), and each Ke by its
	 * KeId (sealed), the KpmId it came from, that configuration, the
	 * MEF's FQDN, and its lifetime.
	 */
	"CREATE TABLE onem2m_kpms ("
	"  kpm_id TEXT PRIMARY KEY,"
	"  kpm BLOB NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  target_kind TEXT NOT NULL"
	"    CHECK (target_kind IN ('maf', 'enrolee-b')),"
	"  target_id TEXT NOT NULL,"
	"  created INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE onem2m_kes ("
	"  ke_id TEXT PRIMARY KEY,"
	"  ke BLOB NOT NULL,"
	"  kpm_id TEXT NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  target_kind TEXT NOT NULL"
	"    CHECK (target_kind IN ('maf', 'enrolee-b')),"
	"  target_id TEXT NOT NULL,"
	"  mef TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX onem2m_kes_by_expiry ON onem2m_kes (expires);",
	/*
	 * 8 -> 9: the long-term key update (seed 004, issue 15) in a
	 * software USIM: the new K and OPc, sealed, pending beside the
	 * current ones until the first AKA that verifies under them (both
	 * NULL when none), and the update counter of the last update
	 * accepted, which a new one must exceed.
	 */
	"ALTER TABLE usims ADD COLUMN pending_k BLOB;"
	"ALTER TABLE usims ADD COLUMN pending_opc BLOB;"
	"ALTER TABLE usims ADD COLUMN update_counter INTEGER NOT NULL"
	"  DEFAULT 0 CHECK (update_counter BETWEEN 0 AND 4294967295);",
	/*
	 * 9 -> 10: no table changes; every secret is re-sealed as a
	 * version 2 blob binding the columns its row is found by or decided
	 * on (sqlite_seal.c), by migration_steps[9] below.
	 */
	"",
	/*
	 * 10 -> 11: a mac column, and every row's MAC in it, for the tables
	 * whose rows a seal does not cover whole (blocked_devices,
	 * local_keys, mt_local_keys, device_local_keys, hse_flows,
	 * sgw_ues), by migration_steps[10] below (sqlite_row_mac.c): it
	 * checks the store key first, and needs the key to MAC.
	 */
	"",
	/*
	 * 11 -> 12: a MAF's Kms (Centralized Key Distribution, seed 002),
	 * each by its Km-Id (sealed, binding every other column: no row
	 * MAC is needed), with the KeId and Enrolee-ID it was fetched for
	 * (one Km per pair) and its Ke's lifetime.
	 */
	"CREATE TABLE onem2m_maf_kms ("
	"  km_id TEXT PRIMARY KEY,"
	"  km BLOB NOT NULL,"
	"  ke_id TEXT NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL CHECK (expires > created),"
	"  UNIQUE (ke_id, enrolee_id)"
	") STRICT;"
	"CREATE INDEX onem2m_maf_kms_by_expiry ON onem2m_maf_kms (expires);",
	/*
	 * 12 -> 13: the long-term key update at the HSS (seed 004 step 6,
	 * issue 15): the update counter of the last key update the
	 * subscriber's K and OPc were switched by, which a new one must
	 * exceed (0: never updated).
	 */
	"ALTER TABLE subscribers ADD COLUMN update_counter INTEGER NOT NULL"
	"  DEFAULT 0 CHECK (update_counter BETWEEN 0 AND 4294967295);"
	/*
	 * And role prov's record of the updates it runs, one a USIM: the
	 * new K and OPc sealed, the counter, how far it got.
	 */
	"CREATE TABLE prov_updates ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  imsi TEXT NOT NULL,"
	"  counter INTEGER NOT NULL CHECK (counter BETWEEN 1 AND 4294967295),"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('queued', 'usim-done', 'hss-done')),"
	"  k BLOB NOT NULL,"
	"  opc BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	") STRICT;",
	/*
	 * 13 -> 14: role prov's key update sessions (issue 15), one a USIM,
	 * found by their id: where the server's side stands, so that a
	 * server started again goes on. The step's secrets (eSK.OCE, or
	 * the four session keys) sealed at the ICCID, binding every other
	 * column but the times.
	 */
	"CREATE TABLE prov_sessions ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),"
	"  counter INTEGER NOT NULL CHECK (counter BETWEEN 1 AND 4294967295),"
	"  step TEXT NOT NULL"
	"    CHECK (step IN ('certificates', 'authenticate', 'update')),"
	"  certs_sent INTEGER NOT NULL CHECK (certs_sent BETWEEN 1 AND 4),"
	"  sd_point BLOB NOT NULL CHECK (length(sd_point) = 65),"
	"  secret BLOB NOT NULL,"
	"  chain BLOB NOT NULL CHECK (length(chain) = 16),"
	"  sm_counter INTEGER NOT NULL"
	"    CHECK (sm_counter BETWEEN 0 AND 4294967295),"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	") STRICT;",
	/*
	 * 14 -> 15: the USIM's security domain credentials for a key update
	 * (issue 15): SK.SD sealed, bound to its certificate and CA-KLOC
	 * (DER), all three NULL until set.
	 */
	"ALTER TABLE usims ADD COLUMN sd_key BLOB;"
	"ALTER TABLE usims ADD COLUMN sd_cert BLOB"
	"  CHECK (sd_cert IS NULL OR length(sd_cert) BETWEEN 1 AND 2048);"
	"ALTER TABLE usims ADD COLUMN ca_kloc BLOB"
	"  CHECK (ca_kloc IS NULL OR length(ca_kloc) BETWEEN 1 AND 2048);",
	/*
	 * 15 -> 16: the BSF's Ub challenges where BSF instances share the
	 * store (issue 18; store.h): XRES || CK || IK sealed at the nonce,
	 * bound to every other column but spent, NULL once the challenge is
	 * answered (spent = 1), the row kept until it expires so that a
	 * replay is told from a nonce never issued. A BSF on SQLite writes
	 * it when it runs on several workers (sqlite_challenges.c).
	 */
	"CREATE TABLE bsf_challenges ("
	"  nonce TEXT PRIMARY KEY NOT NULL,"
	"  opaque TEXT NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  rand BLOB NOT NULL CHECK (length(rand) = 16),"
	"  flags INTEGER NOT NULL CHECK (flags BETWEEN 0 AND 3),"
	"  uss TEXT NOT NULL,"
	"  expires_ms INTEGER NOT NULL,"
	"  spent INTEGER NOT NULL CHECK (spent IN (0, 1)),"
	"  secret BLOB"
	") STRICT;"
	"CREATE INDEX bsf_challenges_by_impi ON bsf_challenges (impi, expires_ms);"
	"CREATE INDEX bsf_challenges_by_expiry ON bsf_challenges (expires_ms);",
	/*
	 * 16 -> 17: an SGW's inner address and HSE TEID are one IMSI's
	 * each, held by the store itself (issue 18): where SGW instances
	 * share it, a second holder is refused (-EEXIST), never stored. A
	 * store that already breaks this (two rows of one address) fails
	 * here, as its SGW would have failed its start.
	 */
	"CREATE UNIQUE INDEX sgw_ues_by_inner_ipv4 ON sgw_ues (inner_ipv4)"
	"  WHERE inner_ipv4 <> '';"
	"CREATE UNIQUE INDEX sgw_ues_by_hse_teid ON sgw_ues (hse_teid)"
	"  WHERE hse_teid <> 0;",
	/*
	 * 17 -> 18: a HSE flow's owner, the HSE instance that installed it
	 * (issue 18: HSE instances sharing a store), and the key (owner,
	 * teid): a TEID is one kernel's, and two hosts may hold the same.
	 * SQLite changes no primary key in place: the table is made again.
	 * Its rows come with owner '' and their old MAC; migration_steps[17]
	 * checks that MAC and gives them their owner and a new one.
	 */
	"CREATE TABLE hse_flows_18 ("
	"  teid INTEGER NOT NULL CHECK (teid BETWEEN 1 AND 4294967295),"
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
	"  created INTEGER NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  mac BLOB NOT NULL,"
	"  PRIMARY KEY (owner, teid)"
	") STRICT;"
	"INSERT INTO hse_flows_18 SELECT teid, ue_teid, imsi, rand, sqn, ksi,"
	"  ue_address, ue_port, inner_ipv4, inner_ipv6, device, created, '',"
	"  mac FROM hse_flows;"
	"DROP TABLE hse_flows;"
	"ALTER TABLE hse_flows_18 RENAME TO hse_flows;"
	"CREATE INDEX hse_flows_by_imsi ON hse_flows (imsi);",
};

#define SCHEMA_MIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))
_Static_assert(SCHEMA_MIGRATIONS == SCHEMA_VERSION,
	       "one migration per schema version");

/* PostgreSQL applies the same migrations (store_engine.h, store_pg.c). */
_Static_assert(SCHEMA_VERSION == STORE_SCHEMA_VERSION,
	       "a new migration is added to store_pg.c too, and"
	       " STORE_SCHEMA_VERSION raised");

/*
 * What a migration does besides its SQL, with the store key at hand, in
 * the same transaction, after it: migration_steps[i] runs after
 * migrations[i]. Append-only as they are.
 */
static int (*const migration_steps[SCHEMA_VERSION])(struct sqlite_store *) = {
	[9] = db_seal_upgrade,
	[10] = db_row_mac_upgrade,
	[17] = db_hse_flow_owner_upgrade,
};

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
int db_fail_sqlite(struct sqlite_store *ss, int rc, const char *what)
{
	int err = errno_of(ss->db, rc);

	/* e2m_row_check() refused a row the statement was to change. */
	if (ss->row_mac_refused) {
		ss->row_mac_refused = false;
		err = -EKEYREJECTED;
	}
	/* A duplicate key is the caller's answer, not a failure of ours. */
	if (err != -EEXIST)
		store_count_error();
	store_set_errmsg(&ss->base, "%s: %s", what, sqlite3_errmsg(ss->db));
	return err;
}

int db_fail(struct sqlite_store *ss, int err, const char *what)
{
	store_set_errmsg(&ss->base, "%s", what);
	return err;
}

/* Statements. */

/* Frees a statement: db_release() and closing the store are its only users. */
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
int db_prepare(struct sqlite_store *ss, const char *sql,
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
			goto got;
		}
	}
	rc = sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				stmt, NULL);
	if (rc != SQLITE_OK) {
		*stmt = NULL;
		return db_fail_sqlite(ss, rc, "prepare");
	}
	if (!known && ss->n_kept < STMT_CACHE_MAX)
		ss->kept[ss->n_kept++] = (struct kept_stmt){
			.sql = sql, .stmt = *stmt, .busy = true,
		};
got:
	/* A write of its own (one statement) must not join the group. */
	if (ss->group_tx && !ss->in_savepoint && !sqlite3_stmt_readonly(*stmt) &&
	    !store_group_joining(&ss->base))
		store_group_settle(&ss->base);
	return 0;
}

/* The user is done with stmt (NULL: nothing): kept for the next, or freed. */
void db_release(struct sqlite_store *ss, sqlite3_stmt *stmt)
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
int db_step_done(struct sqlite_store *ss, sqlite3_stmt *stmt, int bound,
		 const char *what)
{
	int rc, ret = bound;

	if (!ret) {
		rc = sqlite3_step(stmt);
		ret = rc == SQLITE_DONE ? 0 : db_fail_sqlite(ss, rc, what);
	}
	db_release(ss, stmt);
	return ret;
}

/* db_step_done() for an UPDATE or DELETE of one row: -ENOENT if none. */
int db_step_one_row(struct sqlite_store *ss, sqlite3_stmt *stmt,
		    int bound, const char *what, const char *missing)
{
	int ret = db_step_done(ss, stmt, bound, what);

	if (!ret && sqlite3_changes(ss->db) == 0)
		ret = db_fail(ss, -ENOENT, missing);
	return ret;
}

/*
 * Steps a SELECT of one row at most: 0 with the row to read, -ENOENT
 * (@missing) when there is none, or the failure (@what).
 */
int db_step_row(struct sqlite_store *ss, sqlite3_stmt *stmt, const char *what,
		const char *missing)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return db_fail(ss, -ENOENT, missing);
	return db_fail_sqlite(ss, rc, what);
}

/*
 * @sql, an UPDATE or DELETE of the one row whose key is ?1, run with @key
 * bound there: db_step_one_row()'s result.
 */
int db_change_one_row(struct sqlite_store *ss, const char *sql,
		      const char *key, const char *what, const char *missing)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	return db_step_one_row(ss, stmt, db_bind_text(ss, stmt, 1, key), what,
			       missing);
}

/* Fixed SQL without parameters (transactions, pragmas, the schema). */
int db_exec(struct sqlite_store *ss, const char *sql)
{
	int rc = sqlite3_exec(ss->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_fail_sqlite(ss, rc, sql);
}

/*
 * Some failures (a full disk, an I/O error) roll back the whole
 * transaction, not just the statement: the group's is then gone, and its
 * commit must fail, not report the writes that were in it as durable.
 */
static void group_check_lost(struct sqlite_store *ss)
{
	if (ss->group_tx && sqlite3_get_autocommit(ss->db)) {
		ss->group_tx = false;
		ss->group_lost = true;
	}
}

/*
 * Takes the write lock now, so a read-modify-write sees the latest state;
 * in a group (store_group.h), whose transaction holds it already, a
 * savepoint: the write fails alone.
 */
int db_begin(struct sqlite_store *ss)
{
	group_check_lost(ss);
	if (ss->group_tx) {
		if (store_group_joining(&ss->base)) {
			int ret = db_exec(ss, "SAVEPOINT e2m_write");

			ss->in_savepoint = !ret;
			return ret;
		}
		/* Its own write: durable when it returns, the group first. */
		store_group_settle(&ss->base);
	}
	return db_exec(ss, "BEGIN IMMEDIATE");
}

/* Commits the write (its savepoint in a group) or rolls it back. */
int db_commit(struct sqlite_store *ss)
{
	int ret;

	if (ss->in_savepoint) {
		ret = db_exec(ss, "RELEASE e2m_write");
		if (ret)
			return db_end(ss, ret);
		ss->in_savepoint = false;
		return 0;
	}
	ret = db_exec(ss, "COMMIT");
	/* A failed flush after the commit (sqlite_flush.c) leaves none open. */
	if (ret && !sqlite3_get_autocommit(ss->db))
		db_exec(ss, "ROLLBACK");
	return ret;
}

int db_end(struct sqlite_store *ss, int ret)
{
	if (!ret)
		return db_commit(ss);
	/* Keeps the first error's message. */
	if (ss->in_savepoint) {
		ss->in_savepoint = false;
		sqlite3_exec(ss->db, "ROLLBACK TO e2m_write; RELEASE e2m_write",
			     NULL, NULL, NULL);
		group_check_lost(ss);
		return ret;
	}
	sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

int64_t db_now(void)
{
	return (int64_t)time(NULL);
}

/* Column access, each refusing what the schema would not hold. */

/* Copies a TEXT column into out (size octets with the NUL). */
int db_column_text(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	size_t len = (size_t)sqlite3_column_bytes(stmt, col);

	out[0] = '\0';
	if (!text || len >= size || strlen((const char *)text) != len)
		return -EUCLEAN;
	memcpy(out, text, len + 1);
	return 0;
}

int db_column_bytes_exact(sqlite3_stmt *stmt, int col, uint8_t *out,
			  size_t len)
{
	const void *blob = sqlite3_column_blob(stmt, col);

	if (!blob || (size_t)sqlite3_column_bytes(stmt, col) != len)
		return -EUCLEAN;
	memcpy(out, blob, len);
	return 0;
}

/* A BLOB column of 1 to size octets into out, its length into *len. */
int db_column_bytes_max(sqlite3_stmt *stmt, int col, uint8_t *out,
			size_t size, size_t *len)
{
	const void *blob = sqlite3_column_blob(stmt, col);
	size_t bytes = (size_t)sqlite3_column_bytes(stmt, col);

	if (!blob || bytes > size)
		return -EUCLEAN;
	memcpy(out, blob, bytes);
	*len = bytes;
	return 0;
}

int db_column_range(sqlite3_stmt *stmt, int col, int64_t min,
		    int64_t max, int64_t *out)
{
	int64_t value = sqlite3_column_int64(stmt, col);

	if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER ||
	    value < min || value > max)
		return -EUCLEAN;
	*out = value;
	return 0;
}

/* Every sqlite3_bind_* of the literal kinds goes through here. */
int db_bind_ok(struct sqlite_store *ss, int rc)
{
	return rc == SQLITE_OK ? 0 : db_fail_sqlite(ss, rc, "bind");
}

int db_bind_text(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		 const char *text)
{
	return db_bind_ok(ss, sqlite3_bind_text(stmt, idx, text, -1,
					     SQLITE_TRANSIENT));
}

int db_bind_int64(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		  int64_t value)
{
	return db_bind_ok(ss, sqlite3_bind_int64(stmt, idx, value));
}

int db_bind_blob(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		 const void *blob, size_t len)
{
	return db_bind_ok(ss, sqlite3_bind_blob(stmt, idx, blob, (int)len,
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

		ub_why(why, why_size, "%s: %s", path, strerror(err));
		return -err;
	}
	close(fd);
	return 0;
}

/* An integer PRAGMA's value. */
static int pragma_int(struct sqlite_store *ss, const char *sql, int64_t *value)
{
	sqlite3_stmt *stmt;
	int rc, ret = db_prepare(ss, sql, &stmt);

	if (ret)
		return ret;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(stmt, 0);
	else
		ret = db_fail_sqlite(ss, rc, sql);
	db_release(ss, stmt);
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
		ub_why(why, why_size, "%s: %s", path,
		       ret == -EUCLEAN ? "not an SQLite database" :
		       store_errmsg(&ss->base));
		return ret;
	}
	if (application_id != 0 && application_id != APPLICATION_ID) {
		ub_why(why, why_size,
		       "%s: not an e2m store (application_id 0x%08llx)",
		       path, (unsigned long long)application_id);
		return -EUCLEAN;
	}
	if (version > SCHEMA_VERSION) {
		ub_why(why, why_size,
		       "%s: store schema version %lld is newer than this program supports (%d); refusing to open it",
		       path, (long long)version, SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (version < 0) {
		ub_why(why, why_size, "%s: bad schema version %lld", path,
		       (long long)version);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * The wait for another connection's write lock, BUSY_TIMEOUT_MS in all.
 * SQLite's own handler sleeps 1, 2, 5, 10 ms and more between tries, and
 * the workers of one e2md on this file (daemon/workers.h) each take the
 * lock again on the next turn of their loop, some microseconds after its
 * group's commit released it: a worker that slept milliseconds found it
 * taken again and again (workers_bench.sh: one of two workers starved,
 * 0.04 s of CPU against the other's 0.9, its requests up to 540 ms late).
 * Here the sleeps start at 20 us and double up to 1 ms.
 */
static int busy_wait(void *arg, int tries)
{
	struct sqlite_store *ss = arg;
	struct timespec now, nap;
	long long waited_us, nap_us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!tries)
		ss->busy_since = now;
	waited_us = (now.tv_sec - ss->busy_since.tv_sec) * 1000000LL +
		    (now.tv_nsec - ss->busy_since.tv_nsec) / 1000;
	if (waited_us >= BUSY_TIMEOUT_MS * 1000LL)
		return 0;
	nap_us = tries < 6 ? 20LL << tries : 1000;
	nap = (struct timespec){ .tv_nsec = nap_us * 1000 };
	nanosleep(&nap, NULL);
	return 1;
}

/* WAL, durable commits, no stale secrets left in free pages. */
static int configure(struct sqlite_store *ss, const char *path, char *why,
		     size_t why_size)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	sqlite3_busy_handler(ss->db, busy_wait, ss);
	ret = db_prepare(ss, "PRAGMA journal_mode=WAL", &stmt);
	if (ret)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		ret = db_fail_sqlite(ss, rc, "journal_mode");
	else if (!sqlite3_column_text(stmt, 0) ||
		 strcmp((const char *)sqlite3_column_text(stmt, 0), "wal"))
		ret = db_fail(ss, -EIO, "cannot switch to WAL journal mode");
	db_release(ss, stmt);
	if (!ret)
		ret = db_exec(ss, "PRAGMA synchronous=FULL;"
			       "PRAGMA foreign_keys=ON;"
			       "PRAGMA secure_delete=ON;"
			       "PRAGMA trusted_schema=OFF");
	if (!ret)
		return 0;
fail:
	ub_why(why, why_size, "%s: %s", path, store_errmsg(&ss->base));
	return ret;
}

/* Runs the migrations from the store's version up to SCHEMA_VERSION. */
static int migrate(struct sqlite_store *ss, int64_t version)
{
	char sql[64];
	int ret = 0;

	for (; !ret && version < SCHEMA_VERSION; version++) {
		ret = db_exec(ss, migrations[version]);
		if (!ret && migration_steps[version])
			ret = migration_steps[version](ss);
	}
	if (ret)
		return ret;
	/* Our own integers: PRAGMAs take no bound parameters. */
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id=%d; PRAGMA user_version=%d",
		 APPLICATION_ID, SCHEMA_VERSION);
	return db_exec(ss, sql);
}

static const struct seal_place key_check_place = {
	.table = "meta", .row = "key_check", .column = "value",
};

/*
 * The key check: a sealed block of zeros, written when the store is made.
 * Opening it with another key fails, and says so, at once.
 */
int db_check_key(struct sqlite_store *ss)
{
	uint8_t zeros[16] = { 0 }, check[sizeof(zeros)];
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = db_prepare(ss, "SELECT value FROM meta WHERE name = 'key_check'",
		      &stmt);
	if (ret)
		return ret;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		ret = db_column_secret(ss, stmt, 0, &key_check_place, check,
				    sizeof(check));
		if (ret == -EKEYREJECTED)
			db_fail(ss, ret, "the store key does not open this store");
		db_release(ss, stmt);
		return ret;
	}
	db_release(ss, stmt);
	if (rc != SQLITE_DONE)
		return db_fail_sqlite(ss, rc, "key check");
	ret = db_prepare(ss, "INSERT INTO meta (name, value) VALUES ('key_check', ?1)",
		      &stmt);
	if (ret)
		return ret;
	ret = db_bind_secret(ss, stmt, 1, &key_check_place, zeros, sizeof(zeros));
	return db_step_done(ss, stmt, ret, "key check");
}

/*
 * Under the write lock: migrate (another process may have done it since
 * check_identity()) and check the key, all or nothing.
 */
static int prepare_schema(struct sqlite_store *ss, const char *path,
			  char *why, size_t why_size)
{
	int64_t version;
	int ret = db_begin(ss);

	if (!ret)
		ret = pragma_int(ss, "PRAGMA user_version", &version);
	if (!ret && version > SCHEMA_VERSION)
		ret = db_fail(ss, -EPROTONOSUPPORT, "store schema is newer");
	if (!ret && version < SCHEMA_VERSION)
		ret = migrate(ss, version);
	if (!ret)
		ret = db_check_key(ss);
	ret = db_end(ss, ret);
	if (ret)
		ub_why(why, why_size, "%s: %s", path,
		       store_errmsg(&ss->base));
	else
		ss->schema_version = SCHEMA_VERSION;
	return ret;
}

/* The group's transaction (store_group.h): it takes the write lock. */
static int sqlite_group_open(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret = db_exec(ss, "BEGIN IMMEDIATE");

	ss->group_tx = !ret;
	ss->group_lost = false;
	return ret;
}

static int sqlite_group_commit(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);
	int ret;

	group_check_lost(ss);
	if (ss->group_lost) {
		ss->group_lost = false;
		return db_fail(ss, -EIO, "the group's transaction was rolled back");
	}
	if (!ss->group_tx)
		return 0;
	ss->group_tx = false;
	/* Deferred (sqlite_flush.c): store_group flushes, off the loop. */
	ss->group_committing = true;
	ss->group_wrote = false;
	ret = db_commit(ss);
	ss->group_committing = false;
	/* SQLite calls the WAL hook only for a commit that wrote frames. */
	if (!ret && ss->wal_fd >= 0 && !ss->group_wrote)
		return STORE_GROUP_NOTHING_WRITTEN;
	return ret;
}

static void sqlite_close(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);

	while (ss->n_kept)
		stmt_free(ss->kept[--ss->n_kept].stmt);
	sqlite3_close_v2(ss->db);
	/* After SQLite's own: it may still write (and flush) at close. */
	if (ss->wal_fd >= 0)
		close(ss->wal_fd);
	db_row_mac_free(ss);
	store_key_wipe(&ss->key);
	secure_free(ss);
}

static const struct store_ops sqlite_ops;

int store_sqlite_open(struct store **store, const char *path,
		      const struct store_key *key, char *why, size_t why_size)
{
	struct sqlite_store *ss;
	int rc, ret;

	*store = NULL;
	/* The store key lives here: in memory no core dump shows. */
	ss = secure_calloc(sizeof(*ss));
	if (!ss)
		return -ENOMEM;
	ss->base.ops = &sqlite_ops;
	ss->wal_fd = -1;
	memcpy(&ss->key, key, sizeof(ss->key));
	ret = create_private(path, why, why_size);
	if (ret)
		goto fail;
	rc = sqlite3_open_v2(path, &ss->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
			     SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		ret = errno_of(ss->db, rc);
		ub_why(why, why_size, "%s: %s", path,
		       ss->db ? sqlite3_errmsg(ss->db) : "out of memory");
		goto fail;
	}
	ret = db_row_mac_init(ss);
	if (ret)
		ub_why(why, why_size, "%s: %s", path, store_errmsg(&ss->base));
	if (!ret)
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

/*
 * store_reads_begin(): a deferred transaction, whose first read takes the
 * lock and the snapshot the others share, and query_only, which makes a
 * write in between fail rather than join it. Not inside a transaction
 * already open (the group's).
 */
static void sqlite_reads_begin(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);

	if (ss->reads_tx || !sqlite3_get_autocommit(ss->db))
		return;
	if (sqlite3_exec(ss->db, "BEGIN; PRAGMA query_only=ON", NULL, NULL,
			 NULL) == SQLITE_OK) {
		ss->reads_tx = true;
		return;
	}
	/* Each read on its own, as without the hold. */
	sqlite3_exec(ss->db, "PRAGMA query_only=OFF", NULL, NULL, NULL);
	if (!sqlite3_get_autocommit(ss->db))
		sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sqlite_reads_end(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);

	if (!ss->reads_tx)
		return;
	ss->reads_tx = false;
	sqlite3_exec(ss->db, "PRAGMA query_only=OFF", NULL, NULL, NULL);
	/* It wrote nothing: its end only lets the lock go, whatever it says. */
	if (!sqlite3_get_autocommit(ss->db) &&
	    sqlite3_exec(ss->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sqlite_schema_version(const struct store *store)
{
	return ((const struct sqlite_store *)store)->schema_version;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.group_open = sqlite_group_open,
	.group_commit = sqlite_group_commit,
	.defer_flush = sqlite_defer_flush,
	.flush = sqlite_flush,
	.reads_begin = sqlite_reads_begin,
	.reads_end = sqlite_reads_end,
	.schema_version = sqlite_schema_version,
	.subscriber_add = sqlite_subscriber_add,
	.subscriber_get = sqlite_subscriber_get,
	.subscriber_remove = sqlite_subscriber_remove,
	.subscriber_list = sqlite_subscriber_list,
	.subscriber_sqn_update = sqlite_subscriber_sqn_update,
	.subscriber_update_keys = sqlite_subscriber_update_keys,
	.session_add = sqlite_session_add,
	.session_get = sqlite_session_get,
	.session_latest = sqlite_session_latest,
	.session_purge = sqlite_session_purge,
	.session_list = sqlite_session_list,
	.challenge_add = sqlite_challenge_add,
	.challenge_take = sqlite_challenge_take,
	.challenge_pending = sqlite_challenge_pending,
	.challenge_purge = sqlite_challenge_purge,
	.usim_add = sqlite_usim_add,
	.usim_get = sqlite_usim_get,
	.usim_remove = sqlite_usim_remove,
	.usim_sqn_update = sqlite_usim_sqn_update,
	.usim_gba_set = sqlite_usim_gba_set,
	.usim_gba_get = sqlite_usim_gba_get,
	.usim_stage_keys = sqlite_usim_stage_keys,
	.usim_sd_set = sqlite_usim_sd_set,
	.usim_sd_get = sqlite_usim_sd_get,
	.prov_update_add = sqlite_prov_update_add,
	.prov_update_get = sqlite_prov_update_get,
	.prov_update_advance = sqlite_prov_update_advance,
	.prov_update_list = sqlite_prov_update_list,
	.prov_session_put = sqlite_prov_session_put,
	.prov_session_get = sqlite_prov_session_get,
	.prov_session_remove = sqlite_prov_session_remove,
	.prov_session_count = sqlite_prov_session_count,
	.prov_session_purge = sqlite_prov_session_purge,
	.hse_flow_put = sqlite_hse_flow_put,
	.hse_flow_put_many = sqlite_hse_flow_put_many,
	.hse_flow_get = sqlite_hse_flow_get,
	.hse_flow_remove = sqlite_hse_flow_remove,
	.hse_flow_list = sqlite_hse_flow_list,
	.sgw_ue_put = sqlite_sgw_ue_put,
	.sgw_ue_replace = sqlite_sgw_ue_replace,
	.sgw_ue_get = sqlite_sgw_ue_get,
	.sgw_ue_list = sqlite_sgw_ue_list,
	.sgw_pool_get = sqlite_sgw_pool_get,
	.sgw_pool_write = sqlite_sgw_pool_write,
	.device_psk_add = sqlite_device_psk_add,
	.device_psk_get = sqlite_device_psk_get,
	.device_psk_remove = sqlite_device_psk_remove,
	.device_psk_list = sqlite_device_psk_list,
	.device_block = sqlite_device_block,
	.device_unblock = sqlite_device_unblock,
	.device_blocked = sqlite_device_blocked,
	.device_block_list = sqlite_device_block_list,
	.ks_local_put = sqlite_ks_local_put,
	.ks_local_get = sqlite_ks_local_get,
	.ks_local_revoke = sqlite_ks_local_revoke,
	.ks_local_purge = sqlite_ks_local_purge,
	.ks_local_list = sqlite_ks_local_list,
	.mt_key_put = sqlite_mt_key_put,
	.mt_key_get = sqlite_mt_key_get,
	.mt_key_complete = sqlite_mt_key_complete,
	.mt_key_remove_other_iccids = sqlite_mt_key_remove_other_iccids,
	.mt_key_purge = sqlite_mt_key_purge,
	.mt_key_list = sqlite_mt_key_list,
	.remote_key_put = sqlite_remote_key_put,
	.remote_key_get = sqlite_remote_key_get,
	.remote_key_complete = sqlite_remote_key_complete,
	.remote_key_remove = sqlite_remote_key_remove,
	.remote_key_list = sqlite_remote_key_list,
	.onem2m_kpm_add = sqlite_onem2m_kpm_add,
	.onem2m_kpm_get = sqlite_onem2m_kpm_get,
	.onem2m_kpm_remove = sqlite_onem2m_kpm_remove,
	.onem2m_kpm_list = sqlite_onem2m_kpm_list,
	.onem2m_ke_add = sqlite_onem2m_ke_add,
	.onem2m_ke_get = sqlite_onem2m_ke_get,
	.onem2m_ke_purge = sqlite_onem2m_ke_purge,
	.onem2m_ke_list = sqlite_onem2m_ke_list,
	.onem2m_km_put = sqlite_onem2m_km_put,
	.onem2m_km_get = sqlite_onem2m_km_get,
	.onem2m_km_remove = sqlite_onem2m_km_remove,
	.onem2m_km_purge = sqlite_onem2m_km_purge,
	.onem2m_km_count = sqlite_onem2m_km_count,
	.onem2m_km_list = sqlite_onem2m_km_list,
	.onem2m_handoff_get = sqlite_onem2m_handoff_get,
	.onem2m_handoff_set = sqlite_onem2m_handoff_set,
	.onem2m_handoff_clear = sqlite_onem2m_handoff_clear,
};
