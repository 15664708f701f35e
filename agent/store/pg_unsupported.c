// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's ops table. The families of STORE_PG_FAMILIES
 * (store_engine.h) are implemented (pg_subscribers.c, pg_sessions.c,
 * pg_challenges.c, pg_sgw_ues.c, pg_hse_flows.c);
 * every other op answers -EOPNOTSUPP, says so in the store's message and
 * changes nothing, so that none gives a wrong answer. No role the
 * configuration allows on this engine reaches one: config_check.c refuses
 * a role whose families are not all here, and the admin commands of such
 * a role are refused before they run (admin_cmd.c).
 */
#include <errno.h>

#include "pg_db.h"

/* The stubs take the op's parameters and use none of them. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

static int unsupported(struct store *store, const char *op)
{
	store_set_errmsg(store, "%s: not implemented by the postgresql"
			 " store engine yet", op);
	return -EOPNOTSUPP;
}

#define UNSUPPORTED(op, ...) \
	static int pg_no_##op(struct store *store, __VA_ARGS__) \
	{ \
		return unsupported(store, #op); \
	}

UNSUPPORTED(usim_add, const struct store_usim *usim)
UNSUPPORTED(usim_get, const char *iccid, struct store_usim *usim)
UNSUPPORTED(usim_remove, const char *iccid)
UNSUPPORTED(usim_sqn_update, const char *iccid, store_sqn_ms_fn fn, void *arg,
	    struct store_usim *usim)
UNSUPPORTED(usim_gba_set, const char *iccid, const struct store_usim_gba *gba)
UNSUPPORTED(usim_gba_get, const char *iccid, struct store_usim_gba *gba)
UNSUPPORTED(usim_sd_set, const char *iccid, const struct store_usim_sd *sd)
UNSUPPORTED(usim_sd_get, const char *iccid, struct store_usim_sd *sd)
UNSUPPORTED(usim_stage_keys, const char *iccid, uint32_t counter,
	    const uint8_t *k, const uint8_t *opc)
UNSUPPORTED(device_psk_add, const char *device_id, const uint8_t *psk,
	    int64_t now)
UNSUPPORTED(device_psk_get, const char *device_id, uint8_t *psk)
UNSUPPORTED(device_psk_remove, const char *device_id)
UNSUPPORTED(device_psk_list, store_device_fn fn, void *arg)
UNSUPPORTED(device_block, const char *device_id, int64_t now)
UNSUPPORTED(device_unblock, const char *device_id)
UNSUPPORTED(device_blocked, const char *device_id)
UNSUPPORTED(device_block_list, store_device_fn fn, void *arg)
UNSUPPORTED(ks_local_put, const struct store_ks_local *k)
UNSUPPORTED(ks_local_get, const char *btid, const char *device_id,
	    const char *label, struct store_ks_local *k)
UNSUPPORTED(ks_local_revoke, const char *btid, const char *device_id)
UNSUPPORTED(ks_local_purge, int64_t now)
UNSUPPORTED(ks_local_list, store_ks_local_fn fn, void *arg)
UNSUPPORTED(mt_key_put, const struct store_mt_key *k)
UNSUPPORTED(mt_key_get, const char *btid, const uint8_t *naf_id,
	    size_t naf_id_len, const char *device_id, struct store_mt_key *k)
UNSUPPORTED(mt_key_complete, const char *btid, const uint8_t *naf_id,
	    size_t naf_id_len, const char *device_id)
UNSUPPORTED(mt_key_remove_other_iccids, const char *iccid, store_mt_key_fn fn,
	    void *arg)
UNSUPPORTED(mt_key_purge, int64_t now, store_mt_key_fn fn, void *arg)
UNSUPPORTED(mt_key_list, store_mt_key_fn fn, void *arg)
UNSUPPORTED(remote_key_put, const struct store_remote_key *k)
UNSUPPORTED(remote_key_get, const char *device_id, const uint8_t *naf_id,
	    size_t naf_id_len, struct store_remote_key *k)
UNSUPPORTED(remote_key_complete, const char *device_id, const uint8_t *naf_id,
	    size_t naf_id_len)
UNSUPPORTED(remote_key_remove, const char *device_id, const uint8_t *naf_id,
	    size_t naf_id_len)
UNSUPPORTED(remote_key_list, store_remote_key_fn fn, void *arg)
UNSUPPORTED(onem2m_kpm_add, const struct store_onem2m_kpm *kpm)
UNSUPPORTED(onem2m_kpm_get, const char *kpm_id, struct store_onem2m_kpm *kpm)
UNSUPPORTED(onem2m_kpm_remove, const char *kpm_id)
UNSUPPORTED(onem2m_kpm_list, store_onem2m_kpm_fn fn, void *arg)
UNSUPPORTED(onem2m_ke_add, const struct store_onem2m_ke *ke)
UNSUPPORTED(onem2m_ke_get, const char *ke_id, struct store_onem2m_ke *ke)
UNSUPPORTED(onem2m_ke_purge, int64_t now)
UNSUPPORTED(onem2m_ke_list, store_onem2m_ke_fn fn, void *arg)
UNSUPPORTED(onem2m_km_put, const struct store_onem2m_km *km)
UNSUPPORTED(onem2m_km_get, const char *km_id, int64_t now,
	    struct store_onem2m_km *km)
UNSUPPORTED(onem2m_km_remove, const char *km_id)
UNSUPPORTED(onem2m_km_purge, int64_t now)
UNSUPPORTED(onem2m_km_count, int64_t now)
UNSUPPORTED(onem2m_km_list, store_onem2m_km_fn fn, void *arg)
UNSUPPORTED(onem2m_handoff_get, struct store_onem2m_handoff *h)
UNSUPPORTED(onem2m_handoff_set, const struct store_onem2m_handoff *h)

static int pg_no_onem2m_handoff_clear(struct store *store)
{
	return unsupported(store, "onem2m_handoff_clear");
}
UNSUPPORTED(prov_update_add, const struct store_prov_update *update)
UNSUPPORTED(prov_update_get, const char *iccid,
	    struct store_prov_update *update)
UNSUPPORTED(prov_update_advance, const char *iccid, uint32_t counter,
	    enum store_prov_state state)
UNSUPPORTED(prov_update_list, store_prov_update_fn fn, void *arg)
UNSUPPORTED(prov_session_put, const struct store_prov_session *session)
UNSUPPORTED(prov_session_get, const uint8_t *id,
	    struct store_prov_session *session)
UNSUPPORTED(prov_session_remove, const uint8_t *id)

static int pg_no_prov_session_count(struct store *store)
{
	return unsupported(store, "prov_session_count");
}

UNSUPPORTED(prov_session_purge, int64_t before)

const struct store_ops pg_ops = {
	.name = "postgresql",
	.shared = true,
	.close = pg_close,
	.group_open = pg_group_open,
	.group_commit = pg_group_commit,
	.defer_flush = pg_defer_flush,
	.flush = pg_flush,
	.reads_begin = pg_reads_begin,
	.reads_end = pg_reads_end,
	.schema_version = pg_schema_version,
	.subscriber_add = pg_subscriber_add,
	.subscriber_get = pg_subscriber_get,
	.subscriber_remove = pg_subscriber_remove,
	.subscriber_list = pg_subscriber_list,
	.subscriber_sqn_update = pg_subscriber_sqn_update,
	.challenge_add = pg_challenge_add,
	.challenge_take = pg_challenge_take,
	.challenge_pending = pg_challenge_pending,
	.challenge_purge = pg_challenge_purge,
	.session_add = pg_session_add,
	.session_get = pg_session_get,
	.session_latest = pg_session_latest,
	.session_purge = pg_session_purge,
	.session_list = pg_session_list,
	.usim_add = pg_no_usim_add,
	.usim_get = pg_no_usim_get,
	.usim_remove = pg_no_usim_remove,
	.usim_sqn_update = pg_no_usim_sqn_update,
	.usim_gba_set = pg_no_usim_gba_set,
	.usim_gba_get = pg_no_usim_gba_get,
	.usim_stage_keys = pg_no_usim_stage_keys,
	.usim_sd_set = pg_no_usim_sd_set,
	.usim_sd_get = pg_no_usim_sd_get,
	.hse_flow_put = pg_hse_flow_put,
	.hse_flow_put_many = pg_hse_flow_put_many,
	.hse_flow_get = pg_hse_flow_get,
	.hse_flow_remove = pg_hse_flow_remove,
	.hse_flow_list = pg_hse_flow_list,
	.sgw_ue_put = pg_sgw_ue_put,
	.sgw_ue_replace = pg_sgw_ue_replace,
	.sgw_ue_get = pg_sgw_ue_get,
	.sgw_ue_list = pg_sgw_ue_list,
	.sgw_pool_get = pg_sgw_pool_get,
	.sgw_pool_write = pg_sgw_pool_write,
	.device_psk_add = pg_no_device_psk_add,
	.device_psk_get = pg_no_device_psk_get,
	.device_psk_remove = pg_no_device_psk_remove,
	.device_psk_list = pg_no_device_psk_list,
	.device_block = pg_no_device_block,
	.device_unblock = pg_no_device_unblock,
	.device_blocked = pg_no_device_blocked,
	.device_block_list = pg_no_device_block_list,
	.ks_local_put = pg_no_ks_local_put,
	.ks_local_get = pg_no_ks_local_get,
	.ks_local_revoke = pg_no_ks_local_revoke,
	.ks_local_purge = pg_no_ks_local_purge,
	.ks_local_list = pg_no_ks_local_list,
	.mt_key_put = pg_no_mt_key_put,
	.mt_key_get = pg_no_mt_key_get,
	.mt_key_complete = pg_no_mt_key_complete,
	.mt_key_remove_other_iccids = pg_no_mt_key_remove_other_iccids,
	.mt_key_purge = pg_no_mt_key_purge,
	.mt_key_list = pg_no_mt_key_list,
	.remote_key_put = pg_no_remote_key_put,
	.remote_key_get = pg_no_remote_key_get,
	.remote_key_complete = pg_no_remote_key_complete,
	.remote_key_remove = pg_no_remote_key_remove,
	.remote_key_list = pg_no_remote_key_list,
	.onem2m_kpm_add = pg_no_onem2m_kpm_add,
	.onem2m_kpm_get = pg_no_onem2m_kpm_get,
	.onem2m_kpm_remove = pg_no_onem2m_kpm_remove,
	.onem2m_kpm_list = pg_no_onem2m_kpm_list,
	.onem2m_ke_add = pg_no_onem2m_ke_add,
	.onem2m_ke_get = pg_no_onem2m_ke_get,
	.onem2m_ke_purge = pg_no_onem2m_ke_purge,
	.onem2m_ke_list = pg_no_onem2m_ke_list,
	.onem2m_km_put = pg_no_onem2m_km_put,
	.onem2m_km_get = pg_no_onem2m_km_get,
	.onem2m_km_remove = pg_no_onem2m_km_remove,
	.onem2m_km_purge = pg_no_onem2m_km_purge,
	.onem2m_km_count = pg_no_onem2m_km_count,
	.onem2m_km_list = pg_no_onem2m_km_list,
	.onem2m_handoff_get = pg_no_onem2m_handoff_get,
	.onem2m_handoff_set = pg_no_onem2m_handoff_set,
	.onem2m_handoff_clear = pg_no_onem2m_handoff_clear,
	.subscriber_update_keys = pg_subscriber_update_keys,
	.prov_update_add = pg_no_prov_update_add,
	.prov_update_get = pg_no_prov_update_get,
	.prov_update_advance = pg_no_prov_update_advance,
	.prov_update_list = pg_no_prov_update_list,
	.prov_session_put = pg_no_prov_session_put,
	.prov_session_get = pg_no_prov_session_get,
	.prov_session_remove = pg_no_prov_session_remove,
	.prov_session_count = pg_no_prov_session_count,
	.prov_session_purge = pg_no_prov_session_purge,
};
