/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's own kernel's key events (kernel/, E2M_CMD_EVENT_KEY): for a
 * flow bound to a Ks_local the MT issued (the event's key serial is a
 * row's), the reason mt_plan_event() gives (key mismatch by the kernel's
 * rule, the key expired or revoked) asks the device of that row, on its
 * rekey-watch, to establish the key again (mt_watch_rekey(): rate-limited;
 * no watch: logged and counted). Without the e2m module the MT runs
 * without them and says so once.
 */
#ifndef E2MD_MT_EVENTS_H
#define E2MD_MT_EVENTS_H

#include <stdint.h>

#include "role_mt.h"

/* Joins the event group: 0, or -errno (logged; the MT goes on). */
int mt_events_start(struct mt *mt);
void mt_events_stop(struct mt *mt);

/*
 * The MT's newest row of serial (when > 0), else of (naf_fqdn,
 * device_id), into *row and its NAF-ID into fqdn: 0, -ENOENT, or the
 * store's error.
 */
int mt_key_find(struct mt *mt, int32_t serial, const char *naf_fqdn,
		const char *device_id, struct store_mt_key_info *row,
		char fqdn[DNS_NAME_MAX + 1]);

#endif /* E2MD_MT_EVENTS_H */
