/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_NETLINK_H
#define _E2M_NETLINK_H

#include <net/genetlink.h>

enum e2m_mcgrp {
	E2M_MCGRP_EVENTS_ID,
};

extern struct genl_family e2m_genl_family;

int e2m_netlink_init(void);
void e2m_netlink_exit(void);

#endif /* _E2M_NETLINK_H */
