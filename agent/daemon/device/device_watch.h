/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A link's watch on its MT (seed 001 7.3, Documentation/
 * local-interface.md): the role keeps a connection of its own to the
 * link's MT open with one rekey-watch (NAF-ID, Device_ID) on it. When the
 * MT answers rekey-request (the MT's kernel saw the key mismatch, or its
 * key expired or was revoked, or the operator asked), judged by
 * local_key_plan_mt_answer(), the link runs the procedure again (the
 * stored key is not the MT's: renew, then bound make before break,
 * device_link.h) and a new watch is sent on a new connection. A refused
 * watch, a closed or failed connection is logged and tried again after
 * device_plan_retry() of the failures in a row (5 s, doubled up to
 * 300 s); a rekey-request ends the row.
 */
#ifndef E2MD_DEVICE_WATCH_H
#define E2MD_DEVICE_WATCH_H

#include "role_device.h"

/* Opens the link's watch (now): 0 or -ENOMEM. */
int device_watch_start(struct device_link *link);

/* Closes it; no retry. */
void device_watch_stop(struct device_link *link);

#endif /* E2MD_DEVICE_WATCH_H */
