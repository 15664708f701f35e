/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's DTLS 1.2 listener (roles.mef.dtls-listen), the same framework
 * as the TLS one over UDP (TS-0003 8.3.2.1 "(D)TLS-PSK", PROFILE.md 6):
 * psk_identity = KpmId, psk = Kpm, the same two suites, then the same
 * enrolment (mef_enrol.h) as one HTTP/1.1 request in the session's
 * application data and one answer, then close_notify.
 *
 * The server is net/dtls_server.h's (cookie exchange, bounded sessions,
 * retransmission): at most roles.mef.dtls-sessions sessions, each living
 * MEF_DTLS_DEADLINE seconds from its first datagram.
 */
#ifndef E2MD_MEF_DTLS_H
#define E2MD_MEF_DTLS_H

#include <stddef.h>

#include "net/dtls_server.h"

struct mef;

#define MEF_DTLS_DEADLINE	10	/* seconds, a session's life */

/* Listens on mef->conf->dtls_listen: 0 or a negative errno, why said. */
int mef_dtls_new(struct dtls_server **dtls, struct mef *mef, char *why,
		 size_t why_size);

#endif /* E2MD_MEF_DTLS_H */
