/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device role's decisions, apart from their execution so that they
 * can be tested without an MT, a Key Centre or a kernel
 * (Documentation/local-key-establishment.md, "The e2md role device"). When
 * to establish again, and how the flow moves to a new key, are
 * ue/local_key_plan.h's (local_key_plan_renew_at(),
 * local_key_event_action(), local_key_plan_bind()); this adds what the
 * role needs around them:
 *
 * device_plan_renew_wait() - seconds from now to the renewal of a key made
 *	at created that ends at expires: to local_key_plan_renew_at(), but
 *	at least a tenth of the key's life and DEVICE_RETRY_FIRST, so that
 *	a key shorter than LOCAL_KEY_RENEW_AHEAD is not asked for again and
 *	again at once.
 *
 * device_plan_retry() - seconds to the next attempt after failures
 *	failed runs in a row: DEVICE_RETRY_FIRST, doubled each time, at most
 *	DEVICE_RETRY_MAX.
 *
 * device_plan_event() - what a kernel key event asks of a link: only one
 *	for the link's flow (device and TEID) and its key (the Key ID bound,
 *	and the serial where the event names one) counts, as
 *	local_key_event_action() says; any other is stale (a key the link
 *	has moved away from) or another's: nothing.
 */
#ifndef E2MD_DEVICE_PLAN_H
#define E2MD_DEVICE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/e2m_flow.h"
#include "ue/local_key_plan.h"

#define DEVICE_RETRY_FIRST	5	/* seconds */
#define DEVICE_RETRY_MAX	300

int64_t device_plan_renew_wait(int64_t created, int64_t expires,
			       int64_t now);

unsigned int device_plan_retry(unsigned int failures);

/* What the link knows of its bound key. */
struct device_bound {
	uint32_t ifindex;
	uint32_t teid;
	bool bound;			/* false: no key of the link bound */
	uint8_t key_id;
	int32_t serial;
};

enum local_key_event device_plan_event(const struct device_bound *link,
				       const struct e2m_key_event *ev);

#endif /* E2MD_DEVICE_PLAN_H */
