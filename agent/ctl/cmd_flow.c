// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl flow, see cmd_flow.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_flow.h"
#include "kernel_args.h"
#include "kernel_show.h"

static const struct {
	const char *keyword;
	unsigned int arg;
} flow_keywords[] = {
	{ "teid", ARG_TEID },
	{ "remote-teid", ARG_REMOTE_TEID },
	{ "peer", ARG_PEER },
	{ "peer-port", ARG_PEER_PORT },
	{ "inner", ARG_INNER },
	{ "serial", ARG_SERIAL },
	{ "key-id", ARG_KEY_ID },
	{ "alg", ARG_ALG },
};

#define N_FLOW_KEYWORDS (sizeof(flow_keywords) / sizeof(flow_keywords[0]))

static unsigned int flow_keyword(const char *word)
{
	size_t i;

	for (i = 0; i < N_FLOW_KEYWORDS; i++)
		if (!strcmp(word, flow_keywords[i].keyword))
			return flow_keywords[i].arg;
	return 0;
}

/* "inner ADDR": once per address family. */
static int parse_inner(const char *command, const char *text,
		       struct e2m_flow *flow)
{
	struct e2m_ip ip;
	int ret = arg_ip(command, "inner", text, &ip);

	if (ret)
		return ret;
	if (ip.family == AF_INET) {
		if (flow->has_inner4)
			return usage_error(command,
					   "inner: one IPv4 address at most");
		flow->has_inner4 = true;
		flow->inner4 = ip.v4;
	} else {
		if (flow->has_inner6)
			return usage_error(command,
					   "inner: one IPv6 address at most");
		flow->has_inner6 = true;
		flow->inner6 = ip.v6;
	}
	return 0;
}

static int parse_flow_value(const char *command, unsigned int arg,
			    const char *key, const char *val,
			    struct flow_args *a)
{
	uint32_t value = 0;
	int ret;

	switch (arg) {
	case ARG_TEID:
		/* The local TEID names the flow; 0 is never one (uapi). */
		return arg_u32(command, key, val, 1, UINT32_MAX,
			       &a->flow.local_teid);
	case ARG_REMOTE_TEID:
		return arg_u32(command, key, val, 0, UINT32_MAX,
			       &a->flow.remote_teid);
	case ARG_PEER:
		return arg_ip(command, key, val, &a->flow.peer);
	case ARG_PEER_PORT:
		ret = arg_u32(command, key, val, 1, UINT16_MAX, &value);
		a->flow.peer_port = (uint16_t)value;
		return ret;
	case ARG_INNER:
		return parse_inner(command, val, &a->flow);
	case ARG_SERIAL:
		ret = arg_u32(command, key, val, 1, INT32_MAX, &value);
		a->serial = (int32_t)value;
		return ret;
	case ARG_KEY_ID:
		ret = arg_u32(command, key, val, 0, E2M_KEY_ID_MAX, &value);
		a->key_id = (uint8_t)value;
		return ret;
	case ARG_ALG:
		/* Any octet: which algorithms are taken is the module's call. */
		ret = arg_u32(command, key, val, 0, UINT8_MAX, &value);
		a->alg = (uint8_t)value;
		return ret;
	}
	return usage_error(command, "unknown keyword \"%s\"", key);
}

/* A bare keyword (-j, tx-on-rx) at key: 1 when it was one, or an error. */
static int bare_keyword(const char *command, unsigned int allowed,
			const char *key, struct flow_args *a)
{
	if ((allowed & ARG_JSON) && arg_is_json(key)) {
		a->given |= ARG_JSON;
		return 1;
	}
	if (!(allowed & ARG_TX_ON_RX) || strcmp(key, "tx-on-rx"))
		return 0;
	if (a->given & ARG_TX_ON_RX)
		return -usage_error(command, "%s given twice", key);
	a->given |= ARG_TX_ON_RX;
	return 1;
}

int flow_args_parse(const char *command, int argc, char *argv[],
		    unsigned int allowed, unsigned int required,
		    struct flow_args *a)
{
	size_t k;
	int i, ret;

	memset(a, 0, sizeof(*a));
	if ((ret = arg_device(command, argc ? argv[0] : NULL)))
		return ret;
	a->dev = argv[0];
	for (i = 1; i < argc; i++) {
		unsigned int arg = flow_keyword(argv[i]);
		const char *key = argv[i], *val;

		ret = bare_keyword(command, allowed, key, a);
		if (ret < 0)
			return -ret;
		if (ret)
			continue;
		if (!(arg & allowed))
			return usage_error(command, "unknown keyword \"%s\"",
					   key);
		if ((a->given & arg) && arg != ARG_INNER)
			return usage_error(command, "%s given twice", key);
		if (!(val = arg_value(command, argc, argv, &i)))
			return EXIT_USAGE;
		if ((ret = parse_flow_value(command, arg, key, val, a)))
			return ret;
		a->given |= arg;
	}
	for (k = 0; k < N_FLOW_KEYWORDS; k++)
		if ((required & flow_keywords[k].arg) &&
		    !(a->given & flow_keywords[k].arg))
			return usage_error(command, "%s missing",
					   flow_keywords[k].keyword);
	return 0;
}

static int flow_show(const char *command, struct genl_conn *conn,
		     const struct flow_args *a)
{
	struct json_builder b = { false };
	struct e2m_flow flow;
	char *text = NULL;
	size_t size = 0;
	json_t *json;
	FILE *out;
	int ret;

	memset(&flow, 0, sizeof(flow));
	if (e2m_flow_get(conn, a->dev, a->flow.local_teid, &flow))
		return kernel_failed(command, conn);
	if (!flow.local_teid)
		return runtime_error(command, "the kernel sent no flow");
	if (a->given & ARG_JSON) {
		json = flow_json(&b, &flow);
		ret = b.failed ? runtime_error(command, "out of memory") :
				 write_json(command, json);
		json_decref(json);
		return ret;
	}
	out = open_memstream(&text, &size);
	if (!out)
		return runtime_error(command, "out of memory");
	print_flow(out, "", &flow);
	ret = fclose(out) ? runtime_error(command, "out of memory") :
			    write_text(command, text, size);
	free(text);
	return ret;
}

/* The request of sub-command sub for the flow of a. */
static int flow_run(const char *command, const char *sub,
		    struct flow_args *a)
{
	struct genl_conn conn;
	int ret;

	if ((ret = kernel_connect(command, &conn)))
		return ret;
	if (!strcmp(sub, "show")) {
		ret = flow_show(command, &conn, a);
	} else {
		if (!strcmp(sub, "add"))
			ret = e2m_flow_new(&conn, a->dev, &a->flow);
		else if (!strcmp(sub, "change"))
			ret = e2m_flow_set(&conn, a->dev, &a->flow);
		else
			ret = e2m_flow_del(&conn, a->dev, a->flow.local_teid);
		if (ret)
			ret = kernel_failed(command, &conn);
	}
	genl_close(&conn);
	return ret;
}

int cmd_flow(int argc, char *argv[])
{
	const unsigned int config = ARG_TEID | ARG_REMOTE_TEID | ARG_PEER |
				    ARG_PEER_PORT | ARG_INNER;
	const char *sub = argc ? argv[0] : "";
	unsigned int allowed, required = ARG_TEID;
	struct flow_args a;
	char command[32];
	int ret;

	if (!strcmp(sub, "add")) {
		allowed = config;
		required = ARG_TEID | ARG_REMOTE_TEID | ARG_PEER | ARG_INNER;
	} else if (!strcmp(sub, "change")) {
		allowed = config;
	} else if (!strcmp(sub, "del")) {
		allowed = ARG_TEID;
	} else if (!strcmp(sub, "show")) {
		allowed = ARG_TEID | ARG_JSON;
	} else if (!argc) {
		return usage_error("flow", "expected add, change, del or show");
	} else {
		return usage_error("flow",
				   "unknown sub-command \"%s\" (add, change, del, show)",
				   sub);
	}
	snprintf(command, sizeof(command), "flow %s", sub);
	ret = flow_args_parse(command, argc - 1, argv + 1, allowed, required,
			      &a);
	if (!ret && !strcmp(sub, "change")) {
		if (!(a.given & ~ARG_TEID))
			return usage_error(command, "nothing to change");
		a.flow.keep_remote_teid = !(a.given & ARG_REMOTE_TEID);
	}
	return ret ? ret : flow_run(command, sub, &a);
}
