/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SQLite engine's insides, shared by its files: store_sqlite.c
 * (opening, the migrations, kept statements, errors, column and
 * parameter helpers, the ops table) and one file of SQL per table family:
 *
 *	sqlite_subscribers.c	the HSS's subscribers (K, OPc sealed; SQN; USS)
 *	sqlite_sessions.c	the BSF's bootstrap sessions (Ks sealed)
 *	sqlite_challenges.c	the BSF's Ub challenges its workers share
 *				(XRES || CK || IK sealed)
 *	sqlite_usims.c		a UE's software USIMs and their GBA state
 *	sqlite_hse_flows.c	the flows an HSE installed (no key; row MAC)
 *	sqlite_sgw_ues.c	what an SGW keeps per IMSI (no key; row MAC)
 *	sqlite_nafkc.c		a NAF Key Centre's device PSKs (sealed),
 *				blocked devices, issued Ks_local (sealed)
 *	sqlite_mt.c		an MT's Ks_local per device (sealed)
 *	sqlite_remote.c		a remote device's own Ks_local (sealed)
 *	sqlite_onem2m.c		oneM2M Kpm and Ke (sealed), MEF or Enrolee
 *	sqlite_onem2m_km.c	oneM2M Km (sealed), a MAF's
 *	sqlite_prov.c		role prov's key updates (K, OPc sealed)
 *	sqlite_seal.c		which columns each seal binds; sealing and
 *				opening a column; the re-seal of schema 10
 *	sqlite_row_mac.c	the row MACs of the tables below that a seal
 *				does not cover whole; the MACs of schema 11
 *
 * Not for the rest of the agent: it sees the store through store.h.
 */
#ifndef E2M_STORE_SQLITE_DB_H
#define E2M_STORE_SQLITE_DB_H

#include <stdbool.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "seal.h"
#include "store_engine.h"

#include <openssl/evp.h>

#define STMT_CACHE_MAX		64		/* more than the engine's SQL texts */

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
	struct timespec busy_since;	/* the lock wait's first try */
	/* Group commit (store_group.h): */
	bool group_tx;		/* the group's transaction is open */
	bool group_lost;	/* a failure rolled it back: its commit fails */
	bool in_savepoint;	/* a write of the group is running */
	bool reads_tx;		/* store_reads_begin()'s transaction is open */
	/* Deferred flush (sqlite_flush.c): */
	int wal_fd;		/* the -wal file, or -1: each COMMIT flushes */
	bool group_committing;	/* the group's COMMIT: store_group flushes */
	bool group_wrote;	/* ... and it wrote WAL frames (the hook ran) */
	atomic_int flush_error;	/* the first failed flush's -errno, sticky */
	atomic_ullong flushes;	/* fdatasync calls made, for tests */
	/* Row MACs (sqlite_row_mac.c): */
	EVP_MAC_CTX *row_mac;	/* HMAC-SHA-256 keyed with the mac key */
	bool row_mac_refused;	/* e2m_row_check() failed the statement */
};

/*
 * The columns of the tables with a row MAC, in the order their MAC
 * covers them (sqlite_row_mac.c) and their SELECTs read them; each
 * table's mac column follows them.
 */
#define BLOCKED_DEVICE_COLUMNS "device_id, created"
#define KS_LOCAL_COLUMNS "btid, device_id, label, naf_id, issued, expires," \
	" revoked, key"
#define MT_KEY_COLUMNS "btid, naf_id, device_id, iccid, created, expires," \
	" key_serial, completed, key"
#define REMOTE_KEY_COLUMNS "device_id, naf_id, btid, label, created," \
	" expires, key_serial, completed, key"
/* hse_flows' columns up to schema 17; 18 added owner (the MAC's last). */
#define HSE_FLOW_COLUMNS_17 "teid, ue_teid, imsi, rand, sqn, ksi," \
	" ue_address, ue_port, inner_ipv4, inner_ipv6, device, created"
#define HSE_FLOW_COLUMNS HSE_FLOW_COLUMNS_17 ", owner"
#define SGW_UE_COLUMNS "imsi, last_ksi, inner_ipv4, hse_teid, attached," \
	" ue_address, ue_port, ue_teid"

static inline struct sqlite_store *to_sqlite(struct store *store)
{
	return (struct sqlite_store *)store;
}

/*
 * Helpers (store_sqlite.c, each documented there; db_column_secret(),
 * db_bind_secret(), db_column_field() and db_seal_upgrade() in
 * sqlite_seal.c).
 */

int db_fail_sqlite(struct sqlite_store *ss, int rc, const char *what);
int db_fail(struct sqlite_store *ss, int err, const char *what);
int db_prepare(struct sqlite_store *ss, const char *sql,
	       sqlite3_stmt **stmt);
void db_release(struct sqlite_store *ss, sqlite3_stmt *stmt);
int db_step_done(struct sqlite_store *ss, sqlite3_stmt *stmt, int bound,
		 const char *what);
int db_step_one_row(struct sqlite_store *ss, sqlite3_stmt *stmt,
		    int bound, const char *what, const char *missing);
int db_step_row(struct sqlite_store *ss, sqlite3_stmt *stmt, const char *what,
		const char *missing);
int db_change_one_row(struct sqlite_store *ss, const char *sql,
		      const char *key, const char *what, const char *missing);
int db_exec(struct sqlite_store *ss, const char *sql);
int db_begin(struct sqlite_store *ss);
int db_commit(struct sqlite_store *ss);
int db_end(struct sqlite_store *ss, int ret);

/* Deferred flush (sqlite_flush.c), the engine's defer_flush and flush. */
int sqlite_defer_flush(struct store *store, bool on);
int sqlite_flush(struct store *store);
int64_t db_now(void);

/*
 * Walking the rows of a SELECT (sqlite_rows.c); a listing reads:
 *
 *	db_rows_open(&rows, ss, sql, "list things");
 *	while (db_rows_next(&rows))
 *		if (db_rows_read(&rows, read_thing(rows.stmt, &info),
 *				 "a thing row is damaged"))
 *			db_rows_visit(&rows, fn ? fn(&info, arg) : 0);
 *	return db_rows_close(&rows, !fn);
 *
 * The first failure (of the step, the reader or the visitor) ends the
 * walk and is what db_rows_close() returns; otherwise the rows read when
 * counting, else 0. A statement with parameters binds them on rows.stmt
 * after db_rows_open() and puts what that returned in rows.ret.
 */
struct db_rows {
	struct sqlite_store *ss;
	sqlite3_stmt *stmt;
	const char *what;
	int ret;
	int count;
};

int db_rows_open(struct db_rows *rows, struct sqlite_store *ss,
		 const char *sql, const char *what);
bool db_rows_next(struct db_rows *rows);
bool db_rows_read(struct db_rows *rows, int ret, const char *damaged);
void db_rows_visit(struct db_rows *rows, int ret);
int db_rows_close(struct db_rows *rows, bool counting);
/* @sql with now as ?1: the rows it deleted, or the one count it selects. */
int db_delete_at(struct sqlite_store *ss, const char *sql, int64_t now,
		 const char *what);
int db_count_at(struct sqlite_store *ss, const char *sql, int64_t now,
		const char *what);
int db_column_text(sqlite3_stmt *stmt, int col, char *out, size_t size);
int db_column_bytes_exact(sqlite3_stmt *stmt, int col, uint8_t *out,
			  size_t len);
int db_column_bytes_max(sqlite3_stmt *stmt, int col, uint8_t *out,
			size_t size, size_t *len);
int db_column_range(sqlite3_stmt *stmt, int col, int64_t min,
		    int64_t max, int64_t *out);
int db_column_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int col,
		     const struct seal_place *place, uint8_t *secret,
		     size_t len);

/*
 * A sealed value in meta: sql selects it (a literal naming its row), place
 * is where it was sealed. 0, -ENOENT (missing is the message), or errors.
 */
int db_meta_secret_get(struct sqlite_store *ss, const char *sql,
		       const struct seal_place *place, uint8_t *value,
		       size_t len, const char *what, const char *missing);
int db_bind_secret(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		   const struct seal_place *place, const uint8_t *secret,
		   size_t len);
bool db_column_field(sqlite3_stmt *stmt, int col, const char *name,
		     struct seal_field *field);
int db_seal_upgrade(struct sqlite_store *ss);
int db_check_key(struct sqlite_store *ss);

/*
 * Row MACs (sqlite_row_mac.c). db_row_mac_check(): columns 0 to
 * n_columns - 1 of stmt's current row are table's columns in MAC order,
 * column n_columns its mac; 0, or -EKEYREJECTED (counted, and said in
 * the store's message) when the MAC does not verify.
 */
int db_row_mac_init(struct sqlite_store *ss);
void db_row_mac_free(struct sqlite_store *ss);
int db_row_mac_check(struct sqlite_store *ss, sqlite3_stmt *stmt,
		     const char *table, int n_columns);
int db_row_mac_upgrade(struct sqlite_store *ss);
int db_bind_ok(struct sqlite_store *ss, int rc);
int db_bind_text(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		 const char *text);
int db_bind_int64(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		  int64_t value);
int db_bind_blob(struct sqlite_store *ss, sqlite3_stmt *stmt, int idx,
		 const void *blob, size_t len);

/* The ops of sqlite_subscribers.c. */
int sqlite_subscriber_add(struct store *store,
			  const struct store_subscriber *sub);
int sqlite_subscriber_get(struct store *store, const char *id,
			  struct store_subscriber *sub);
int sqlite_subscriber_remove(struct store *store, const char *id);
int sqlite_subscriber_list(struct store *store, store_subscriber_fn fn,
			   void *arg);
int sqlite_subscriber_sqn_update(struct store *store, const char *id,
				 store_sqn_he_fn fn, void *arg,
				 struct store_subscriber *sub);
int sqlite_subscriber_update_keys(struct store *store, const char *imsi,
				  uint32_t counter, const uint8_t *k,
				  const uint8_t *opc);

/* The ops of sqlite_sessions.c. */
int sqlite_session_add(struct store *store,
		       const struct store_session *session);
int sqlite_session_get(struct store *store, const char *btid,
		       struct store_session *session);
int sqlite_session_latest(struct store *store, const char *impi,
			  int64_t now, struct store_session *session);
int sqlite_session_purge(struct store *store, int64_t now);
int sqlite_challenge_add(struct store *store,
			 const struct store_challenge *challenge);
int sqlite_challenge_take(struct store *store, const char *nonce,
			  int64_t now_ms, struct store_challenge *challenge);
int sqlite_challenge_pending(struct store *store, const char *impi,
			     int64_t min_expires_ms,
			     struct store_challenge_info *info);
int sqlite_challenge_purge(struct store *store, int64_t now_ms);
int sqlite_session_list(struct store *store, store_session_fn fn,
			void *arg);

/* The ops of sqlite_usims.c. */
int sqlite_usim_add(struct store *store, const struct store_usim *usim);
int sqlite_usim_get(struct store *store, const char *iccid,
		    struct store_usim *usim);
int sqlite_usim_remove(struct store *store, const char *iccid);
int sqlite_usim_sqn_update(struct store *store, const char *iccid,
			   store_sqn_ms_fn fn, void *arg,
			   struct store_usim *usim);
int sqlite_usim_gba_set(struct store *store, const char *iccid,
			const struct store_usim_gba *gba);
int sqlite_usim_gba_get(struct store *store, const char *iccid,
			struct store_usim_gba *gba);
int sqlite_usim_stage_keys(struct store *store, const char *iccid,
			   uint32_t counter, const uint8_t *k,
			   const uint8_t *opc);

/* The ops of sqlite_hse_flows.c. */
int sqlite_hse_flow_put(struct store *store,
			const struct store_hse_flow *f);
int sqlite_hse_flow_put_many(struct store *store,
			     const struct store_hse_flow *flows,
			     size_t n);
int sqlite_hse_flow_get(struct store *store, const char *owner,
			uint32_t teid, struct store_hse_flow *f);
int sqlite_hse_flow_remove(struct store *store, const char *owner,
			   uint32_t teid);
int sqlite_hse_flow_list(struct store *store, const char *owner,
			 store_hse_flow_fn fn, void *arg);
/* Migration 17 -> 18's step: the owner of the rows before it. */
int db_hse_flow_owner_upgrade(struct sqlite_store *ss);

/* The ops of sqlite_sgw_ues.c. */
int sqlite_sgw_ue_put(struct store *store,
		      const struct store_sgw_ue *u);
int sqlite_sgw_ue_replace(struct store *store, const struct store_sgw_ue *ue,
			  const struct store_sgw_ue *expected);
int sqlite_sgw_ue_get(struct store *store, const char *imsi,
		      struct store_sgw_ue *u);
int sqlite_sgw_ue_list(struct store *store, store_sgw_ue_fn fn,
		       void *arg);
/*
 * meta 'sgw_pool' (sqlite_sgw_ues.c): value is the pool's text padded
 * with NULs to STORE_SGW_POOL_SIZE, sealed; add is -EEXIST where a row is.
 */
int sqlite_sgw_pool_get(struct store *store,
			uint8_t value[STORE_SGW_POOL_SIZE]);
int sqlite_sgw_pool_write(struct store *store,
			  const uint8_t value[STORE_SGW_POOL_SIZE],
			  bool replace);

/* The ops of sqlite_nafkc.c. */
int sqlite_device_psk_add(struct store *store, const char *device_id,
			  const uint8_t *psk, int64_t now);
int sqlite_device_psk_get(struct store *store, const char *device_id,
			  uint8_t *psk);
int sqlite_device_psk_remove(struct store *store, const char *device_id);
int sqlite_device_psk_list(struct store *store, store_device_fn fn,
			   void *arg);
int sqlite_device_block(struct store *store, const char *device_id,
			int64_t now);
int sqlite_device_unblock(struct store *store, const char *device_id);
int sqlite_device_blocked(struct store *store, const char *device_id);
int sqlite_device_block_list(struct store *store, store_device_fn fn,
			     void *arg);
int sqlite_ks_local_put(struct store *store, const struct store_ks_local *k);
int sqlite_ks_local_get(struct store *store, const char *btid,
			const char *device_id, const char *label,
			struct store_ks_local *k);
int sqlite_ks_local_revoke(struct store *store, const char *btid,
			   const char *device_id);
int sqlite_ks_local_purge(struct store *store, int64_t now);
int sqlite_ks_local_list(struct store *store, store_ks_local_fn fn,
			 void *arg);

/* The ops of sqlite_mt.c. */
int sqlite_mt_key_put(struct store *store, const struct store_mt_key *k);
int sqlite_mt_key_get(struct store *store, const char *btid,
		      const uint8_t *naf_id, size_t naf_id_len,
		      const char *device_id, struct store_mt_key *k);
int sqlite_mt_key_complete(struct store *store, const char *btid,
			   const uint8_t *naf_id, size_t naf_id_len,
			   const char *device_id);
int sqlite_mt_key_remove_other_iccids(struct store *store, const char *iccid,
				      store_mt_key_fn fn, void *arg);
int sqlite_mt_key_purge(struct store *store, int64_t now,
			store_mt_key_fn fn, void *arg);
int sqlite_mt_key_list(struct store *store, store_mt_key_fn fn, void *arg);

/* The ops of sqlite_remote.c. */
int sqlite_remote_key_put(struct store *store,
			  const struct store_remote_key *k);
int sqlite_remote_key_get(struct store *store, const char *device_id,
			  const uint8_t *naf_id, size_t naf_id_len,
			  struct store_remote_key *k);
int sqlite_remote_key_complete(struct store *store, const char *device_id,
			       const uint8_t *naf_id, size_t naf_id_len);
int sqlite_remote_key_remove(struct store *store, const char *device_id,
			     const uint8_t *naf_id, size_t naf_id_len);
int sqlite_remote_key_list(struct store *store, store_remote_key_fn fn,
			   void *arg);

/* The ops of sqlite_prov.c. */
int sqlite_prov_update_add(struct store *store,
			   const struct store_prov_update *update);
int sqlite_prov_update_get(struct store *store, const char *iccid,
			   struct store_prov_update *update);
int sqlite_prov_update_advance(struct store *store, const char *iccid,
			       uint32_t counter, enum store_prov_state state);
int sqlite_prov_update_list(struct store *store, store_prov_update_fn fn,
			    void *arg);

/* The ops of sqlite_prov_sessions.c. */
int sqlite_prov_session_put(struct store *store,
			    const struct store_prov_session *session);
int sqlite_prov_session_get(struct store *store, const uint8_t *id,
			    struct store_prov_session *session);
int sqlite_prov_session_remove(struct store *store, const uint8_t *id);
int sqlite_prov_session_count(struct store *store);
int sqlite_usim_sd_set(struct store *store, const char *iccid,
		       const struct store_usim_sd *sd);
int sqlite_usim_sd_get(struct store *store, const char *iccid,
		       struct store_usim_sd *sd);
int sqlite_prov_session_purge(struct store *store, int64_t before);

/* The ops of sqlite_onem2m.c. */
int sqlite_onem2m_kpm_add(struct store *store,
			  const struct store_onem2m_kpm *kpm);
int sqlite_onem2m_kpm_get(struct store *store, const char *kpm_id,
			  struct store_onem2m_kpm *kpm);
int sqlite_onem2m_kpm_remove(struct store *store, const char *kpm_id);
int sqlite_onem2m_kpm_list(struct store *store, store_onem2m_kpm_fn fn,
			   void *arg);
int sqlite_onem2m_ke_add(struct store *store,
			 const struct store_onem2m_ke *ke);
int sqlite_onem2m_ke_get(struct store *store, const char *ke_id,
			 struct store_onem2m_ke *ke);
int sqlite_onem2m_ke_purge(struct store *store, int64_t now);
int sqlite_onem2m_ke_list(struct store *store, store_onem2m_ke_fn fn,
			  void *arg);

/* The ops of sqlite_onem2m_km.c. */
int sqlite_onem2m_km_put(struct store *store,
			 const struct store_onem2m_km *km);
int sqlite_onem2m_km_get(struct store *store, const char *km_id, int64_t now,
			 struct store_onem2m_km *km);
int sqlite_onem2m_km_remove(struct store *store, const char *km_id);
int sqlite_onem2m_km_purge(struct store *store, int64_t now);
int sqlite_onem2m_km_count(struct store *store, int64_t now);
int sqlite_onem2m_handoff_get(struct store *store,
			      struct store_onem2m_handoff *h);
int sqlite_onem2m_handoff_set(struct store *store,
			      const struct store_onem2m_handoff *h);
int sqlite_onem2m_handoff_clear(struct store *store);
int sqlite_onem2m_km_list(struct store *store, store_onem2m_km_fn fn,
			  void *arg);

#endif /* E2M_STORE_SQLITE_DB_H */
