/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's side of a long-term key update (seed 004 step 6,
 * Documentation/key-update.md), on the Zh listener:
 *
 *	POST /keyupdate/v1/keys		a provisioning server (hss.prov-clients)
 *					switches a subscriber's K and OPc
 *
 * The messages are proto/keyupdate/hss_update_msg.h's. The switch is
 * store_subscriber_update_keys(): K, OPc and the update counter in one
 * transaction, the SQN kept, durable before the 200. Answers other than
 * 200 carry ub_json.h's error body, and change nothing:
 *
 *	400 bad-request		not such a request (detail says why)
 *	403 forbidden		the client is not in hss.prov-clients (or
 *				the list is empty: none may)
 *	404 unknown-subscriber	no subscriber has that IMSI
 *	409 stale-counter	the counter is not above the last one this
 *				subscriber's keys were switched by (a
 *				replayed or old update)
 *	500 internal-error	the store failed
 *
 * and 404 not-found, 405, 415 as on Zh. The same update sent again (same
 * counter, same keys) is answered 200 with "switched": false. Logged:
 * keys-updated (imsi, counter, switched, peer) and key-update-refused;
 * never a key or a KCV.
 */
#ifndef E2MD_HSS_KEYUPDATE_H
#define E2MD_HSS_KEYUPDATE_H

#include <jansson.h>

#include "hss_config.h"
#include "net/http_server.h"

struct daemon;
struct hss_keyupdate;

/* Routes the path on zh. 0, or a negative errno after logging. */
int hss_keyupdate_new(struct hss_keyupdate **ku, struct daemon *daemon,
		      const struct config_hss *conf, struct http_server *zh);

/* A new configuration: its prov-clients from now on. */
void hss_keyupdate_reload(struct hss_keyupdate *ku,
			  const struct config_hss *conf);

/* Adds the key update counters to counters; 0 or -ENOMEM. */
int hss_keyupdate_status(const struct hss_keyupdate *ku, json_t *counters);

/* NULL is fine. */
void hss_keyupdate_free(struct hss_keyupdate *ku);

#endif /* E2MD_HSS_KEYUPDATE_H */
