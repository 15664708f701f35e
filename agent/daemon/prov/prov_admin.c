// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's admin commands, see prov_admin.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "prov_admin.h"
#include "util/hex.h"

static json_t *update_json(const struct store_prov_update_info *info)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:I, s:I}",
			 "iccid", info->iccid, "imsi", info->imsi,
			 "counter", (json_int_t)info->counter,
			 "state", store_prov_state_name(info->state),
			 "created", (json_int_t)info->created,
			 "updated", (json_int_t)info->updated);
}

static int append_update(const struct store_prov_update_info *info,
			 void *arg)
{
	return json_array_append_new(arg, update_json(info)) ? -ENOMEM : 0;
}

static json_t *update_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_prov_update_list(d->store, append_update, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "key update");
	}
	return admin_ok_with("updates", list);
}

static int key_member(json_t *request, const char *key, uint8_t out[16],
		      char *why, size_t why_size)
{
	const char *text;
	enum hex_error error;
	int ret = admin_string_member(request, key, true, &text, why,
				      why_size);

	if (ret)
		return ret;
	error = hex_decode_exact(out, 16, text);
	if (error) {
		snprintf(why, why_size, "\"%s\" must be 16 octets of hex: %s",
			 key, hex_strerror(error));
		return -EINVAL;
	}
	return 0;
}

static int update_members(json_t *request, struct store_prov_update *u,
			  char *why, size_t why_size)
{
	json_t *counter = json_object_get(request, "counter");
	const char *iccid, *imsi;
	int ret;

	ret = admin_string_member(request, "iccid", true, &iccid, why,
				  why_size);
	if (!ret)
		ret = admin_string_member(request, "imsi", true, &imsi, why,
					  why_size);
	if (ret)
		return ret;
	if (!store_iccid_valid(iccid) || !store_imsi_valid(imsi)) {
		snprintf(why, why_size, "\"iccid\" or \"imsi\" is not one");
		return -EINVAL;
	}
	if (!json_is_integer(counter) || json_integer_value(counter) < 1 ||
	    json_integer_value(counter) > UINT32_MAX) {
		snprintf(why, why_size,
			 "\"counter\" must be an integer 1 to 4294967295");
		return -EINVAL;
	}
	strcpy(u->pub.iccid, iccid);
	strcpy(u->pub.imsi, imsi);
	u->pub.counter = (uint32_t)json_integer_value(counter);
	ret = key_member(request, "k", u->k, why, why_size);
	if (!ret)
		ret = key_member(request, "opc", u->opc, why, why_size);
	return ret;
}

static json_t *update_add(struct daemon *d, json_t *request)
{
	struct store_prov_update *u = calloc(1, sizeof(*u));
	json_t *answer;
	char why[256];
	int ret;

	if (!u)
		return NULL;
	ret = update_members(request, u, why, sizeof(why));
	if (ret) {
		answer = admin_error("%s", why);
	} else {
		ret = store_prov_update_add(d->store, u);
		if (ret) {
			answer = admin_store_error(d, ret, "key update");
		} else {
			log_msg(LOG_LEVEL_INFO, "prov", "update-queued",
				"iccid=%s counter=%u", u->pub.iccid,
				u->pub.counter);
			answer = admin_ok_with("update", update_json(&u->pub));
		}
	}
	store_prov_update_wipe(u);
	free(u);
	return answer;
}

static const char *const add_members[] = {
	"iccid", "imsi", "k", "opc", "counter", NULL
};
static const char *const no_members[] = { NULL };

const struct role_admin_command prov_admin_commands[] = {
	{ "key-update-add", update_add, add_members, true },
	{ "key-update-list", update_list, no_members, true },
	{ NULL, NULL, NULL, false },
};
