/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's key set pull (Documentation/best.md, "Key set pull: HSE ->
 * HSS"): POST /e2m/v1/keyset on the HSS, for the flow of a TEID. At most
 * one pull per TEID is in flight (hse_pull_running()): a burst of events
 * for one flow makes one pull. A pull started is queued until the end of
 * the loop's turn; then the turn's pulls go out together, up to
 * BEST_BATCH_MAX in one POST /e2m/v1/keysets (batch_msg.h), a lone one
 * on /e2m/v1/keyset as before. Each pull of a batch ends as it would have
 * alone: its result's 200, 404 no-keyset or other error maps to the
 * results below exactly as the single answer does, and an answer to the
 * whole request that is not 200 with its results (no answer, an error,
 * a malformed body) ends each pull as it would have ended one.
 *
 * done is called exactly once per started pull, with the key set (valid
 * during the call only, wiped after it) or why there is none:
 *
 *	HSE_PULL_OK		ks set
 *	HSE_PULL_NO_KEYSET	404 no-keyset: the HSS's window is over
 *	HSE_PULL_REFUSED	another answer of the HSS (detail: its error)
 *	HSE_PULL_UNAVAILABLE	no answer, a malformed one, or the HSE is
 *				stopping (detail: why)
 */
#ifndef E2MD_HSE_PULL_H
#define E2MD_HSE_PULL_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/best/keyset_msg.h"
#include "hse.h"

enum hse_pull_result {
	HSE_PULL_OK,
	HSE_PULL_NO_KEYSET,
	HSE_PULL_REFUSED,
	HSE_PULL_UNAVAILABLE,
};

typedef void (*hse_pull_done)(struct hse *hse, enum hse_pull_result result,
			      const struct keyset_response *ks,
			      const char *detail, void *arg);

/*
 * Pulls the key set of req for the flow of teid. 0, -EBUSY (a pull for
 * teid is in flight), or another negative errno: done is then not called.
 */
int hse_pull_start(struct hse *hse, uint32_t teid,
		   const struct keyset_request *req, hse_pull_done done,
		   void *arg);

bool hse_pull_running(const struct hse *hse, uint32_t teid);

/*
 * A triplet outranks a pull a kernel event started for the same flow:
 * that one ends (done gets HSE_PULL_UNAVAILABLE, "superseded") so the
 * triplet's pull can start. Returns whether one was ended.
 */
bool hse_pull_supersede(struct hse *hse, uint32_t teid);

/* Ends every pull in flight: each done gets HSE_PULL_UNAVAILABLE. */
void hse_pull_cancel_all(struct hse *hse);

#endif /* E2MD_HSE_PULL_H */
