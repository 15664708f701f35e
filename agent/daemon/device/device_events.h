/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's key events on the device role (the e2m events group, as
 * the HSE reads it), on the daemon's loop: an E2M_CMD_EVENT_KEY for a
 * link's flow and its bound key runs that link at once, as
 * device_plan_event() says: key expired, revoked or invalid: establish
 * (the stored key first, installed again); key mismatch or MAC failures:
 * renew (the procedure; the stored key is not the MT's). Events of other
 * flows, and of keys a link has moved away from, are counted and left.
 * Joined only where a link has a flow.
 */
#ifndef E2MD_DEVICE_EVENTS_H
#define E2MD_DEVICE_EVENTS_H

#include "role_device.h"

/* Joins the group, reads it from the loop. 0, or -errno after logging. */
int device_events_start(struct device *device);
void device_events_stop(struct device *device);

#endif /* E2MD_DEVICE_EVENTS_H */
