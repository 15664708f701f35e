// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's back-off in role prov, see prov_hss_plan.h.
 */
#include <string.h>

#include "proto/gba/ub_json.h"
#include "proto/keyupdate/hss_update_msg.h"
#include "prov_hss_plan.h"

static unsigned int next_delay(unsigned int last)
{
	if (!last)
		return PROV_HSS_RETRY_MIN;
	return last >= PROV_HSS_RETRY_MAX / 2 ? PROV_HSS_RETRY_MAX : last * 2;
}

void prov_hss_backoff_after(struct prov_hss_backoff *b,
			    enum prov_hss_outcome outcome, int status,
			    struct prov_hss_step *step)
{
	unsigned int delay;

	memset(step, 0, sizeof(*step));
	if (outcome == PROV_HSS_OK) {
		step->log_recovered = b->failures > 0;
		step->failures = b->failures;
		memset(b, 0, sizeof(*b));
		return;
	}
	delay = next_delay(b->delay);
	/* A change of what fails, or of how long we wait, is news. */
	step->log_failure = !b->failures || outcome != b->outcome ||
			    status != b->status || delay != b->delay;
	b->failures++;
	b->delay = delay;
	b->outcome = outcome;
	b->status = status;
	step->delay = delay;
	step->failures = b->failures;
}

bool prov_hss_backoff_retrying(const struct prov_hss_backoff *b)
{
	return b->failures > 0;
}

static const char *const reason_names[PROV_HSS_REASONS] = {
	[PROV_HSS_REASON_BAD_REQUEST] = UB_ERR_BAD_REQUEST,
	[PROV_HSS_REASON_FORBIDDEN] = KU_ERR_FORBIDDEN,
	[PROV_HSS_REASON_UNKNOWN_SUBSCRIBER] = UB_ERR_UNKNOWN_SUBSCRIBER,
	[PROV_HSS_REASON_STALE_COUNTER] = KU_ERR_STALE_COUNTER,
	[PROV_HSS_REASON_OTHER] = "other",
};

enum prov_hss_reason prov_hss_reason_of(const char *token)
{
	int i;

	for (i = 0; token && i < PROV_HSS_REASON_OTHER; i++) {
		if (!strcmp(token, reason_names[i]))
			return (enum prov_hss_reason)i;
	}
	return PROV_HSS_REASON_OTHER;
}

const char *prov_hss_reason_name(enum prov_hss_reason reason)
{
	return reason < PROV_HSS_REASONS ? reason_names[reason] : "other";
}
