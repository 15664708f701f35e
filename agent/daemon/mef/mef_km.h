/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's side of Centralized Key Distribution (oneM2M TS-0003
 * 8.3.2.1, proto/onem2m/km_msg.h): POST /onem2m/v1/km on roles.mef's
 * km-listen, over mutual TLS. The MAF is known by its certificate; the
 * MEF answers Km = KDF(Ke, 0xFF 0xE7, "Km", MAF-ID, Enrolee-ID) only for
 * a Ke whose Bootstrap Instruction Configuration names that MAF:
 *
 *	403 forbidden		the certificate names no entry of
 *				maf-clients (or the list is empty)
 *	415			a body that is not application/json
 *	400 bad-request		a body that is not the request
 *	404 unknown-ke		no Ke of that KeId
 *	404 expired-ke		the Ke's lifetime is over
 *	403 not-configured	the Ke was not configured for an Enrolee of
 *				that Enrolee-ID and a MAF whose MAF-ID is a
 *				DNS name of the certificate
 *	500 internal-error	the store failed
 *
 * Asked by Km-Id ({"km-id"} alone, mef_km_id.h), the MEF looks among
 * the Kes configured for a MAF-ID of the certificate:
 *
 *	404 unknown-km-id	none gives that Km-Id (also a Ke of another
 *				MAF, or one purged)
 *	404 expired-ke		the one that does has expired
 *
 * and the 200 names its ke-id and enrolee-id beside Km.
 *
 * Each answer is logged (event=km-issued / km-refused), never a key.
 *
 * POST /onem2m/v1/kpsa on the same listener is Enrolee B's: the same
 * checks and answers with enrolee-b-clients for maf-clients and an
 * Enrolee-B-ID for the MAF-ID, Kpsa = KDF(Ke, 0xFF 0xE7, "Kpsa",
 * Enrolee-B-ID, Enrolee-ID), logged kpsa-issued / kpsa-refused.
 */
#ifndef E2MD_MEF_KM_H
#define E2MD_MEF_KM_H

#include "net/http_server.h"

/* The route's handler; arg is the struct mef. */
void mef_km_request(struct http_exchange *ex, void *arg);
void mef_kpsa_request(struct http_exchange *ex, void *arg);

#endif /* E2MD_MEF_KM_H */
