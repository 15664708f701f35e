/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One link of the device role (role_device.h) run: its Ks_local
 * established or the stored one used (ue/local_key.h), bound to the
 * link's flow as local_key_plan_bind() says (ue/local_link.h), the key
 * it replaced revoked only after that, and the next run timed: the
 * renewal (local_key_plan_renew_at()) after a success,
 * device_plan_retry() after a failure.
 */
#ifndef E2MD_DEVICE_LINK_H
#define E2MD_DEVICE_LINK_H

#include <stdbool.h>

#include "role_device.h"

/* The link's first run, at once (on the loop): 0 or -ENOMEM. */
int device_link_start(struct device_link *link);

/* Runs the link now; renew: never the stored key. */
void device_link_run(struct device_link *link, bool renew);

void device_link_stop(struct device_link *link);

#endif /* E2MD_DEVICE_LINK_H */
