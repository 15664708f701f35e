// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF's admin commands, see mef_admin.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "mef_admin.h"
#include "util/hex.h"
#include "util/utc.h"

#define ID_RULE "1 to 255 printable ASCII characters without space"

static json_t *time_json(int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t))
		return json_integer((json_int_t)t);
	return json_string(text);
}

/* A member that must be an id: 0 with *id, or -EINVAL with why. */
static int id_member(json_t *request, const char *key, bool required,
		     const char **id, char *why, size_t why_size)
{
	int ret;

	*id = NULL;
	ret = admin_string_member(request, key, required, id, why, why_size);
	if (!ret && *id && !store_onem2m_id_valid(*id)) {
		snprintf(why, why_size, "\"%s\" must be " ID_RULE, key);
		ret = -EINVAL;
	}
	return ret;
}

/* kpm-add's members into kpm: 0 or -EINVAL with why. */
static int read_kpm(json_t *request, struct store_onem2m_kpm *kpm,
		    char *why, size_t why_size)
{
	const char *kpm_id, *enrolee, *maf, *b, *hex;
	int ret;

	ret = id_member(request, "kpm-id", true, &kpm_id, why, why_size);
	if (!ret)
		ret = id_member(request, "enrolee-id", true, &enrolee, why,
				why_size);
	if (!ret)
		ret = id_member(request, "maf-id", false, &maf, why, why_size);
	if (!ret)
		ret = id_member(request, "enrolee-b-id", false, &b, why,
				why_size);
	if (!ret && !maf == !b) {
		snprintf(why, why_size,
			 "needs one of \"maf-id\" and \"enrolee-b-id\"");
		ret = -EINVAL;
	}
	if (!ret)
		ret = admin_string_member(request, "kpm", true, &hex, why,
					  why_size);
	if (!ret && hex_decode_exact(kpm->kpm, sizeof(kpm->kpm), hex)) {
		snprintf(why, why_size, "\"kpm\" must be %d octets of hex",
			 STORE_ONEM2M_KPM_LEN);
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	snprintf(kpm->pub.kpm_id, sizeof(kpm->pub.kpm_id), "%s", kpm_id);
	snprintf(kpm->pub.config.enrolee_id,
		 sizeof(kpm->pub.config.enrolee_id), "%s", enrolee);
	kpm->pub.config.target_kind = maf ? STORE_ONEM2M_MAF :
					    STORE_ONEM2M_ENROLEE_B;
	snprintf(kpm->pub.config.target_id,
		 sizeof(kpm->pub.config.target_id), "%s", maf ? maf : b);
	return 0;
}

static json_t *kpm_add(struct daemon *d, json_t *request)
{
	struct store_onem2m_kpm kpm;
	char why[160];
	json_t *answer;
	int ret;

	memset(&kpm, 0, sizeof(kpm));
	ret = read_kpm(request, &kpm, why, sizeof(why));
	if (ret) {
		answer = admin_error("%s", why);
	} else {
		kpm.pub.created = (int64_t)time(NULL);
		ret = store_onem2m_kpm_add(d->store, &kpm);
		if (ret == -EEXIST) {
			answer = admin_error("KpmId %s has a Kpm already",
					     kpm.pub.kpm_id);
		} else if (ret) {
			answer = admin_store_error(d, ret, "Kpm");
		} else {
			log_msg(LOG_LEVEL_INFO, "mef", "kpm-added",
				"kpm-id=%s enrolee-id=%s %s=%s",
				kpm.pub.kpm_id, kpm.pub.config.enrolee_id,
				store_onem2m_target_name(
					kpm.pub.config.target_kind),
				kpm.pub.config.target_id);
			answer = admin_ok();
		}
	}
	store_onem2m_kpm_wipe(&kpm);
	return answer;
}

static json_t *kpm_remove(struct daemon *d, json_t *request)
{
	const char *kpm_id;
	char why[160];
	int ret = id_member(request, "kpm-id", true, &kpm_id, why,
			    sizeof(why));

	if (ret)
		return admin_error("%s", why);
	ret = store_onem2m_kpm_remove(d->store, kpm_id);
	if (ret == -ENOENT)
		return admin_error("KpmId %s has no Kpm", kpm_id);
	if (ret)
		return admin_store_error(d, ret, "Kpm");
	log_msg(LOG_LEVEL_INFO, "mef", "kpm-removed", "kpm-id=%s", kpm_id);
	return admin_ok();
}

/* The configuration's members, added to row. */
static json_t *with_config(json_t *row,
			   const struct store_onem2m_config *config)
{
	if (row && json_object_set_new(row, "enrolee-id",
				       json_string(config->enrolee_id)))
		goto fail;
	if (row && json_object_set_new(row, config->target_kind ==
					    STORE_ONEM2M_MAF ? "maf-id" :
					    "enrolee-b-id",
				       json_string(config->target_id)))
		goto fail;
	return row;
fail:
	json_decref(row);
	return NULL;
}

static int append_kpm(const struct store_onem2m_kpm_info *info, void *arg)
{
	json_t *row = json_pack("{s:s, s:o}", "kpm-id", info->kpm_id,
				"added", time_json(info->created));

	return json_array_append_new(arg, with_config(row, &info->config)) ?
	       -ENOMEM : 0;
}

static int append_ke(const struct store_onem2m_ke_info *info, void *arg)
{
	json_t *row = json_pack("{s:s, s:s, s:o, s:o}", "ke-id", info->ke_id,
				"kpm-id", info->kpm_id,
				"issued", time_json(info->created),
				"expires", time_json(info->expires));

	return json_array_append_new(arg, with_config(row, &info->config)) ?
	       -ENOMEM : 0;
}

static json_t *kpm_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_onem2m_kpm_list(d->store, append_kpm, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "Kpm");
	}
	return admin_ok_with("kpms", list);
}

static json_t *ke_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_onem2m_ke_list(d->store, append_ke, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "Ke");
	}
	return admin_ok_with("kes", list);
}

static const char *const add_members[] = {
	"kpm-id", "kpm", "enrolee-id", "maf-id", "enrolee-b-id", NULL,
};
static const char *const id_members[] = { "kpm-id", NULL };
static const char *const no_members[] = { NULL };

const struct role_admin_command mef_admin_commands[] = {
	{ "kpm-add", kpm_add, add_members, true },
	{ "kpm-remove", kpm_remove, id_members, true },
	{ "kpm-list", kpm_list, no_members, true },
	{ "ke-list", ke_list, no_members, true },
	{ NULL, NULL, NULL, false },
};
