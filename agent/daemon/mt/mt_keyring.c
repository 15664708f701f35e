// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's ks_local keys, see mt_keyring.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "daemon/log.h"
#include "kernel/e2m_keyset.h"
#include "kernel/ks_local_key.h"
#include "mt_config.h"
#include "mt_flow.h"
#include "util/dns_name.h"
#include "mt_keyring.h"
#include "ue/local_key_plan.h"

#define ROLE		"mt"
#define DESC_MAX	(64 + STORE_ICCID_MAX + STORE_DEVICE_ID_MAX + \
			 STORE_BTID_MAX + DNS_NAME_MAX)

int32_t mt_keyring_add(struct mt *mt, const struct store_mt_key *k,
		       const char *naf_fqdn, uint32_t lifetime)
{
	struct ks_local_key key = {
		.kind = mt->conf->label == MT_LABEL_MT ? E2M_KS_LOCAL_MT :
							 E2M_KS_LOCAL_DEVICE,
		.btid = k->pub.btid,
		.naf_id = k->pub.naf_id,
		.naf_id_len = k->pub.naf_id_len,
		.device_id = k->pub.device_id,
		.key = k->key,
		.lifetime = lifetime,
	};
	char description[DESC_MAX];
	key_serial_t ring, serial = 0;
	int ret;

	if (!strcmp(mt->conf->keyring, "none") ||
	    e2m_keyring_special(mt->conf->keyring, &ring))
		return 0;
	snprintf(description, sizeof(description),
		 "e2m-mt iccid:%s device:%s btid:%s naf:%s", k->pub.iccid,
		 k->pub.device_id, k->pub.btid, naf_fqdn);
	ret = ks_local_key_add(ring, description, &key, &serial);
	if (ret == -ENODEV) {
		if (!mt->said_no_module)
			log_msg(LOG_LEVEL_WARNING, ROLE, "no-kernel-key",
				"the e2m module is not loaded: Ks_local kept in the store only");
		mt->said_no_module = true;
		return 0;
	}
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "kernel-key-failed",
			"device=%s btid=%s: %s", k->pub.device_id, k->pub.btid,
			strerror(-ret));
		return 0;
	}
	mt->said_no_module = false;
	mt->counters.kernel_keys++;
	return (int32_t)serial;
}

bool mt_keyring_keep(struct mt *mt, const struct store_mt_key *old,
		     struct store_mt_key *k, uint32_t lifetime)
{
	struct local_key_keep_in in = {
		.kernel = strcmp(mt->conf->keyring, "none") != 0,
		.old_btid = old->pub.btid,
		.new_btid = k->pub.btid,
		.old_serial = old->pub.key_serial,
		/* A key revoked, expired or gone cannot be described. */
		.old_alive = old->pub.key_serial > 0 &&
			     keyctl_describe(old->pub.key_serial, NULL, 0) > 0,
		.same_bytes = !CRYPTO_memcmp(old->key, k->key, sizeof(k->key)),
	};

	if (local_key_plan_keep(&in) != LOCAL_KEY_EXTEND ||
	    ks_local_key_set_expiry(in.old_serial, lifetime))
		return false;
	k->pub.key_serial = in.old_serial;
	mt->counters.kernel_keys_kept++;
	log_msg(LOG_LEVEL_INFO, ROLE, "ks-local-kept",
		"device=%s btid=%s serial=%d lifetime=%u (the same Ks_local again)",
		k->pub.device_id, k->pub.btid, (int)in.old_serial, lifetime);
	return true;
}

void mt_keyring_revoke(int32_t serial)
{
	int ret;

	if (serial <= 0)
		return;
	ret = ks_local_key_revoke(serial);
	if (ret && ret != -ENOKEY && ret != -EKEYREVOKED &&
	    ret != -EKEYEXPIRED)
		log_msg(LOG_LEVEL_WARNING, ROLE, "revoke-failed",
			"serial=%d: %s", (int)serial, strerror(-ret));
}

int mt_keyring_wipe_row(const struct store_mt_key_info *info, void *arg)
{
	struct mt *mt = arg;

	mt_flow_unbind(mt, info->device_id, info->key_serial);
	mt_keyring_revoke(info->key_serial);
	mt->counters.keys_wiped++;
	log_msg(LOG_LEVEL_INFO, ROLE, "ks-local-wiped",
		"iccid=%s btid=%s device=%s serial=%d", info->iccid, info->btid,
		info->device_id, (int)info->key_serial);
	return 0;
}
