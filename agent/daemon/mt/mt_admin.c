// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's admin commands, see mt_admin.h.
 */
#include <errno.h>
#include <time.h>

#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "mt_admin.h"
#include "mt_events.h"
#include "mt_watch.h"
#include "role_mt.h"

static struct mt *running_mt(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_roles; i++)
		if (d->roles[i].ops == &role_mt)
			return d->roles[i].state;
	return NULL;
}

static json_t *rekey(struct daemon *d, json_t *request)
{
	struct mt *mt = running_mt(d);
	struct store_mt_key_info row;
	char fqdn[DNS_NAME_MAX + 1];
	const char *device_id, *naf;
	char why[160];
	int ret;

	ret = admin_string_member(request, "device-id", true, &device_id, why,
				  sizeof(why));
	if (!ret)
		ret = admin_string_member(request, "naf-id", true, &naf, why,
					  sizeof(why));
	if (ret)
		return admin_error("%s", why);
	if (!mt)
		return admin_error("the role mt does not run");
	ret = mt_key_find(mt, 0, naf, device_id, &row, fqdn);
	if (ret == -ENOENT)
		return admin_error("no local key of device %s and %s", device_id,
				   naf);
	if (ret)
		return admin_store_error(d, ret, "local key");
	ret = mt_watch_rekey(mt, row.btid, fqdn, row.device_id,
			     LOCAL_REKEY_OPERATOR, (int64_t)time(NULL));
	if (ret == -ENOENT)
		return admin_error("no rekey-watch of device %s for %s",
				   device_id, fqdn);
	if (ret == -EAGAIN)
		return admin_error("a rekey-request for that key went out less than %d s ago",
				   MT_REKEY_GAP);
	return admin_ok_with("sent", json_integer(ret));
}

static const char *const rekey_members[] = { "device-id", "naf-id", NULL };

const struct role_admin_command mt_admin_commands[] = {
	{ "mt-rekey", rekey, rekey_members, true },
	{ NULL, NULL, NULL, false },
};
