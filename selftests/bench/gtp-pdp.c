// SPDX-License-Identifier: GPL-2.0
/*
 * gtp-pdp: adds one GTPv1 PDP context to a gtp.c device, so that the
 * benchmark can compare e2m with the kernel's own GTP-U forwarding. Debian
 * packages no libgtpnl, and iproute2 creates gtp devices but not their PDP
 * contexts: this is the few lines of "gtp" generic netlink that needs.
 *
 * usage: gtp-pdp DEV PEER-IPV4 MS-IPV4 LOCAL-TEID REMOTE-TEID
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gtp.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "gtp-pdp: %s: %s\n", what, nl_geterror(err));
	return 1;
}

static int parse_u32(const char *text, unsigned int *value)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || *end || !*text || v > 0xffffffffUL)
		return -1;
	*value = v;
	return 0;
}

int main(int argc, char *argv[])
{
	struct in_addr peer, ms;
	unsigned int ifindex, i_tei, o_tei;
	struct nl_sock *sock;
	struct nl_msg *msg;
	int family, err;

	if (argc != 6 || !(ifindex = if_nametoindex(argv[1])) ||
	    inet_pton(AF_INET, argv[2], &peer) != 1 ||
	    inet_pton(AF_INET, argv[3], &ms) != 1 ||
	    parse_u32(argv[4], &i_tei) || parse_u32(argv[5], &o_tei)) {
		fprintf(stderr, "usage: gtp-pdp DEV PEER-IPV4 MS-IPV4 LOCAL-TEID REMOTE-TEID\n");
		return 2;
	}

	sock = nl_socket_alloc();
	if (!sock)
		return fail("socket", -NLE_NOMEM);
	err = genl_connect(sock);
	if (err)
		return fail("connect", err);
	family = genl_ctrl_resolve(sock, "gtp");
	if (family < 0)
		return fail("family gtp", family);

	msg = nlmsg_alloc();
	if (!msg)
		return fail("message", -NLE_NOMEM);
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_EXCL | NLM_F_ACK, GTP_CMD_NEWPDP, 0) ||
	    nla_put_u32(msg, GTPA_LINK, ifindex) ||
	    nla_put_u32(msg, GTPA_VERSION, GTP_V1) ||
	    nla_put_u32(msg, GTPA_PEER_ADDRESS, peer.s_addr) ||
	    nla_put_u32(msg, GTPA_MS_ADDRESS, ms.s_addr) ||
	    nla_put_u32(msg, GTPA_I_TEI, i_tei) ||
	    nla_put_u32(msg, GTPA_O_TEI, o_tei))
		return fail("message", -NLE_NOMEM);
	err = nl_send_sync(sock, msg);	/* frees msg, waits for the ack */
	nl_socket_free(sock);
	if (err)
		return fail("new PDP context", err);
	return 0;
}
