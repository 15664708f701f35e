/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent uses of uapi/linux/e2m.h before every branch that adds
 * it has been merged. The Makefile defines E2M_UAPI_NO_KEY_FLAGS when the
 * header lacks the key bind flags (best-kernel adds them); the values
 * here are those of that branch, so the agent speaks the same ABI either
 * way. A kernel without them refuses E2M_FLOW_A_KEY_FLAGS, which the
 * agent sends only when it has a flag to set.
 */
#ifndef E2M_NL_E2M_COMPAT_H
#define E2M_NL_E2M_COMPAT_H

#include <linux/e2m.h>

#ifdef E2M_UAPI_NO_KEY_FLAGS
#define E2M_FLOW_A_KEY_FLAGS	(E2M_FLOW_A_STATS + 1)	/* u32, KEY_BIND */
#define E2M_KEY_F_TX_ON_RX	(1u << 0)	/* transmit once the peer used it */
#define E2M_SLOT_A_TX_PENDING	(E2M_SLOT_A_STATE + 1)	/* u8, output */
#define E2M_COMPAT_FLOW_A_MAX	E2M_FLOW_A_KEY_FLAGS
#define E2M_COMPAT_SLOT_A_MAX	E2M_SLOT_A_TX_PENDING
#else
#define E2M_COMPAT_FLOW_A_MAX	E2M_FLOW_A_MAX
#define E2M_COMPAT_SLOT_A_MAX	E2M_SLOT_A_MAX
#endif

#endif /* E2M_NL_E2M_COMPAT_H */
