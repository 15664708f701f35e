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

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "net/http_server.h"

struct mef;

/* Where a request came from, over TLS (evhttp) or DTLS (mef_dtls.h). */
struct mef_origin {
	SSL *ssl;			/* the session, for the exporter */
	const char *kpm_id;		/* the identity it proved */
	const char *peer;		/* "IP:port", for logs */
	const char *transport;		/* "tls" or "dtls", for logs */
	/* The answer: token NULL for 200; body NULL for none. */
	void (*reply)(struct mef_origin *o, int status, const char *token,
		      const char *body, size_t len);
};

/* One request's body (json: its media type is application/json). */
void mef_enrol_handle(struct mef *mef, struct mef_origin *o, bool json,
		      const char *body, size_t len);

/* The route's handler over TLS; arg is the struct mef. */
void mef_enrol_request(struct http_exchange *ex, void *arg);

#endif /* E2MD_MEF_ENROL_H */
