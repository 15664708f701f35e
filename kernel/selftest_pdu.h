/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_SELFTEST_PDU_H
#define _E2M_SELFTEST_PDU_H

#include <linux/types.h>

/* The data path's seal and open over packets, at load in debug builds. */
bool e2m_selftest_pdu(void);

#endif /* _E2M_SELFTEST_PDU_H */
