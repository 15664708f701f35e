// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/e2m.h>

#include "check.h"
#include "events.h"
#include "msg.h"
#include "socket.h"
#include "target.h"

struct event_counts events = { .fd = -1 };

/* A socket in the events group; the kernel's events must parse and name a device. */
void events_open(int group)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	/* bound first: a broadcast skips sockets whose port id is still 0 */
	events.fd = nl_socket(0);
	if (events.fd >= 0 &&
	    (bind(events.fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	     setsockopt(events.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			&group, sizeof(group)))) {
		printf("# events: cannot join the group: %s\n", strerror(errno));
		close(events.fd);
		events.fd = -1;
	}
}

void events_drain(void)
{
	static unsigned char buf[RECV_MAX];
	ssize_t n;

	while (events.fd >= 0 && (n = recv(events.fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == ENOBUFS) {
				events.lost++;	/* a full socket drops events: allowed */
				continue;
			}
			return;
		}
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);
			const unsigned char *a = (const unsigned char *)g + GENL_HDRLEN;
			int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (nlh->nlmsg_type != target.family || len < 0 ||
			    !attrs_well_formed(a, len, 0) ||
			    !attr_find(a, len, E2M_A_IFINDEX) ||
			    (g->cmd != E2M_CMD_EVENT_KEY && g->cmd != E2M_CMD_EVENT_NO_KEY)) {
				events.insane++;
				failures++;
				printf("# BAD: seed %llu iteration %lu: malformed event (type %u, cmd %u)\n",
				       (unsigned long long)seed, iteration, nlh->nlmsg_type, g->cmd);
				continue;
			}
			if (g->cmd == E2M_CMD_EVENT_KEY)
				events.key++;
			else
				events.no_key++;
		}
	}
}
