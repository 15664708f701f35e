/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Step 6 of the key updates role prov runs: once a USIM's result has
 * verified (the record usim-done, store.h), the HSS at roles.prov.hss-url
 * gets the subscriber's new K and OPc (proto/keyupdate/hss_update_msg.h),
 * and the record becomes hss-done when the HSS answers 200 with the
 * IMSI, counter and KCVs of the update (switched or already switched).
 *
 * The HSS may be down, or e2md may have been killed between the USIM's
 * result and the HSS's answer: at start, and after each failed call
 * with a back-off (prov_hss_plan.h: 2 s doubling to 300 s, reset by a
 * success), the usim-done records are sent again, one call at a time,
 * in turn by ICCID, until the HSS takes them. An answer that says it
 * never will (409 stale-counter, 404 unknown-subscriber, 400, 403) is
 * logged as an error (event=hss-refused) and tried again all the same:
 * the operator must look, and the USIM keeps its old keys working
 * meanwhile. Failures are logged when they change (the plan says when),
 * not at each call.
 */
#ifndef E2MD_PROV_HSS_H
#define E2MD_PROV_HSS_H

#include <stdbool.h>

#include <jansson.h>

#include "prov_config.h"
#include "prov_hss_plan.h"

/* What the metrics show (role_prov.c), since the start. */
struct prov_hss_counts {
	unsigned long long switched;	/* records made hss-done */
	unsigned long long failed;	/* calls without a good answer */
	unsigned long long retries;	/* calls made after a failed one */
	/* the HSS's 4xx answers, by error token */
	unsigned long long refusals[PROV_HSS_REASONS];
};

struct daemon;
struct prov_hss;

/* 0, or a negative errno after logging. */
int prov_hss_new(struct prov_hss **hss, struct daemon *daemon,
		 const struct config_prov *conf);

/* A record just became usim-done: send it now (if no call is running). */
void prov_hss_kick(struct prov_hss *hss);

/* The new settings; then a round at once, whatever the back-off. */
void prov_hss_reload(struct prov_hss *hss, const struct config_prov *conf);

/* The daemon stops: the call in flight goes on, no new one starts. */
void prov_hss_stop(struct prov_hss *hss);

/* Whether a call is in flight. */
bool prov_hss_busy(const struct prov_hss *hss);

/* Adds its counters; 0 or -ENOMEM. */
int prov_hss_status(const struct prov_hss *hss, json_t *counters);

const struct prov_hss_counts *prov_hss_counts(const struct prov_hss *hss);
/* The back-off's last delay in seconds; 0 once a call succeeded. */
unsigned int prov_hss_retry_delay(const struct prov_hss *hss);

/* Cancels a call in flight. NULL is fine. */
void prov_hss_free(struct prov_hss *hss);

#endif /* E2MD_PROV_HSS_H */
