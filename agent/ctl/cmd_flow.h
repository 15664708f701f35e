/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl flow: one flow (one PDP context) of an e2m device
 * (E2M_CMD_FLOW_NEW, FLOW_SET, FLOW_DEL, FLOW_GET).
 *
 *   flow add DEV teid N remote-teid N peer ADDR [peer-port N] inner ADDR
 *            [inner ADDR]
 *   flow change DEV teid N [remote-teid N] [peer ADDR] [peer-port N]
 *               [inner ADDR]...
 *   flow del DEV teid N
 *   flow show DEV teid N [-j|--json]
 *
 * The keywords are read by flow_args_parse(), which e2mctl key shares
 * (cmd_key.h). Numbers are decimal or 0x-prefixed hex; ADDR is IPv4 or
 * IPv6; inner is given at most once per address family.
 */
#ifndef E2MCTL_CMD_FLOW_H
#define E2MCTL_CMD_FLOW_H

#include <stdint.h>

#include "kernel/e2m_flow.h"

/* The keywords a flow or key command takes. */
enum {
	ARG_TEID = 1 << 0,
	ARG_REMOTE_TEID = 1 << 1,
	ARG_PEER = 1 << 2,
	ARG_PEER_PORT = 1 << 3,
	ARG_INNER = 1 << 4,
	ARG_SERIAL = 1 << 5,
	ARG_KEY_ID = 1 << 6,
	ARG_JSON = 1 << 7,
	ARG_TX_ON_RX = 1 << 8,	/* a bare keyword: E2M_KEY_F_TX_ON_RX */
	ARG_ALG = 1 << 9,	/* a ks_local bind's algorithm */
};

struct flow_args {
	const char *dev;
	unsigned int given;	/* ARG_* */
	struct e2m_flow flow;	/* teid is flow.local_teid */
	int32_t serial;
	uint8_t key_id;
	uint8_t alg;		/* enum e2m_alg; the kernel judges it */
};

/*
 * "DEV keyword value..." where the keywords are those of allowed, all of
 * required among them. Each keyword once, except inner (once per family).
 */
int flow_args_parse(const char *command, int argc, char *argv[],
		    unsigned int allowed, unsigned int required,
		    struct flow_args *a);

int cmd_flow(int argc, char *argv[]);

#endif /* E2MCTL_CMD_FLOW_H */
