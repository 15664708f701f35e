/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a storage engine provides. store.c checks every argument before it
 * calls an engine (identities valid, SQN state in range, USS well formed,
 * sessions not expired) and checks what fn callbacks leave behind, so an
 * engine only stores, loads, seals and unseals.
 *
 * An engine embeds struct store first in its own handle. Every write is one
 * transaction that leaves the store unchanged when it fails; the two
 * *_sqn_update functions read, call fn, write and commit in one
 * transaction that excludes every other writer, durably.
 */
#ifndef E2M_STORE_ENGINE_H
#define E2M_STORE_ENGINE_H

#include "store.h"

/*
 * The schema version of every engine: both apply the same migrations,
 * each in its own SQL (store_sqlite.c, store_pg.c), and each asserts at
 * build time that it has exactly this many. A new migration raises this
 * number and is added to both engines, or neither builds.
 */
#define STORE_SCHEMA_VERSION	18

/* A deferred group commit that wrote nothing: there is nothing to flush. */
#define STORE_GROUP_NOTHING_WRITTEN	1

struct store_group;
struct sqn_reserve;

struct store_ops {
	const char *name;
	void (*close)(struct store *store);
	/*
	 * Group commit (store_group.h): open takes the write lock in a
	 * transaction that the writes store_group_joining() allows join,
	 * each in a savepoint; commit makes it durable (or fails, leaving
	 * nothing of it). Writes outside it call store_group_settle() first.
	 */
	int (*group_open)(struct store *store);
	/* 0, an error, or (deferred) STORE_GROUP_NOTHING_WRITTEN. */
	int (*group_commit)(struct store *store);
	/*
	 * Deferred flush (store_group.h), optional: defer_flush(true) makes
	 * group_commit write without waiting for the disk, and flush() then
	 * makes every commit so far durable (0, or a failure that is sticky:
	 * nothing later is durable either). Every other commit still flushes
	 * before it returns. flush is the one engine call made from another
	 * thread, never at the same time as defer_flush.
	 */
	int (*defer_flush)(struct store *store, bool on);
	int (*flush)(struct store *store);
	/* store_reads_begin() and _end() (store.h). */
	void (*reads_begin)(struct store *store);
	void (*reads_end)(struct store *store);
	int (*schema_version)(const struct store *store);

	int (*subscriber_add)(struct store *store,
			      const struct store_subscriber *sub);
	int (*subscriber_get)(struct store *store, const char *id,
			      struct store_subscriber *sub);
	int (*subscriber_remove)(struct store *store, const char *id);
	int (*subscriber_list)(struct store *store, store_subscriber_fn fn,
			       void *arg);
	int (*subscriber_sqn_update)(struct store *store, const char *id,
				     store_sqn_he_fn fn, void *arg,
				     struct store_subscriber *sub);
	/* 0, 1 (the same update again) or an error; see store.h. */
	int (*subscriber_update_keys)(struct store *store, const char *imsi,
				      uint32_t counter, const uint8_t *k,
				      const uint8_t *opc);

	int (*session_add)(struct store *store,
			   const struct store_session *session);
	/* Expired or not: store.c decides. */
	int (*session_get)(struct store *store, const char *btid,
			   struct store_session *session);
	int (*session_latest)(struct store *store, const char *impi,
			      int64_t now, struct store_session *session);
	int (*session_purge)(struct store *store, int64_t now);
	int (*session_list)(struct store *store, store_session_fn fn,
			    void *arg);

	/* The BSF's Ub challenges (store.h); both engines have them. */
	int (*challenge_add)(struct store *store,
			     const struct store_challenge *challenge);
	int (*challenge_take)(struct store *store, const char *nonce,
			      int64_t now_ms, struct store_challenge *challenge);
	int (*challenge_pending)(struct store *store, const char *impi,
				 int64_t min_expires_ms,
				 struct store_challenge_info *info);
	int (*challenge_purge)(struct store *store, int64_t now_ms);

	int (*usim_add)(struct store *store, const struct store_usim *usim);
	int (*usim_get)(struct store *store, const char *iccid,
			struct store_usim *usim);
	int (*usim_remove)(struct store *store, const char *iccid);
	int (*usim_sqn_update)(struct store *store, const char *iccid,
			       store_sqn_ms_fn fn, void *arg,
			       struct store_usim *usim);
	int (*usim_gba_set)(struct store *store, const char *iccid,
			    const struct store_usim_gba *gba);
	int (*usim_gba_get)(struct store *store, const char *iccid,
			    struct store_usim_gba *gba);
	int (*usim_sd_set)(struct store *store, const char *iccid,
			   const struct store_usim_sd *sd);
	int (*usim_sd_get)(struct store *store, const char *iccid,
			   struct store_usim_sd *sd);
	int (*usim_stage_keys)(struct store *store, const char *iccid,
			       uint32_t counter, const uint8_t *k,
			       const uint8_t *opc);
	int (*prov_update_add)(struct store *store,
			       const struct store_prov_update *update);
	int (*prov_update_get)(struct store *store, const char *iccid,
			       struct store_prov_update *update);
	int (*prov_update_advance)(struct store *store, const char *iccid,
				   uint32_t counter,
				   enum store_prov_state state);
	int (*prov_update_list)(struct store *store, store_prov_update_fn fn,
				void *arg);
	int (*prov_session_put)(struct store *store,
				const struct store_prov_session *session);
	int (*prov_session_get)(struct store *store, const uint8_t *id,
				struct store_prov_session *session);
	int (*prov_session_remove)(struct store *store, const uint8_t *id);
	int (*prov_session_count)(struct store *store);
	int (*prov_session_purge)(struct store *store, int64_t before);

	int (*hse_flow_put)(struct store *store,
			    const struct store_hse_flow *flow);
	int (*hse_flow_put_many)(struct store *store,
				 const struct store_hse_flow *flows, size_t n);
	int (*hse_flow_get)(struct store *store, const char *owner,
			    uint32_t teid, struct store_hse_flow *flow);
	int (*hse_flow_remove)(struct store *store, const char *owner,
			       uint32_t teid);
	/* owner NULL: every owner's rows. */
	int (*hse_flow_list)(struct store *store, const char *owner,
			     store_hse_flow_fn fn, void *arg);

	int (*sgw_ue_put)(struct store *store, const struct store_sgw_ue *ue);
	/* expected NULL: no row (store.h). */
	int (*sgw_ue_replace)(struct store *store,
			      const struct store_sgw_ue *ue,
			      const struct store_sgw_ue *expected);
	int (*sgw_ue_get)(struct store *store, const char *imsi,
			  struct store_sgw_ue *ue);
	int (*sgw_ue_list)(struct store *store, store_sgw_ue_fn fn, void *arg);
	/* meta 'sgw_pool': the text NUL-padded; write without replace:
	 * -EEXIST where a record is. */
	int (*sgw_pool_get)(struct store *store,
			    uint8_t value[STORE_SGW_POOL_SIZE]);
	int (*sgw_pool_write)(struct store *store,
			      const uint8_t value[STORE_SGW_POOL_SIZE],
			      bool replace);

	int (*device_psk_add)(struct store *store, const char *device_id,
			      const uint8_t *psk, int64_t now);
	int (*device_psk_get)(struct store *store, const char *device_id,
			      uint8_t *psk);
	int (*device_psk_remove)(struct store *store, const char *device_id);
	int (*device_psk_list)(struct store *store, store_device_fn fn,
			       void *arg);
	int (*device_block)(struct store *store, const char *device_id,
			    int64_t now);
	int (*device_unblock)(struct store *store, const char *device_id);
	int (*device_blocked)(struct store *store, const char *device_id);
	int (*device_block_list)(struct store *store, store_device_fn fn,
				 void *arg);
	int (*ks_local_put)(struct store *store,
			    const struct store_ks_local *k);
	int (*ks_local_get)(struct store *store, const char *btid,
			    const char *device_id, const char *label,
			    struct store_ks_local *k);
	int (*ks_local_revoke)(struct store *store, const char *btid,
			       const char *device_id);
	int (*ks_local_purge)(struct store *store, int64_t now);
	int (*ks_local_list)(struct store *store, store_ks_local_fn fn,
			     void *arg);

	int (*mt_key_put)(struct store *store, const struct store_mt_key *k);
	int (*mt_key_get)(struct store *store, const char *btid,
			  const uint8_t *naf_id, size_t naf_id_len,
			  const char *device_id, struct store_mt_key *k);
	int (*mt_key_complete)(struct store *store, const char *btid,
			       const uint8_t *naf_id, size_t naf_id_len,
			       const char *device_id);
	int (*mt_key_remove_other_iccids)(struct store *store,
					  const char *iccid,
					  store_mt_key_fn fn, void *arg);
	int (*mt_key_purge)(struct store *store, int64_t now,
			    store_mt_key_fn fn, void *arg);
	int (*mt_key_list)(struct store *store, store_mt_key_fn fn, void *arg);

	int (*remote_key_put)(struct store *store,
			      const struct store_remote_key *k);
	int (*remote_key_get)(struct store *store, const char *device_id,
			      const uint8_t *naf_id, size_t naf_id_len,
			      struct store_remote_key *k);
	int (*remote_key_complete)(struct store *store, const char *device_id,
				   const uint8_t *naf_id, size_t naf_id_len);
	int (*remote_key_remove)(struct store *store, const char *device_id,
				 const uint8_t *naf_id, size_t naf_id_len);
	int (*remote_key_list)(struct store *store, store_remote_key_fn fn,
			       void *arg);

	int (*onem2m_kpm_add)(struct store *store,
			      const struct store_onem2m_kpm *kpm);
	int (*onem2m_kpm_get)(struct store *store, const char *kpm_id,
			      struct store_onem2m_kpm *kpm);
	int (*onem2m_kpm_remove)(struct store *store, const char *kpm_id);
	int (*onem2m_kpm_list)(struct store *store, store_onem2m_kpm_fn fn,
			       void *arg);
	int (*onem2m_ke_add)(struct store *store,
			     const struct store_onem2m_ke *ke);
	int (*onem2m_ke_get)(struct store *store, const char *ke_id,
			     struct store_onem2m_ke *ke);
	int (*onem2m_ke_purge)(struct store *store, int64_t now);
	int (*onem2m_ke_list)(struct store *store, store_onem2m_ke_fn fn,
			      void *arg);
	int (*onem2m_km_put)(struct store *store,
			     const struct store_onem2m_km *km);
	int (*onem2m_km_get)(struct store *store, const char *km_id,
			     int64_t now, struct store_onem2m_km *km);
	int (*onem2m_km_remove)(struct store *store, const char *km_id);
	int (*onem2m_km_purge)(struct store *store, int64_t now);
	int (*onem2m_km_count)(struct store *store, int64_t now);
	int (*onem2m_km_list)(struct store *store, store_onem2m_km_fn fn,
			      void *arg);
	int (*onem2m_handoff_get)(struct store *store,
				  struct store_onem2m_handoff *h);
	int (*onem2m_handoff_set)(struct store *store,
				  const struct store_onem2m_handoff *h);
	int (*onem2m_handoff_clear)(struct store *store);

	/*
	 * Whether other e2md instances (other hosts) may use the store at
	 * once (store_shared()): PostgreSQL. A SQLite file is one e2md's,
	 * shared by its workers only. Last: every member between name and
	 * this is a function (store_pg_test's test_ops_complete()).
	 */
	bool shared;
};

struct store {
	const struct store_ops *ops;
	char errmsg[STORE_ERRMSG_MAX];	/* the last failure, for logs */
	struct store_group *group;	/* store_group.c's, or NULL */
	struct sqn_reserve *sqn_reserve;	/* store_sqn_reserve.c's */
};

/* Sets store->errmsg, printf style. */
void store_set_errmsg(struct store *store, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A key update (subscriber_update_keys) against the subscriber's row as
 * the engine read it under its lock, with @last its update counter: 1
 * for the same update sent again (nothing to write), -ESTALE (the
 * store's message set) for a counter not above @last, 0 to write.
 */
int store_key_update_decide(struct store *store,
			    const struct store_subscriber *sub, uint32_t last,
			    uint32_t counter, const uint8_t *k,
			    const uint8_t *opc);

/* One more failure of the engine itself, for store_error_count(). */
void store_count_error(void);

/* The SQLite engine, behind store_open(). */
int store_sqlite_open(struct store **store, const char *path,
		      const struct store_key *key, char *why, size_t why_size);

/* The families of ops the PostgreSQL engine implements (store.h). */
#define STORE_PG_FAMILIES \
	(STORE_FAMILY_SUBSCRIBERS | STORE_FAMILY_SESSIONS | \
	 STORE_FAMILY_CHALLENGES | STORE_FAMILY_SGW_UES | \
	 STORE_FAMILY_HSE_FLOWS)
/* The SQLite engine's: every family. */
#define STORE_SQLITE_FAMILIES	STORE_FAMILIES_ALL

#endif /* E2M_STORE_ENGINE_H */
