/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW (P-GW) to the HSE: the triplet of BEST step 6
 * (proto/best/triplet_msg.h), POST /e2m/v1/triplet over mutual TLS, once the
 * UE's RES has verified. It carries the PCO's IMSI and RAND (or SQN), the
 * run's KSI, both TEIDs and the UE's addresses. The SGW answers the UE
 * only when the HSE has answered:
 *
 *	200 from the HSE	the UE's 200 {imsi, ksi, hse, inner-ipv4};
 *				the IMSI is attached (a re-attach with the
 *				same UE TEID kept its HSE TEID: a rekey)
 *	another status		502 hse-refused, detail "<status> <error>:
 *				<the HSE's detail>"
 *	no answer		503 hse-unavailable
 *
 * On a refusal a freshly held HSE TEID is released; a context being
 * rekeyed stays as it was.
 */
#ifndef E2MD_SGW_HSE_H
#define E2MD_SGW_HSE_H

#include "proto/best/attach_msg.h"
#include "role_sgw.h"

/*
 * Sends the triplet of the verified run s (its RES checked, pco the UE's)
 * for the exchange ex; ex is answered when the HSE has.
 */
void sgw_hse_send_triplet(struct sgw *sgw, struct http_exchange *ex,
			  const struct sgw_session *s,
			  const struct attach_pco *pco);

#endif /* E2MD_SGW_HSE_H */
