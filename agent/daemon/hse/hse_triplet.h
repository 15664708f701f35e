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

#include "hse.h"
#include "net/http_server.h"

/* The route's handler; arg is the struct hse. */
void hse_triplet_request(struct http_exchange *ex, void *arg);

#endif /* E2MD_HSE_TRIPLET_H */
