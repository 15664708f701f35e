/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2m family's per-op policies as a table: each command's attributes,
 * their kind, range and where a valid value comes from. It mirrors
 * kernel/netlink.c; a policy change there is a change here.
 */
#ifndef NLFUZZ_SPEC_H
#define NLFUZZ_SPEC_H

#include <stdbool.h>

enum kind { K_U8, K_U16, K_U32, K_S32, K_BE32, K_IN6, K_IFNAME, K_NEST };

/* Where a valid value comes from. */
enum pool {
	P_RANGE,	/* anywhere in [min, max], boundaries often */
	P_IFINDEX, P_IFNAME, P_TEID, P_PEER4, P_PEER6, P_INNER4, P_INNER6,
	P_SERIAL, P_MASK,
	P_PORT,		/* mostly the GTP-U port, so that traffic still meets */
};

struct attr_spec {
	int type;
	enum kind kind;
	long long min, max;	/* what the policy accepts; P_MASK: the mask */
	enum pool pool;
	int often;		/* percent of valid messages that carry it; 0: 60 */
};

#define U32_MAX_LL	4294967295LL

struct cmd_spec {
	int cmd;
	const char *name;
	bool doit, dumpit;
	const struct attr_spec *top;	/* besides the device's */
	int ntop;
	const struct attr_spec *flow;	/* E2M_A_FLOW's; NULL: none */
	int nflow;
};

#define NCMDS		9	/* entries of cmds[] (checked in spec.c) */
#define CMD_UNKNOWN	NCMDS	/* the counters' row for unknown commands */
#define ROW_FLOW_NEW	2	/* cmds[] rows the bulk flows count under */
#define ROW_FLOW_DEL	4

/* The device's identifying attributes: ifindex, then name. */
extern const struct attr_spec dev_id_attrs[2];
extern const struct cmd_spec cmds[NCMDS];

/* The size a scalar of @kind has on the wire; 0 for the others. */
int attr_size(enum kind kind);

#endif
