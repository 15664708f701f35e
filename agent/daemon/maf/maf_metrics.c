// SPDX-License-Identifier: GPL-2.0
/*
 * The maf role's series, see maf_metrics.h.
 */
#include "maf_metrics.h"
#include "role_maf.h"

void maf_metrics(void *state, struct prom_text *text)
{
	const struct maf *maf = state;
	const struct maf_counters *c = &maf->counters;

	if (!maf->conf->handoff.line)
		return;
	prom_counter(text, "e2m_maf_handed_total",
		"Keys given to the handoff uid's persistent keyring.",
		c->handed);
	prom_counter(text, "e2m_maf_handoff_failed_total",
		"Hand-offs, take-backs and keyring renewals that failed.",
		c->handoff_failed);
	prom_counter(text, "e2m_maf_keyring_renewals_total",
		"Renewals of the handoff uid's persistent keyring.",
		c->keyring_renewals);
}
