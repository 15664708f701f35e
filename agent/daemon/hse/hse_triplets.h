/* SPDX-License-Identifier: GPL-2.0 */
/*
 * POST /e2m/v1/triplets on the HSE (Documentation/best.md, "Batches"):
 * up to BEST_BATCH_MAX triplets in one request, {"triplets": [triplet,
 * ...]}, answered 200 {"results": [...]} once every one of them has its
 * answer: each result what POST /e2m/v1/triplet would have answered
 * for it (hse_triplet.h), its status as "status". Each triplet runs as
 * one on the single route does, beside the others: a 200 only once its
 * row is committed (the group commit takes the rows of a batch
 * together), teid-in-use, stale-run and ksi-in-use as there, and one
 * bad triplet refuses that triplet only. The request as a whole is
 * refused as the single route refuses one (403, 415), or 400
 * bad-request when it is not a batch (batch_msg.h); then nothing runs.
 */
#ifndef E2MD_HSE_TRIPLETS_H
#define E2MD_HSE_TRIPLETS_H

#include "hse.h"
#include "net/http_server.h"

/* The route's handler; arg is the struct hse. */
void hse_triplets_request(struct http_exchange *ex, void *arg);

#endif /* E2MD_HSE_TRIPLETS_H */
