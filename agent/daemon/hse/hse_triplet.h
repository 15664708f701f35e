/* SPDX-License-Identifier: GPL-2.0 */
/*
 * POST /e2m/v1/triplet on the HSE (Documentation/best.md, "Triplet: SGW
 * (P-GW) -> HSE"): the P-GW names an AKA run and the flow it protects;
 * the HSE pulls the run's key set from the HSS, installs it
 * (hse_install.h), keeps the flow's row (store table hse_flows) and
 * answers only then:
 *
 *	200 {imsi, teid, key-id, key-description}
 *	400 bad-request		not a triplet (detail: why)
 *	403 forbidden		the client is not in hse.clients
 *	409 teid-in-use		another IMSI has that TEID
 *	502 keyset-unavailable	the HSS answered with an error (detail)
 *	503 hss-unavailable	no answer from the HSS
 *	500 kernel-error	the kernel refused (detail: its extack)
 *
 * and 415, 404, 405 as every JSON route. A refused triplet leaves
 * nothing behind. Logged: event=triplet (each answered one),
 * keyset-pulled, flow-created or rekeyed; never a key.
 */
#ifndef E2MD_HSE_TRIPLET_H
#define E2MD_HSE_TRIPLET_H

#include <jansson.h>

#include "hse.h"
#include "net/http_server.h"

/* The route's handler; arg is the struct hse. */
void hse_triplet_request(struct http_exchange *ex, void *arg);

/*
 * For the batch (hse_triplets.h): the body of a request from a client in
 * hse.clients with the JSON media type, or NULL after answering the
 * request with the refusal (403, 415, 500).
 */
const char *hse_triplet_body(struct hse *hse, struct http_exchange *ex,
			     size_t *len);

/* Logs event=triplet with the refusal and answers ex with it. */
void hse_triplet_refuse(struct http_exchange *ex, int status,
			const char *token, const char *detail);

/*
 * Where a batched triplet's answer goes: status and the body the single
 * route would have sent (an error body, or the 200's) as an object, not
 * written out (the batch's answer is, once), NULL if even an error body
 * could not be built. Called exactly once per started triplet, possibly
 * before hse_triplet_start() returns; body is the callee's reference.
 */
typedef void (*hse_triplet_answer_fn)(void *arg, int status, json_t *body);

/*
 * Runs the triplet in text (one item of a batch from ex's client) as
 * the route runs one: every check, pull, install, row and log line the
 * same, the answer to answer(arg, ...) in place of ex. answer NULL: the
 * answer goes on ex (the single route).
 */
void hse_triplet_start(struct hse *hse, struct http_exchange *ex,
		       const char *text, size_t len,
		       hse_triplet_answer_fn answer, void *arg);
/*
 * The same for an item of a batch already loaded (best_batch_load()):
 * read where it lies rather than written out and parsed again; an item
 * that is not an object goes through its text, for the same refusal.
 */
void hse_triplet_start_item(struct hse *hse, struct http_exchange *ex,
			    const json_t *item, hse_triplet_answer_fn answer,
			    void *arg);

#endif /* E2MD_HSE_TRIPLET_H */
