/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's answers to the device's messages (Documentation/
 * local-interface.md): each planned by mt_plan_message(), then done.
 *
 * A B-TID request (step 5) is answered at once when the USIM has a
 * bootstrap with MT_LIFETIME_MIN left (the optimised procedure, no Ub
 * run); otherwise the MT starts the Ub run (steps 6-7; one at a time:
 * requests of other links wait for the same run) and the link waits.
 * Then Ks_(ext)_NAF for FQDN || FF 00 00 00 01 (GBA_ME by the ME from
 * the session, GBA_U by the USIM), Ks_local (step 8), the ks_local key
 * in the keyring, the row in the store, and only then the answer
 * (step 9). A completion notice (step 18) marks the row.
 */
#ifndef E2MD_MT_REQUEST_H
#define E2MD_MT_REQUEST_H

#include <stdbool.h>

#include "mt_link.h"

/*
 * Handles msg (parsed) from link: true when the link now waits for the
 * Ub run (msg is kept in link->request), false when it was answered.
 */
bool mt_request_handle(struct mt *mt, struct mt_link *link,
		       const struct local_msg *msg);

/* Cancels the Ub run, if any (the role ends). */
void mt_request_cancel(struct mt *mt);

/* The NAF_Id of a Key Centre FQDN: FQDN || FF 00 00 00 01; its length. */
int mt_naf_id(uint8_t out[STORE_NAF_ID_MAX], const char *fqdn);

#endif /* E2MD_MT_REQUEST_H */
