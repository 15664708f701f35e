/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's enrolment (TS-0003 8.3.2.1 "Enrolment Key Generation", e2m
 * profile message proto/onem2m/enrol_msg.h), on a TLS 1.2 session whose
 * PSK was the Kpm of the KpmId the client named:
 *
 *	1. a JSON body, else 415 unsupported-media-type / 400 bad-request
 *	2. the Bootstrap Instruction Configuration of that KpmId must be
 *	   the request's (Enrolee-ID, and the same MAF-ID or Enrolee-B-ID),
 *	   else 403 not-configured
 *	3. Ke = the session's RFC 5705 exporter (crypto/onem2m_tls.h),
 *	   KeId = base64(...) "@" mef.name, stored sealed with
 *	   mef.key-lifetime; a store failure is 500 internal-error
 *	4. 200 {ke-id, expires, lifetime}
 *
 * Every answer closes the session (Connection: close): one Ke a session.
 * Logged event=ke-issued or ke-refused with kpm-id, ke-id, peer.
 */
#ifndef E2MD_MEF_ENROL_H
#define E2MD_MEF_ENROL_H

#include "net/http_server.h"

/* The route's handler; arg is the struct mef. */
void mef_enrol_request(struct http_exchange *ex, void *arg);

#endif /* E2MD_MEF_ENROL_H */
