// SPDX-License-Identifier: GPL-2.0
/*
 * The device role's decisions, see device_plan.h.
 */
#include <errno.h>
#include <string.h>

#include "device_plan.h"

int64_t device_plan_renew_wait(int64_t created, int64_t expires,
			       int64_t now)
{
	int64_t wait = local_key_plan_renew_at(created, expires) - now;
	int64_t floor = (expires - created) / 10;

	if (floor < DEVICE_RETRY_FIRST)
		floor = DEVICE_RETRY_FIRST;
	return wait > floor ? wait : floor;
}

unsigned int device_plan_retry(unsigned int failures)
{
	unsigned int wait = DEVICE_RETRY_FIRST;

	while (failures > 1 && wait < DEVICE_RETRY_MAX) {
		wait *= 2;
		failures--;
	}
	return wait < DEVICE_RETRY_MAX ? wait : DEVICE_RETRY_MAX;
}

enum local_key_event device_plan_event(const struct device_bound *link,
				       const struct e2m_key_event *ev)
{
	if (!link->bound || ev->ifindex != link->ifindex ||
	    ev->teid != link->teid)
		return LOCAL_KEY_EVENT_NONE;
	if (ev->has_key_id && ev->key_id != link->key_id)
		return LOCAL_KEY_EVENT_NONE;
	if (ev->has_serial && ev->serial != link->serial)
		return LOCAL_KEY_EVENT_NONE;
	return local_key_event_action(ev->cmd, ev->reason);
}
