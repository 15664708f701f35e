/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's key events on the HSE (Documentation/best.md, "The HSE"),
 * read from the e2m events group on the daemon's loop:
 *
 *	E2M_CMD_EVENT_NO_KEY, and E2M_CMD_EVENT_KEY revoked, expired or
 *	invalid, for a flow of the store whose KSI slot is dead: pull the
 *	key set again (one pull per flow at a time) and bind it in place
 *	of the dead slot (key-rebound); the HSS has forgotten it (404
 *	no-keyset): aka-needed
 *	COUNT notify or exhausted, or the slot killed for failed MACs
 *	(the key set can never be bound again): aka-needed
 *
 * Events of other devices, of flows the HSE did not make, or of a key
 * set older than the flow's current one are counted and otherwise left.
 */
#ifndef E2MD_HSE_EVENTS_H
#define E2MD_HSE_EVENTS_H

#include "hse.h"

/* Joins the group, reads it from the loop. 0, or -errno after logging. */
int hse_events_start(struct hse *hse);
void hse_events_stop(struct hse *hse);

#endif /* E2MD_HSE_EVENTS_H */
