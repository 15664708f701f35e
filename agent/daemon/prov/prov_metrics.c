// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's series, see prov_metrics.h.
 */
#include <string.h>

#include "prov_metrics.h"

static int count_one(const struct store_prov_update_info *info, void *arg)
{
	struct prov_metrics *m = arg;

	if (info->state <= STORE_PROV_HSS_DONE)
		m->updates[info->state]++;
	return 0;
}

int prov_metrics_count(struct store *store, struct prov_metrics *m)
{
	int ret;

	memset(m->updates, 0, sizeof(m->updates));
	ret = store_prov_update_list(store, count_one, m);
	m->have_updates = ret >= 0;
	return ret < 0 ? ret : 0;
}

void prov_metrics_write(struct prom_text *text, const struct prov_metrics *m)
{
	struct prom_label label;
	int i;

	if (m->have_updates) {
		prom_family(text, "e2m_prov_updates", "gauge",
			    "Key update records in the store, by state.");
		label.name = "state";
		for (i = STORE_PROV_QUEUED; i <= STORE_PROV_HSS_DONE; i++) {
			label.value = store_prov_state_name(i);
			prom_sample_u64(text, "e2m_prov_updates", &label, 1,
					m->updates[i]);
		}
	}
	prom_counter(text, "e2m_prov_updates_failed_total",
		"Update sessions the USIM refused or that did not verify.",
		m->failed);
	prom_family(text, "e2m_prov_hss_refusals_total", "counter",
		    "The HSS's refusals of a key switch, by error token.");
	label.name = "reason";
	for (i = 0; i < PROV_HSS_REASONS; i++) {
		label.value = prov_hss_reason_name(i);
		prom_sample_u64(text, "e2m_prov_hss_refusals_total", &label, 1,
				m->hss.refusals[i]);
	}
	prom_counter(text, "e2m_prov_hss_retries_total",
		"Calls to the HSS made after a failed one.", m->hss.retries);
	prom_family(text, "e2m_prov_hss_retry_delay_seconds", "gauge",
		    "The HSS back-off's last delay; 0 after a success.");
	prom_sample_u64(text, "e2m_prov_hss_retry_delay_seconds", NULL, 0,
			m->retry_delay);
}
