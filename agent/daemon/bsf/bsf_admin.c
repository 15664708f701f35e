// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's admin command, over the sessions of the store, see
 * bsf_admin.h.
 */
#include <errno.h>

#include "bsf_admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "util/utc.h"

static json_t *time_json(int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t))
		return json_integer((json_int_t)t);
	return json_string(text);
}

static int append_session(const struct store_session_info *info, void *arg)
{
	json_t *list = arg;
	json_t *session = json_pack("{s:s, s:s, s:o, s:o}",
				    "btid", info->btid, "impi", info->impi,
				    "created", time_json(info->created),
				    "expires", time_json(info->expires));

	return json_array_append_new(list, session) ? -ENOMEM : 0;
}

static json_t *session_list(struct daemon *d, json_t *request)
{
	json_t *list = json_array();
	int ret;

	(void)request;
	if (!list)
		return NULL;
	ret = store_session_list(d->store, append_session, list);
	if (ret < 0) {
		json_decref(list);
		return admin_store_error(d, ret, "session");
	}
	return admin_ok_with("sessions", list);
}

static const char *const no_members[] = { NULL };

const struct role_admin_command bsf_admin_commands[] = {
	{ "session-list", session_list, no_members, true },
	{ NULL, NULL, NULL, false },
};
