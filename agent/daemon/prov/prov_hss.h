/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Step 6 of the key updates role prov runs: once a USIM's result has
 * verified (the record usim-done, store.h), the HSS at roles.prov.hss-url
 * gets the subscriber's new K and OPc (proto/keyupdate/hss_update_msg.h),
 * and the record becomes hss-done when the HSS answers 200 with the
 * IMSI, counter and KCVs of the update (switched or already switched).
 *
 * The HSS may be down, or e2md may have been killed between the USIM's
 * result and the HSS's answer: every PROV_HSS_RETRY seconds, and at
 * start, each usim-done record is sent again, one call at a time, until
 * the HSS takes it. An answer that says it never will (409
 * stale-counter, 404 unknown-subscriber, 400, 403) is logged as an error
 * (event=hss-refused) and tried again all the same: the operator must
 * look, and the USIM keeps its old keys working meanwhile.
 */
#ifndef E2MD_PROV_HSS_H
#define E2MD_PROV_HSS_H

#include <stdbool.h>

#include <jansson.h>

#include "prov_config.h"

#define PROV_HSS_RETRY	2	/* seconds between rounds */

struct daemon;
struct prov_hss;

/* 0, or a negative errno after logging. */
int prov_hss_new(struct prov_hss **hss, struct daemon *daemon,
		 const struct config_prov *conf);

/* A record just became usim-done: send it now (if no call is running). */
void prov_hss_kick(struct prov_hss *hss);

void prov_hss_reload(struct prov_hss *hss, const struct config_prov *conf);

/* Whether a call is in flight. */
bool prov_hss_busy(const struct prov_hss *hss);

/* Adds its counters; 0 or -ENOMEM. */
int prov_hss_status(const struct prov_hss *hss, json_t *counters);

/* Cancels a call in flight. NULL is fine. */
void prov_hss_free(struct prov_hss *hss);

#endif /* E2MD_PROV_HSS_H */
