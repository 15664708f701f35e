// SPDX-License-Identifier: GPL-2.0
/*
 * The maf role's series, see maf_metrics.h.
 */
#include "maf_metrics.h"
#include "role_maf.h"

static void counter(struct prom_text *text, const char *name,
		    const char *help, unsigned long long value)
{
	prom_family(text, name, "counter", help);
	prom_sample_u64(text, name, NULL, 0, value);
}

void maf_metrics(void *state, struct prom_text *text)
{
	const struct maf *maf = state;
	const struct maf_counters *c = &maf->counters;

	if (!maf->conf->handoff.line)
		return;
	counter(text, "e2m_maf_handed_total",
		"Keys given to the handoff uid's persistent keyring.",
		c->handed);
	counter(text, "e2m_maf_handoff_failed_total",
		"Hand-offs, take-backs and keyring renewals that failed.",
		c->handoff_failed);
	counter(text, "e2m_maf_keyring_renewals_total",
		"Renewals of the handoff uid's persistent keyring.",
		c->keyring_renewals);
}
