// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's admin commands, see nafkc_admin.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "nafkc_admin.h"
#include "util/hex.h"
#include "util/utc.h"

static json_t *time_json(int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t))
		return json_integer((json_int_t)t);
	return json_string(text);
}

/* The "device-id" member: 0 with *id, or -EINVAL with why. */
static int device_member(json_t *request, const char **id, char *why,
			 size_t why_size)
{
	int ret = admin_string_member(request, "device-id", true, id, why,
				      why_size);

	if (!ret && !store_device_id_valid(*id)) {
		snprintf(why, why_size,
			 "\"device-id\" must be 1 to %d printable ASCII characters without space",
			 STORE_DEVICE_ID_MAX);
		ret = -EINVAL;
	}
	return ret;
}

/* The store's error, phrased for a Device_ID. */
static json_t *device_error(struct daemon *d, int err, const char *id,
			    const char *exists, const char *missing)
{
	if (err == -EEXIST)
		return admin_error("device %s %s", id, exists);
	if (err == -ENOENT)
		return admin_error("device %s %s", id, missing);
	return admin_store_error(d, err, "device");
}

static json_t *device_add(struct daemon *d, json_t *request)
{
	uint8_t psk[STORE_DEVICE_PSK_LEN];
	const char *id, *hex = NULL;
	char why[160];
	json_t *answer;
	int ret;

	ret = device_member(request, &id, why, sizeof(why));
	if (!ret)
		ret = admin_string_member(request, "psk", true, &hex, why,
					  sizeof(why));
	if (!ret && hex_decode_exact(psk, sizeof(psk), hex)) {
		snprintf(why, sizeof(why), "\"psk\" must be %d octets of hex",
			 STORE_DEVICE_PSK_LEN);
		ret = -EINVAL;
	}
	if (ret) {
		answer = admin_error("%s", why);
	} else {
		ret = store_device_psk_add(d->store, id, psk,
					   (int64_t)time(NULL));
		if (ret) {
			answer = device_error(d, ret, id, "has a PSK already",
					      "is unknown");
		} else {
			log_msg(LOG_LEVEL_INFO, "nafkc", "device-added", "%s",
				id);
			answer = admin_ok();
		}
	}
	OPENSSL_cleanse(psk, sizeof(psk));
	return answer;
}

static json_t *device_remove(struct daemon *d, json_t *request)
{
	const char *id;
	char why[160];
	int ret = device_member(request, &id, why, sizeof(why));

	if (ret)
		return admin_error("%s", why);
	ret = store_device_psk_remove(d->store, id);
	if (ret)
		return device_error(d, ret, id, "", "has no PSK");
	log_msg(LOG_LEVEL_INFO, "nafkc", "device-removed", "%s", id);
	return admin_ok();
}

static json_t *device_block(struct daemon *d, json_t *request)
{
	const char *id;
	char why[160];
	int ret = device_member(request, &id, why, sizeof(why));

	if (ret)
		return admin_error("%s", why);
	ret = store_device_block(d->store, id, (int64_t)time(NULL));
	if (ret)
		return device_error(d, ret, id, "is blocked already", "");
	log_msg(LOG_LEVEL_INFO, "nafkc", "device-blocked", "%s", id);
	return admin_ok();
}

static json_t *device_unblock(struct daemon *d, json_t *request)
{
	const char *id;
	char why[160];
	int ret = device_member(request, &id, why, sizeof(why));

	if (ret)
		return admin_error("%s", why);
	ret = store_device_unblock(d->store, id);
	if (ret)
		return device_error(d, ret, id, "", "is not blocked");
	log_msg(LOG_LEVEL_INFO, "nafkc", "device-unblocked", "%s", id);
	return admin_ok();
}

struct device_rows {
	json_t *list;
	const char *time_key;
};

static int append_device(const struct store_device_info *info, void *arg)
{
	struct device_rows *rows = arg;
	json_t *row = json_pack("{s:s, s:o}", "device-id", info->device_id,
				rows->time_key, time_json(info->created));

	return json_array_append_new(rows->list, row) ? -ENOMEM : 0;
}

static json_t *device_list(struct daemon *d, json_t *request)
{
	struct device_rows devices = { json_array(), "added" };
	struct device_rows blocked = { json_array(), "since" };
	json_t *answer = NULL;
	int ret = -ENOMEM;

	(void)request;
	if (devices.list && blocked.list)
		ret = store_device_psk_list(d->store, append_device, &devices);
	if (ret >= 0)
		ret = store_device_block_list(d->store, append_device,
					      &blocked);
	if (ret < 0) {
		answer = ret == -ENOMEM ? NULL :
			 admin_store_error(d, ret, "device");
	} else {
		answer = admin_ok_with("devices", json_incref(devices.list));
		if (answer && json_object_set(answer, "blocked",
					      blocked.list)) {
			json_decref(answer);
			answer = NULL;
		}
	}
	json_decref(devices.list);
	json_decref(blocked.list);
	return answer;
}

static int append_key(const struct store_ks_local_info *info, void *arg)
{
	char naf_id[2 * STORE_NAF_ID_MAX + 1];
	json_t *row;

	hex_encode(naf_id, info->naf_id, info->naf_id_len);
	row = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
			"btid", info->btid, "device-id", info->device_id,
			"label", info->label, "naf-id", naf_id,
			"issued", time_json(info->issued),
			"expires", time_json(info->expires),
			"revoked", info->revoked);
	return json_array_append_new(arg, row) ? -ENOMEM : 0;
}

static json_t *local_key_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_ks_local_list(d->store, append_key, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "local key");
	}
	return admin_ok_with("keys", list);
}

static json_t *local_key_revoke(struct daemon *d, json_t *request)
{
	const char *id, *btid;
	char why[160];
	int ret = device_member(request, &id, why, sizeof(why));

	if (!ret)
		ret = admin_string_member(request, "btid", true, &btid, why,
					  sizeof(why));
	if (!ret && !store_btid_valid(btid)) {
		snprintf(why, sizeof(why), "\"btid\" is not a B-TID");
		ret = -EINVAL;
	}
	if (ret)
		return admin_error("%s", why);
	ret = store_ks_local_revoke(d->store, btid, id);
	if (ret == -ENOENT)
		return admin_error("no local key of B-TID %s and device %s",
				   btid, id);
	if (ret < 0)
		return admin_store_error(d, ret, "local key");
	log_msg(LOG_LEVEL_INFO, "nafkc", "local-key-revoked",
		"btid=%s device=%s keys=%d", btid, id, ret);
	return admin_ok_with("revoked", json_integer(ret));
}

static const char *const add_members[] = { "device-id", "psk", NULL };
static const char *const device_members[] = { "device-id", NULL };
static const char *const revoke_members[] = { "btid", "device-id", NULL };
static const char *const no_members[] = { NULL };

const struct role_admin_command nafkc_admin_commands[] = {
	{ "device-add", device_add, add_members, true },
	{ "device-remove", device_remove, device_members, true },
	{ "device-list", device_list, no_members, true },
	{ "device-block", device_block, device_members, true },
	{ "device-unblock", device_unblock, device_members, true },
	{ "local-key-list", local_key_list, no_members, true },
	{ "local-key-revoke", local_key_revoke, revoke_members, true },
	{ NULL, NULL, NULL, false },
};
