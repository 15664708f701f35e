// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/e2m.h>

#include "socket.h"

int nl_socket(int rcvbuf)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

int nl_send(int fd, const struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) ==
	       (ssize_t)m->len ? 0 : -1;
}

/* The id of the events group, from the controller's CTRL_ATTR_MCAST_GROUPS. */
static int events_group(const struct nlattr *groups)
{
	const struct nlattr *g = (const struct nlattr *)((const char *)groups + NLA_HDRLEN);
	int rem = groups->nla_len - NLA_HDRLEN;

	for (; rem >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= rem;
	     rem -= NLA_ALIGN(g->nla_len),
	     g = (const struct nlattr *)((const char *)g + NLA_ALIGN(g->nla_len))) {
		const unsigned char *in = (const unsigned char *)g + NLA_HDRLEN;
		const struct nlattr *name = attr_find(in, g->nla_len - NLA_HDRLEN,
						      CTRL_ATTR_MCAST_GRP_NAME);

		if (name && !strcmp((const char *)name + NLA_HDRLEN, E2M_MCGRP_EVENTS))
			return attr_u32(attr_find(in, g->nla_len - NLA_HDRLEN,
						  CTRL_ATTR_MCAST_GRP_ID));
	}
	return 0;
}

int resolve_family(int fd, int *group)
{
	static unsigned char buf[RECV_MAX];
	const struct nlattr *id, *groups;
	struct nlmsghdr *nlh;
	struct msg m;
	ssize_t n;
	int len;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	attr_put(&m, CTRL_ATTR_FAMILY_NAME, E2M_GENL_NAME, sizeof(E2M_GENL_NAME));
	msg_finish(&m, 1);
	if (nl_send(fd, &m))
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	nlh = (struct nlmsghdr *)buf;
	if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(nlh, n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	id = attr_find((unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len, CTRL_ATTR_FAMILY_ID);
	groups = attr_find((unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len,
			   CTRL_ATTR_MCAST_GROUPS);
	*group = groups ? events_group(groups) : 0;
	return id ? *(const uint16_t *)((const char *)id + NLA_HDRLEN) : -1;
}
