/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Role prov's series on the metrics listener (role_ops.metrics,
 * Documentation/metrics.md), written at each scrape:
 *
 *	e2m_prov_updates{state}			gauge: the store's records
 *						now, queued, usim-done,
 *						hss-done (left out when the
 *						store cannot be read)
 *	e2m_prov_updates_failed_total		sessions the USIM refused or
 *						whose answer did not verify
 *						(409 update-refused; the
 *						record stays queued)
 *	e2m_prov_hss_refusals_total{reason}	the HSS's 4xx answers to step
 *						6, by its error token:
 *						bad-request, forbidden,
 *						unknown-subscriber,
 *						stale-counter, other
 *	e2m_prov_hss_retries_total		calls to the HSS made after a
 *						failed one
 *	e2m_prov_hss_retry_delay_seconds	gauge: the back-off's last
 *						delay, 0 once a call succeeded
 *
 * No ICCID, IMSI or key: counts by labels from code. The counters start
 * at 0 with the process; the gauge of records is the store's.
 */
#ifndef E2MD_PROV_METRICS_H
#define E2MD_PROV_METRICS_H

#include <stdbool.h>

#include "daemon/metrics/prom_text.h"
#include "prov_hss.h"
#include "store/store.h"

struct prov_metrics {
	bool have_updates;			/* the store was read */
	/* the records by state */
	unsigned long long updates[STORE_PROV_HSS_DONE + 1];
	unsigned long long failed;
	struct prov_hss_counts hss;
	unsigned int retry_delay;		/* seconds */
};

/* Counts the store's records by state: 0, or a negative errno. */
int prov_metrics_count(struct store *store, struct prov_metrics *m);

void prov_metrics_write(struct prom_text *text, const struct prov_metrics *m);

#endif /* E2MD_PROV_METRICS_H */
