// SPDX-License-Identifier: GPL-2.0
/*
 * Device commands of the e2m family, see e2m_dev.h.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "e2m_dev.h"

static int malformed_device(struct genl_conn *conn)
{
	return genl_set_error(conn, -EBADMSG,
			      "malformed device from the kernel");
}

static uint8_t get_u8(struct nlattr *nla)
{
	return nla ? nla_get_u8(nla) : 0;
}

static uint16_t get_u16(struct nlattr *nla)
{
	return nla ? nla_get_u16(nla) : 0;
}

static uint32_t get_u32(struct nlattr *nla)
{
	return nla ? nla_get_u32(nla) : 0;
}

/* A request for cmd naming the device ifname; NULL when out of room. */
static struct nl_msg *dev_request(struct genl_conn *conn, uint8_t cmd,
				  int flags, const char *ifname)
{
	struct nl_msg *msg = genl_request_new(conn, cmd, flags);

	if (!msg)
		return NULL;
	if (ifname && nla_put_string(msg, E2M_A_IFNAME, ifname) < 0) {
		nlmsg_free(msg);
		genl_set_error(conn, -EMSGSIZE, "request too large");
		return NULL;
	}
	return msg;
}

struct dev_answer {
	uint32_t *ifindex;
	uint8_t *role;
};

static int keep_dev(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct dev_answer *answer = arg;

	(void)cmd;
	if (!tb[E2M_A_IFINDEX])
		return malformed_device(conn);
	*answer->ifindex = nla_get_u32(tb[E2M_A_IFINDEX]);
	*answer->role = get_u8(tb[E2M_A_ROLE]);
	return 0;
}

int e2m_dev_get(struct genl_conn *conn, const char *ifname,
		uint32_t *ifindex, uint8_t *role)
{
	struct dev_answer answer = { ifindex, role };
	struct nl_msg *msg = dev_request(conn, E2M_CMD_DEV_GET, 0, ifname);

	*ifindex = 0;
	*role = 0;
	if (!msg)
		return -ENOMEM;
	return genl_transact(conn, msg, keep_dev, &answer);
}

static int parse_dev(struct genl_conn *conn, struct nlattr **tb,
		     struct e2m_dev *dev)
{
	int ret;

	memset(dev, 0, sizeof(*dev));
	if (!tb[E2M_A_IFINDEX] || !tb[E2M_A_IFNAME])
		return malformed_device(conn);
	dev->ifindex = nla_get_u32(tb[E2M_A_IFINDEX]);
	nla_strlcpy(dev->name, tb[E2M_A_IFNAME], sizeof(dev->name));
	dev->role = get_u8(tb[E2M_A_ROLE]);
	dev->port = get_u16(tb[E2M_A_PORT]);
	dev->replay_window = get_u32(tb[E2M_A_REPLAY_WINDOW]);
	dev->count_notify = get_u32(tb[E2M_A_COUNT_NOTIFY]);
	dev->count_limit = get_u32(tb[E2M_A_COUNT_LIMIT]);
	dev->nflows = get_u32(tb[E2M_A_FLOWS]);
	dev->staged_bytes = get_u32(tb[E2M_A_STAGED_BYTES]);
	if (tb[E2M_A_RX_CPUS]) {
		int len = nla_len(tb[E2M_A_RX_CPUS]);

		if (len % 4 || (size_t)len > sizeof(dev->rx_cpus))
			return malformed_device(conn);
		memcpy(dev->rx_cpus, nla_data(tb[E2M_A_RX_CPUS]), (size_t)len);
		dev->rx_cpus_words = (size_t)len / 4;
	}
	ret = e2m_stats_parse(conn, tb[E2M_A_STATS], &dev->stats);
	if (ret)
		return ret;
	return e2m_stats_parse(conn, tb[E2M_A_STATS_TOTAL], &dev->totals);
}

struct dev_dump {
	e2m_dev_fn fn;
	void *arg;
};

static int dump_one(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct dev_dump *d = arg;
	struct e2m_dev dev;
	int ret;

	if (cmd != E2M_CMD_DEV_GET)
		return 0;
	ret = parse_dev(conn, tb, &dev);
	return ret ? ret : d->fn(&dev, d->arg);
}

int e2m_dev_dump(struct genl_conn *conn, const char *ifname, e2m_dev_fn fn,
		 void *arg)
{
	struct dev_dump d = { fn, arg };
	struct nl_msg *msg = dev_request(conn, E2M_CMD_DEV_GET,
					 ifname ? 0 : NLM_F_DUMP, ifname);

	if (!msg)
		return -ENOMEM;
	return genl_transact(conn, msg, dump_one, &d);
}

static int put_settings(struct nl_msg *msg, const struct e2m_dev_settings *s)
{
	return (s->has_role && nla_put_u8(msg, E2M_A_ROLE, s->role) < 0) ||
	       (s->has_port && nla_put_u16(msg, E2M_A_PORT, s->port) < 0) ||
	       (s->has_window &&
		nla_put_u32(msg, E2M_A_REPLAY_WINDOW, s->window) < 0) ||
	       (s->has_notify &&
		nla_put_u32(msg, E2M_A_COUNT_NOTIFY, s->notify) < 0) ||
	       (s->has_limit &&
		nla_put_u32(msg, E2M_A_COUNT_LIMIT, s->limit) < 0) ||
	       (s->has_rx_cpus &&
		nla_put(msg, E2M_A_RX_CPUS, (int)(s->rx_cpus_words * 4),
			s->rx_cpus) < 0);
}

int e2m_dev_set(struct genl_conn *conn, const char *ifname,
		const struct e2m_dev_settings *settings)
{
	struct nl_msg *msg = dev_request(conn, E2M_CMD_DEV_SET, 0, ifname);

	if (!msg)
		return -ENOMEM;
	if (put_settings(msg, settings)) {
		nlmsg_free(msg);
		return genl_set_error(conn, -EMSGSIZE, "request too large");
	}
	return genl_transact(conn, msg, NULL, NULL);
}
