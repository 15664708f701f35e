/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's side of BEST (Documentation/best.md), on the Zh listener:
 *
 *	POST /e2m/v1/av		an SGW (hss.sn-clients) asks for one vector
 *	POST /e2m/v1/keyset	an HSE (hss.hse-clients) pulls a key set
 *	POST /e2m/v1/keysets	an HSE pulls up to BEST_BATCH_MAX at once
 *
 * For a subscriber with the e2m flag (STORE_SUB_E2M) the vector's AMF has
 * bit 1 set, the serving network gets CK', IK' (UMTS) or KASME' (EPS) in
 * place of CK, IK or KASME, and the key set (best/e2m_aka.h) goes into
 * the window (hss_window.h) for hss.e2m.window seconds, whence the HSE
 * pulls it. EPS vectors also have the separation bit (AMF bit 0, TS
 * 33.401 6.1.1). Errors carry ub_json.h's body:
 *
 *	AV request			key set pull
 *	400 bad-request			400 bad-request
 *	403 forbidden (sn-clients)	403 forbidden (hse-clients, or
 *					it is empty)
 *	403 resync-failed		404 no-keyset (never made, or over)
 *	404 unknown-subscriber
 *	500 internal-error		500 internal-error
 *
 * and, for both, 404 not-found, 405, 415 as on Zh. A batch of pulls is
 * refused as a whole (400, 403, 415) as one pull is; past that it is a
 * 200 with each pull's own answer (batch_msg.h), each pull logged and
 * counted as one on /e2m/v1/keyset is. Logged: av-issued
 * (imsi, sqn, aka, e2m, peer), av-refused, keyset-pulled (imsi, sqn, by,
 * peer), keyset-refused, keyset-evicted; never a key.
 */
#ifndef E2MD_HSS_BEST_H
#define E2MD_HSS_BEST_H

#include <jansson.h>

#include "hss_config.h"
#include "net/http_server.h"

struct daemon;
struct hss_best;

/* Routes the two paths on zh. 0, or a negative errno after logging. */
int hss_best_new(struct hss_best **best, struct daemon *daemon,
		 const struct config_hss *conf, struct http_server *zh);

/* A new configuration: lists now, window for new key sets. */
void hss_best_reload(struct hss_best *best, const struct config_hss *conf);

/* Adds the BEST counters to counters; 0 or -ENOMEM. */
int hss_best_status(const struct hss_best *best, json_t *counters);

/* Wipes the window. NULL is fine. */
void hss_best_free(struct hss_best *best);

#endif /* E2MD_HSS_BEST_H */
