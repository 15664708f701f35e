/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maf role's series on the metrics listener (role_ops.metrics,
 * Documentation/metrics.md), with handoff (maf_handoff.h) only, the
 * status counters of the same names:
 *
 *	e2m_maf_handed_total		keys given to the application's uid
 *	e2m_maf_handoff_failed_total	hand-offs, take-backs and keyring
 *					renewals that failed (logged
 *					event=handoff-failed with the step)
 *	e2m_maf_keyring_renewals_total	renewals of the uid's persistent
 *					keyring (the purge timer's)
 *
 * No Km-Id, uid or key: counts only. They start at 0 with the process.
 */
#ifndef E2MD_MAF_METRICS_H
#define E2MD_MAF_METRICS_H

#include "daemon/metrics/prom_text.h"

/* role_ops.metrics: state is the role's struct maf. */
void maf_metrics(void *state, struct prom_text *text);

#endif /* E2MD_MAF_METRICS_H */
