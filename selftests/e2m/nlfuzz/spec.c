// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stddef.h>

#include <linux/e2m.h>

#include "spec.h"

const struct attr_spec dev_id_attrs[2] = {
	{ E2M_A_IFINDEX, K_U32, 1, U32_MAX_LL, P_IFINDEX, 0 },
	{ E2M_A_IFNAME, K_IFNAME, 0, 0, P_IFNAME, 0 },
};

static const struct attr_spec dev_set_attrs[] = {
	{ E2M_A_ROLE, K_U8, E2M_ROLE_HSE, E2M_ROLE_UE, P_RANGE, 0 },
	{ E2M_A_PORT, K_U16, 1, 65535, P_PORT, 0 },
	{ E2M_A_REPLAY_WINDOW, K_U32, E2M_REPLAY_WINDOW_MIN, E2M_REPLAY_WINDOW_MAX, P_RANGE, 0 },
	{ E2M_A_COUNT_NOTIFY, K_U32, 1, U32_MAX_LL, P_RANGE, 0 },
	{ E2M_A_COUNT_LIMIT, K_U32, 1, U32_MAX_LL, P_RANGE, 0 },
	/*
	 * One word of the CPU bitmap: receive steering on and off under the
	 * traffic. The test VM has two CPUs, so 0..3 are all it takes and
	 * any other value names a CPU it cannot have.
	 */
	{ E2M_A_RX_CPUS, K_U32, 0, 3, P_RANGE, 20 },
};

static const struct attr_spec flow_config_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_REMOTE_TEID, K_U32, 0, U32_MAX_LL, P_TEID, 85 },
	{ E2M_FLOW_A_PEER_IPV4, K_BE32, 0, U32_MAX_LL, P_PEER4, 85 },
	{ E2M_FLOW_A_PEER_IPV6, K_IN6, 0, 0, P_PEER6, 15 },
	{ E2M_FLOW_A_PEER_PORT, K_U16, 1, 65535, P_PORT, 30 },
	{ E2M_FLOW_A_INNER_IPV4, K_BE32, 0, U32_MAX_LL, P_INNER4, 85 },
	{ E2M_FLOW_A_INNER_IPV6, K_IN6, 0, 0, P_INNER6, 40 },
	{ E2M_FLOW_A_FLAGS, K_U32, 0, 0, P_MASK, 0 },
};

static const struct attr_spec flow_id_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
};

static const struct attr_spec key_bind_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_KEY_SERIAL, K_S32, 1, INT_MAX, P_SERIAL, 95 },
	{ E2M_FLOW_A_KEY_FLAGS, K_U32, 0, E2M_KEY_F_TX_ON_RX, P_MASK, 0 },
};

static const struct attr_spec key_id_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_KEY_ID, K_U8, 0, E2M_KEY_ID_MAX, P_RANGE, 95 },
};

#define SPECS(a) a, (int)(sizeof(a) / sizeof((a)[0]))

/* Rows ROW_FLOW_NEW and ROW_FLOW_DEL (spec.h) are FLOW_NEW and FLOW_DEL. */
const struct cmd_spec cmds[NCMDS] = {
	{ E2M_CMD_DEV_GET, "DEV_GET", true, true, NULL, 0, NULL, 0 },
	{ E2M_CMD_DEV_SET, "DEV_SET", true, false, SPECS(dev_set_attrs), NULL, 0 },
	{ E2M_CMD_FLOW_NEW, "FLOW_NEW", true, false, NULL, 0, SPECS(flow_config_attrs) },
	{ E2M_CMD_FLOW_SET, "FLOW_SET", true, false, NULL, 0, SPECS(flow_config_attrs) },
	{ E2M_CMD_FLOW_DEL, "FLOW_DEL", true, false, NULL, 0, SPECS(flow_id_attrs) },
	{ E2M_CMD_FLOW_GET, "FLOW_GET", true, true, NULL, 0, SPECS(flow_id_attrs) },
	{ E2M_CMD_KEY_BIND, "KEY_BIND", true, false, NULL, 0, SPECS(key_bind_attrs) },
	{ E2M_CMD_KEY_USE, "KEY_USE", true, false, NULL, 0, SPECS(key_id_attrs) },
	{ E2M_CMD_KEY_UNBIND, "KEY_UNBIND", true, false, NULL, 0, SPECS(key_id_attrs) },
};

_Static_assert(sizeof(cmds) / sizeof(cmds[0]) == NCMDS, "NCMDS is the size of cmds[]");

int attr_size(enum kind kind)
{
	switch (kind) {
	case K_U8: return 1;
	case K_U16: return 2;
	case K_U32: case K_S32: case K_BE32: return 4;
	case K_IN6: return 16;
	default: return 0;
	}
}
