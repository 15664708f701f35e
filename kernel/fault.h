/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_FAULT_H
#define _E2M_FAULT_H

#include <linux/types.h>

/*
 * Fault injection for the tests, in debug builds only (E2M_DEBUG=y): every
 * step of a flow configuration that can fail (an allocation, an insertion
 * into a table) asks e2m_fault() first, and fails with -ENOMEM when it says
 * so. The module parameter fail_config_step=N makes the N-th such step from
 * now on fail, once: the netlink tests walk N up to see that a FLOW_NEW or
 * FLOW_SET failing at any step changes nothing. Production builds never
 * fail a step on purpose.
 */
#ifdef E2M_DEBUG
bool e2m_fault(void);
#else
static inline bool e2m_fault(void)
{
	return false;
}
#endif

#endif /* _E2M_FAULT_H */
