// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl key, see cmd_key.h.
 */
#include <string.h>

#include "cmd_flow.h"
#include "cmd_key.h"
#include "kernel_args.h"

/*
 * An e2mkeyset key carries its Key ID and algorithms; a ks_local key is
 * bound with both (key-id, alg), and the module derives the link's keys.
 */
static int key_bind(struct genl_conn *conn, const struct flow_args *a)
{
	uint32_t flags = (a->given & ARG_TX_ON_RX) ? E2M_KEY_F_TX_ON_RX : 0;
	struct e2m_link link = { .key_id = a->key_id, .alg = a->alg };

	if (a->given & ARG_ALG)
		return e2m_key_bind_link(conn, a->dev, a->flow.local_teid,
					 a->serial, &link, flags);
	return e2m_key_bind(conn, a->dev, a->flow.local_teid, a->serial, flags);
}

static int key_run(const char *command, const char *sub,
		   const struct flow_args *a)
{
	uint32_t teid = a->flow.local_teid;
	struct genl_conn conn;
	int ret;

	if ((ret = kernel_connect(command, &conn)))
		return ret;
	if (!strcmp(sub, "bind"))
		ret = key_bind(&conn, a);
	else if (!strcmp(sub, "use"))
		ret = e2m_key_use(&conn, a->dev, teid, a->key_id);
	else
		ret = e2m_key_unbind(&conn, a->dev, teid, a->key_id);
	if (ret)
		ret = kernel_failed(command, &conn);
	genl_close(&conn);
	return ret;
}

int cmd_key(int argc, char *argv[])
{
	const char *sub = argc ? argv[0] : "";
	unsigned int second, optional = 0;
	struct flow_args a;
	char command[32];
	int ret;

	if (!strcmp(sub, "bind")) {
		second = ARG_SERIAL;
		optional = ARG_TX_ON_RX | ARG_KEY_ID | ARG_ALG;
	} else if (!strcmp(sub, "use") || !strcmp(sub, "unbind")) {
		second = ARG_KEY_ID;
	} else if (!argc) {
		return usage_error("key", "expected bind, use or unbind");
	} else {
		return usage_error("key",
				   "unknown sub-command \"%s\" (bind, use, unbind)",
				   sub);
	}
	snprintf(command, sizeof(command), "key %s", sub);
	ret = flow_args_parse(command, argc - 1, argv + 1,
			      ARG_TEID | second | optional, ARG_TEID | second,
			      &a);
	if (ret)
		return ret;
	/* A ks_local key: both, or an e2mkeyset: neither. */
	if (!strcmp(sub, "bind") &&
	    !(a.given & ARG_KEY_ID) != !(a.given & ARG_ALG))
		return usage_error(command,
				   "key-id and alg go together (a ks_local key)");
	return key_run(command, sub, &a);
}
