// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's migrations: the SQLite engine's
 * (store_sqlite.c), version for version, in PostgreSQL's SQL. What each
 * table holds and why is said there; here only what differs:
 *
 *	INTEGER -> BIGINT (every integer; the engine reads 8 octets),
 *	BLOB -> BYTEA, length() -> octet_length(), no STRICT (PostgreSQL's
 *	columns are typed), a column sessions.inserted for SQLite's rowid.
 *
 * Append-only, as SQLite's: a released migration never changes, a new
 * schema is a new entry here and there (store_engine.h's
 * STORE_SCHEMA_VERSION; both files assert it at build time).
 */
#include <stddef.h>

#include "pg_db.h"

const char *const pg_migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE meta ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  value BYTEA NOT NULL"
	");"
	"CREATE TABLE subscribers ("
	"  imsi TEXT PRIMARY KEY NOT NULL,"
	"  impi TEXT NOT NULL UNIQUE,"
	"  k BYTEA NOT NULL,"
	"  opc BYTEA NOT NULL,"
	"  amf BIGINT NOT NULL CHECK (amf BETWEEN 0 AND 65535),"
	"  sqn_seq BIGINT NOT NULL CHECK (sqn_seq >= 0),"
	"  sqn_ind BIGINT NOT NULL CHECK (sqn_ind >= 0),"
	"  sqn_ind_bits BIGINT NOT NULL CHECK (sqn_ind_bits BETWEEN 0 AND 5),"
	"  flags BIGINT NOT NULL CHECK (flags >= 0),"
	"  uss TEXT NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL"
	");"
	/*
	 * inserted: the order rows were added in, which SQLite's rowid
	 * gives there (the latest of two sessions made in one second).
	 */
	"CREATE TABLE sessions ("
	"  btid TEXT PRIMARY KEY NOT NULL,"
	"  inserted BIGSERIAL NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  rand BYTEA NOT NULL CHECK (octet_length(rand) = 16),"
	"  ks BYTEA NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL"
	");"
	"CREATE INDEX sessions_by_impi ON sessions (impi, created);"
	"CREATE INDEX sessions_by_expiry ON sessions (expires);"
	"CREATE TABLE usims ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  imsi TEXT NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  k BYTEA NOT NULL,"
	"  opc BYTEA NOT NULL,"
	"  flags BIGINT NOT NULL CHECK (flags >= 0),"
	"  sqn_ind_bits BIGINT NOT NULL CHECK (sqn_ind_bits BETWEEN 0 AND 5),"
	"  sqn_seq_ms BYTEA NOT NULL,"
	"  gba_rand BYTEA,"
	"  gba_ks BYTEA,"
	"  gba_btid TEXT,"
	"  gba_expires BIGINT"
	");",
	/* 1 -> 2: GBA_U and the USS of a session. */
	"ALTER TABLE sessions ADD COLUMN"
	"  flags BIGINT NOT NULL DEFAULT 0 CHECK (flags >= 0);"
	"ALTER TABLE sessions ADD COLUMN"
	"  uss TEXT NOT NULL DEFAULT '';",
	/* 2 -> 3: the flows a HSE made. */
	"CREATE TABLE hse_flows ("
	"  teid BIGINT PRIMARY KEY CHECK (teid BETWEEN 1 AND 4294967295),"
	"  ue_teid BIGINT NOT NULL CHECK (ue_teid BETWEEN 1 AND 4294967295),"
	"  imsi TEXT NOT NULL,"
	"  rand BYTEA NOT NULL CHECK (octet_length(rand) = 16),"
	"  sqn BYTEA NOT NULL CHECK (octet_length(sqn) = 6),"
	"  ksi BIGINT NOT NULL CHECK (ksi BETWEEN 0 AND 6),"
	"  ue_address TEXT NOT NULL,"
	"  ue_port BIGINT NOT NULL CHECK (ue_port BETWEEN 1 AND 65535),"
	"  inner_ipv4 TEXT NOT NULL,"
	"  inner_ipv6 TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  created BIGINT NOT NULL"
	");"
	"CREATE INDEX hse_flows_by_imsi ON hse_flows (imsi);",
	/* 3 -> 4: what an SGW keeps per IMSI. */
	"CREATE TABLE sgw_ues ("
	"  imsi TEXT PRIMARY KEY NOT NULL,"
	"  last_ksi BIGINT NOT NULL CHECK (last_ksi BETWEEN 0 AND 6),"
	"  inner_ipv4 TEXT NOT NULL,"
	"  hse_teid BIGINT NOT NULL CHECK (hse_teid BETWEEN 0 AND 4294967295),"
	"  attached BIGINT NOT NULL CHECK (attached IN (0, 1)),"
	"  ue_address TEXT NOT NULL,"
	"  ue_port BIGINT NOT NULL CHECK (ue_port BETWEEN 0 AND 65535),"
	"  ue_teid BIGINT NOT NULL CHECK (ue_teid BETWEEN 0 AND 4294967295)"
	");",
	/* 4 -> 5: the NAF Key Centre. */
	"CREATE TABLE device_psks ("
	"  device_id TEXT PRIMARY KEY NOT NULL,"
	"  psk BYTEA NOT NULL,"
	"  created BIGINT NOT NULL"
	");"
	"CREATE TABLE blocked_devices ("
	"  device_id TEXT PRIMARY KEY NOT NULL,"
	"  created BIGINT NOT NULL"
	");"
	"CREATE TABLE local_keys ("
	"  btid TEXT NOT NULL,"
	"  device_id TEXT NOT NULL,"
	"  label TEXT NOT NULL"
	"    CHECK (label IN ('ks_local_device', 'ks_local_mt')),"
	"  naf_id BYTEA NOT NULL CHECK (octet_length(naf_id) BETWEEN 6 AND 260),"
	"  key BYTEA NOT NULL,"
	"  issued BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL,"
	"  revoked BIGINT NOT NULL CHECK (revoked IN (0, 1)),"
	"  PRIMARY KEY (btid, device_id, label)"
	");"
	"CREATE INDEX local_keys_by_expiry ON local_keys (expires);",
	/* 5 -> 6: the MT's Ks_local per device. */
	"CREATE TABLE mt_local_keys ("
	"  btid TEXT NOT NULL,"
	"  naf_id BYTEA NOT NULL CHECK (octet_length(naf_id) BETWEEN 6 AND 260),"
	"  device_id TEXT NOT NULL,"
	"  iccid TEXT NOT NULL,"
	"  key BYTEA NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL,"
	"  key_serial BIGINT NOT NULL"
	"    CHECK (key_serial BETWEEN 0 AND 2147483647),"
	"  completed BIGINT NOT NULL CHECK (completed IN (0, 1)),"
	"  PRIMARY KEY (btid, naf_id, device_id)"
	");"
	"CREATE INDEX mt_local_keys_by_iccid ON mt_local_keys (iccid);"
	"CREATE INDEX mt_local_keys_by_expiry ON mt_local_keys (expires);",
	/* 6 -> 7: a remote device's own Ks_local. */
	"CREATE TABLE device_local_keys ("
	"  device_id TEXT NOT NULL,"
	"  naf_id BYTEA NOT NULL CHECK (octet_length(naf_id) BETWEEN 6 AND 260),"
	"  btid TEXT NOT NULL,"
	"  label TEXT NOT NULL"
	"    CHECK (label IN ('ks_local_device', 'ks_local_mt')),"
	"  key BYTEA NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL,"
	"  key_serial BIGINT NOT NULL"
	"    CHECK (key_serial BETWEEN 0 AND 2147483647),"
	"  completed BIGINT NOT NULL CHECK (completed IN (0, 1)),"
	"  PRIMARY KEY (device_id, naf_id)"
	");",
	/* 7 -> 8: oneM2M Kpm and Ke. */
	"CREATE TABLE onem2m_kpms ("
	"  kpm_id TEXT PRIMARY KEY,"
	"  kpm BYTEA NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  target_kind TEXT NOT NULL"
	"    CHECK (target_kind IN ('maf', 'enrolee-b')),"
	"  target_id TEXT NOT NULL,"
	"  created BIGINT NOT NULL"
	");"
	"CREATE TABLE onem2m_kes ("
	"  ke_id TEXT PRIMARY KEY,"
	"  ke BYTEA NOT NULL,"
	"  kpm_id TEXT NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  target_kind TEXT NOT NULL"
	"    CHECK (target_kind IN ('maf', 'enrolee-b')),"
	"  target_id TEXT NOT NULL,"
	"  mef TEXT NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL"
	");"
	"CREATE INDEX onem2m_kes_by_expiry ON onem2m_kes (expires);",
	/* 8 -> 9: a software USIM's pending key update. */
	"ALTER TABLE usims ADD COLUMN pending_k BYTEA;"
	"ALTER TABLE usims ADD COLUMN pending_opc BYTEA;"
	"ALTER TABLE usims ADD COLUMN update_counter BIGINT NOT NULL"
	"  DEFAULT 0 CHECK (update_counter BETWEEN 0 AND 4294967295);",
	/*
	 * 9 -> 10: SQLite re-seals version 1 blobs as version 2. This
	 * engine has only ever sealed version 2 blobs, and a store of it
	 * is made at schema 11 in one transaction: nothing to re-seal.
	 */
	"",
	/*
	 * 10 -> 11: the mac column of the tables whose rows a seal does
	 * not cover whole (sqlite_row_mac.c). Empty here, for the reason
	 * above; no op of this engine writes those tables yet.
	 */
	"ALTER TABLE blocked_devices ADD COLUMN mac BYTEA NOT NULL;"
	"ALTER TABLE local_keys ADD COLUMN mac BYTEA NOT NULL;"
	"ALTER TABLE mt_local_keys ADD COLUMN mac BYTEA NOT NULL;"
	"ALTER TABLE device_local_keys ADD COLUMN mac BYTEA NOT NULL;"
	"ALTER TABLE hse_flows ADD COLUMN mac BYTEA NOT NULL;"
	"ALTER TABLE sgw_ues ADD COLUMN mac BYTEA NOT NULL;",
	/* 11 -> 12: a MAF's Kms (sealed by Km-Id, every column bound). */
	"CREATE TABLE onem2m_maf_kms ("
	"  km_id TEXT PRIMARY KEY,"
	"  km BYTEA NOT NULL,"
	"  ke_id TEXT NOT NULL,"
	"  enrolee_id TEXT NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  expires BIGINT NOT NULL CHECK (expires > created),"
	"  UNIQUE (ke_id, enrolee_id)"
	");"
	"CREATE INDEX onem2m_maf_kms_by_expiry ON onem2m_maf_kms (expires);",
	/*
	 * 12 -> 13: the HSS's key update counter (seed 004 step 6) and role
	 * prov's record of its updates (K and OPc sealed).
	 */
	"ALTER TABLE subscribers ADD COLUMN update_counter BIGINT NOT NULL"
	"  DEFAULT 0 CHECK (update_counter BETWEEN 0 AND 4294967295);"
	"CREATE TABLE prov_updates ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  imsi TEXT NOT NULL,"
	"  counter BIGINT NOT NULL CHECK (counter BETWEEN 1 AND 4294967295),"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('queued', 'usim-done', 'hss-done')),"
	"  k BYTEA NOT NULL,"
	"  opc BYTEA NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL"
	");",
	/*
	 * 13 -> 14: role prov's key update sessions (the step's secrets
	 * sealed); no op of this engine writes them yet.
	 */
	"CREATE TABLE prov_sessions ("
	"  iccid TEXT PRIMARY KEY NOT NULL,"
	"  id BYTEA NOT NULL UNIQUE CHECK (length(id) = 16),"
	"  counter BIGINT NOT NULL CHECK (counter BETWEEN 1 AND 4294967295),"
	"  step TEXT NOT NULL"
	"    CHECK (step IN ('certificates', 'authenticate', 'update')),"
	"  certs_sent INTEGER NOT NULL CHECK (certs_sent BETWEEN 1 AND 4),"
	"  sd_point BYTEA NOT NULL CHECK (length(sd_point) = 65),"
	"  secret BYTEA NOT NULL,"
	"  chain BYTEA NOT NULL CHECK (length(chain) = 16),"
	"  sm_counter BIGINT NOT NULL"
	"    CHECK (sm_counter BETWEEN 0 AND 4294967295),"
	"  created BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL"
	");",
	/*
	 * 14 -> 15: the USIM's security domain credentials (SK.SD sealed,
	 * its certificate, CA-KLOC); the engine keeps no USIM yet.
	 */
	"ALTER TABLE usims ADD COLUMN sd_key BYTEA;"
	"ALTER TABLE usims ADD COLUMN sd_cert BYTEA"
	"  CHECK (sd_cert IS NULL OR length(sd_cert) BETWEEN 1 AND 2048);"
	"ALTER TABLE usims ADD COLUMN ca_kloc BYTEA"
	"  CHECK (ca_kloc IS NULL OR length(ca_kloc) BETWEEN 1 AND 2048);",
	/* 15 -> 16: the BSF's Ub challenges, shared (pg_challenges.c). */
	"CREATE TABLE bsf_challenges ("
	"  nonce TEXT PRIMARY KEY NOT NULL,"
	"  opaque TEXT NOT NULL,"
	"  impi TEXT NOT NULL,"
	"  rand BYTEA NOT NULL CHECK (octet_length(rand) = 16),"
	"  flags BIGINT NOT NULL CHECK (flags BETWEEN 0 AND 3),"
	"  uss TEXT NOT NULL,"
	"  expires_ms BIGINT NOT NULL,"
	"  spent BIGINT NOT NULL CHECK (spent IN (0, 1)),"
	"  secret BYTEA"
	");"
	"CREATE INDEX bsf_challenges_by_impi ON bsf_challenges (impi, expires_ms);"
	"CREATE INDEX bsf_challenges_by_expiry ON bsf_challenges (expires_ms);",
	/* 16 -> 17: an SGW's inner address and HSE TEID, one IMSI's each. */
	"CREATE UNIQUE INDEX sgw_ues_by_inner_ipv4 ON sgw_ues (inner_ipv4)"
	"  WHERE inner_ipv4 <> '';"
	"CREATE UNIQUE INDEX sgw_ues_by_hse_teid ON sgw_ues (hse_teid)"
	"  WHERE hse_teid <> 0;",
	/*
	 * 17 -> 18: a HSE flow's owner, the HSE instance that installed it,
	 * and the key (owner, teid), as in the SQLite engine; the rows' owner
	 * and MAC come from pg_migration_steps[17].
	 */
	"ALTER TABLE hse_flows ADD COLUMN owner TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE hse_flows ALTER COLUMN owner DROP DEFAULT;"
	"ALTER TABLE hse_flows DROP CONSTRAINT hse_flows_pkey;"
	"ALTER TABLE hse_flows ADD PRIMARY KEY (owner, teid);",
};

#define PG_MIGRATIONS	(sizeof(pg_migrations) / sizeof(pg_migrations[0]))
_Static_assert(PG_MIGRATIONS == STORE_SCHEMA_VERSION,
	       "one migration per schema version, the SQLite engine's");

const size_t pg_n_migrations = PG_MIGRATIONS;

int (*const pg_migration_steps[STORE_SCHEMA_VERSION])(struct pg_store *) = {
	[17] = pg_hse_flow_owner_upgrade,
};
