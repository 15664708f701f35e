// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's admin commands, over the subscribers of the store, see
 * hss_admin.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/milenage.h"
#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "hss_admin.h"
#include "util/hex.h"

static const struct {
	const char *name;
	uint32_t flag;
} subscriber_flags[] = {
	{ "e2m", STORE_SUB_E2M },
	{ "gba-u", STORE_SUB_GBA_U },
};

#define N_FLAGS (sizeof(subscriber_flags) / sizeof(subscriber_flags[0]))

/* ---- subscribers as JSON ---------------------------------------------------- */

static json_t *flags_json(uint32_t flags)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < N_FLAGS; i++) {
		if ((flags & subscriber_flags[i].flag) &&
		    json_array_append_new(list,
					  json_string(subscriber_flags[i].name))) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static json_t *subscriber_json(const struct store_subscriber_info *info)
{
	char amf[2 * AKA_AMF_LEN + 1];
	json_t *uss = json_loads(info->uss, 0, NULL);

	hex_encode(amf, info->amf, sizeof(info->amf));
	return json_pack("{s:s, s:s, s:s, s:o*, s:i, s:I, s:I, s:o*}",
			 "imsi", info->imsi, "impi", info->impi, "amf", amf,
			 "flags", flags_json(info->flags),
			 "ind-bits", info->sqn.ind_bits,
			 "seq", (json_int_t)info->sqn.seq,
			 "next-ind", (json_int_t)info->sqn.ind,
			 "uss", uss ? uss : json_array());
}

static int append_subscriber(const struct store_subscriber_info *info,
			     void *arg)
{
	json_t *list = arg;

	return json_array_append_new(list, subscriber_json(info)) ? -ENOMEM :
								     0;
}

static json_t *subscriber_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_subscriber_list(d->store, append_subscriber, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "subscriber");
	}
	return admin_ok_with("subscribers", list);
}

/* ---- subscriber-add ------------------------------------------------------------ */

static int hex_member(json_t *request, const char *key, bool required,
		      uint8_t *out, size_t len, char *why, size_t why_size)
{
	const char *text;
	enum hex_error error;
	int ret = admin_string_member(request, key, required, &text, why,
				      why_size);

	if (ret || !text)
		return ret;
	error = hex_decode_exact(out, len, text);
	if (error) {
		snprintf(why, why_size, "\"%s\" must be %zu octets of hex: %s",
			 key, len, hex_strerror(error));
		return -EINVAL;
	}
	return 1;
}

static int identity_members(json_t *request, struct store_subscriber *sub,
			    char *why, size_t why_size)
{
	const char *imsi, *impi;
	int ret;

	ret = admin_string_member(request, "imsi", true, &imsi, why, why_size);
	if (!ret)
		ret = admin_string_member(request, "impi", true, &impi, why,
				    why_size);
	if (ret)
		return ret;
	if (!store_imsi_valid(imsi)) {
		snprintf(why, why_size, "\"imsi\" must be %d to %d digits",
			 STORE_IMSI_MIN, STORE_IMSI_MAX);
		return -EINVAL;
	}
	if (!store_impi_valid(impi)) {
		snprintf(why, why_size, "\"impi\" is not an IMPI (user@realm)");
		return -EINVAL;
	}
	strcpy(sub->pub.imsi, imsi);
	strcpy(sub->pub.impi, impi);
	return 0;
}

/* K and OPc, or OPc from K and OP. */
static int key_members(json_t *request, struct store_subscriber *sub,
		       char *why, size_t why_size)
{
	uint8_t op[AKA_OP_LEN];
	struct milenage m;
	int has_op, has_opc, ret;

	ret = hex_member(request, "k", true, sub->k, sizeof(sub->k), why,
			 why_size);
	if (ret < 0)
		return ret;
	has_opc = hex_member(request, "opc", false, sub->opc, sizeof(sub->opc),
			     why, why_size);
	has_op = has_opc < 0 ? 0 : hex_member(request, "op", false, op,
					      sizeof(op), why, why_size);
	if (has_opc < 0 || has_op < 0)
		return -EINVAL;
	if (has_op == has_opc) {
		snprintf(why, why_size, "exactly one of \"opc\" and \"op\" is needed");
		return -EINVAL;
	}
	if (has_op) {
		ret = milenage_init_op(&m, sub->k, op);
		if (!ret)
			memcpy(sub->opc, m.opc, sizeof(sub->opc));
		milenage_free(&m);
		OPENSSL_cleanse(op, sizeof(op));
		if (ret) {
			snprintf(why, why_size, "cannot compute OPc: %s",
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int flags_member(json_t *request, uint32_t *flags, char *why,
			size_t why_size)
{
	json_t *list = json_object_get(request, "flags"), *item;
	size_t index, i;

	*flags = 0;
	if (!list)
		return 0;
	if (!json_is_array(list))
		goto bad;
	json_array_foreach(list, index, item) {
		for (i = 0; json_is_string(item) && i < N_FLAGS; i++) {
			if (!strcmp(json_string_value(item),
				    subscriber_flags[i].name))
				break;
		}
		if (!json_is_string(item) || i == N_FLAGS)
			goto bad;
		*flags |= subscriber_flags[i].flag;
	}
	return 0;
bad:
	snprintf(why, why_size, "\"flags\" must be a list of \"e2m\", \"gba-u\"");
	return -EINVAL;
}

static int setting_members(json_t *request, struct store_subscriber *sub,
			   char *why, size_t why_size)
{
	json_t *ind_bits = json_object_get(request, "ind-bits");
	json_t *uss = json_object_get(request, "uss");
	char *text;
	int ret;

	memset(sub->pub.amf, 0, sizeof(sub->pub.amf));
	ret = hex_member(request, "amf", false, sub->pub.amf,
			 sizeof(sub->pub.amf), why, why_size);
	if (ret >= 0)
		ret = flags_member(request, &sub->pub.flags, why, why_size);
	if (ret < 0)
		return ret;
	if (ind_bits) {
		if (!json_is_integer(ind_bits) ||
		    json_integer_value(ind_bits) < 0 ||
		    json_integer_value(ind_bits) > STORE_IND_BITS_MAX) {
			snprintf(why, why_size, "\"ind-bits\" must be 0 to %d",
				 STORE_IND_BITS_MAX);
			return -EINVAL;
		}
		sub->pub.sqn.ind_bits = (uint8_t)json_integer_value(ind_bits);
	}
	if (!uss)
		return 0;
	text = json_dumps(uss, JSON_COMPACT | JSON_ENCODE_ANY);
	ret = text && strlen(text) < sizeof(sub->pub.uss) &&
	      !store_uss_check(text) ? 0 : -EINVAL;
	if (!ret)
		strcpy(sub->pub.uss, text);
	else
		snprintf(why, why_size,
			 "\"uss\" must be a USS: [{\"naf\": FQDN, \"flags\": [N...]}...]");
	free(text);
	return ret;
}

static void log_added(const struct store_subscriber_info *info)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, NULL, "subscriber-added"))
		return;
	log_str(&line, "imsi", info->imsi);
	log_str(&line, "impi", info->impi);
	log_int(&line, "flags", info->flags);
	log_end(&line);
}

static json_t *subscriber_add(struct daemon *d, json_t *request)
{
	struct store_subscriber *sub = malloc(sizeof(*sub));
	json_t *answer;
	char why[256];
	int ret;

	if (!sub)
		return NULL;
	store_subscriber_init(sub);
	ret = identity_members(request, sub, why, sizeof(why));
	if (!ret)
		ret = key_members(request, sub, why, sizeof(why));
	if (!ret)
		ret = setting_members(request, sub, why, sizeof(why));
	if (ret) {
		answer = admin_error("%s", why);
	} else {
		ret = store_subscriber_add(d->store, sub);
		if (ret) {
			answer = admin_store_error(d, ret, "subscriber");
		} else {
			log_added(&sub->pub);
			answer = admin_ok_with("subscriber", subscriber_json(&sub->pub));
		}
	}
	store_subscriber_wipe(sub);
	free(sub);
	return answer;
}

static json_t *subscriber_remove(struct daemon *d, json_t *request)
{
	const char *id;
	char why[128];
	int ret = admin_string_member(request, "id", true, &id, why,
				      sizeof(why));

	if (ret)
		return admin_error("%s", why);
	ret = store_subscriber_remove(d->store, id);
	if (ret)
		return admin_store_error(d, ret, "subscriber");
	log_msg(LOG_LEVEL_INFO, NULL, "subscriber-removed", "%s", id);
	return admin_ok();
}

static const char *const add_members[] = {
	"imsi", "impi", "k", "opc", "op", "amf", "flags", "ind-bits", "uss",
	NULL
};
static const char *const remove_members[] = { "id", NULL };
static const char *const no_members[] = { NULL };

const struct role_admin_command hss_admin_commands[] = {
	{ "subscriber-add", subscriber_add, add_members, true },
	{ "subscriber-list", subscriber_list, no_members, true },
	{ "subscriber-remove", subscriber_remove, remove_members, true },
	{ NULL, NULL, NULL, false },
};
