/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_SELFTEST_H
#define _E2M_SELFTEST_H

#include <linux/types.h>

/*
 * Known-answer and table tests of the pure parts (NEA2/NIA2, the replay
 * window, GTP-U and e2m header parsing, the ks_local link keys), run at
 * load in debug builds (E2M_DEBUG=y), the way WireGuard does: the Debian
 * kernel has no KUnit.
 */
#ifdef E2M_DEBUG
bool e2m_selftests(void);
#else
static inline bool e2m_selftests(void)
{
	return true;
}
#endif

#endif /* _E2M_SELFTEST_H */
