/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's DTLS 1.2 listener (roles.mef.dtls-listen), the same framework
 * as the TLS one over UDP (TS-0003 8.3.2.1 "(D)TLS-PSK", PROFILE.md 6):
 * psk_identity = KpmId, psk = Kpm, the same two suites, then the same
 * enrolment (mef_enrol.h) as one HTTP/1.1 request in the session's
 * application data and one answer, then close_notify.
 *
 * One UDP socket on the daemon's loop; OpenSSL's DTLS server runs each
 * peer's session over memory BIOs (one datagram in, what it writes out
 * as one datagram):
 *
 *	- cookie exchange on (SSL_OP_COOKIE_EXCHANGE): the first
 *	  ClientHello gets a HelloVerifyRequest whose cookie is
 *	  HMAC-SHA-256(a secret drawn at start, the peer's address and
 *	  port), first 16 octets; a ClientHello whose cookie is not that
 *	  fails (RFC 6347 4.2.1)
 *	- bounded per-peer state: at most MEF_DTLS_PEERS_MAX sessions, each
 *	  living MEF_DTLS_DEADLINE seconds from its first datagram; a
 *	  datagram from a new peer when all are taken is dropped and counted
 *	- retransmission: DTLSv1_handle_timeout() every tick
 *
 * A refused handshake is logged by net/tls_psk.h (event=tls-refused).
 */
#ifndef E2MD_MEF_DTLS_H
#define E2MD_MEF_DTLS_H

#include <stdbool.h>
#include <stddef.h>

struct mef;
struct mef_dtls;

#define MEF_DTLS_PEERS_MAX	256
#define MEF_DTLS_DEADLINE	10	/* seconds, a session's life */
#define MEF_DTLS_COOKIE_LEN	16

/* Listens on mef->conf->dtls_listen: 0 or a negative errno, why said. */
int mef_dtls_new(struct mef_dtls **dtls, struct mef *mef, char *why,
		 size_t why_size);
const char *mef_dtls_address(const struct mef_dtls *dtls);
/* Sessions open, datagrams dropped for want of room. */
size_t mef_dtls_sessions(const struct mef_dtls *dtls);
unsigned long long mef_dtls_dropped(const struct mef_dtls *dtls);
void mef_dtls_free(struct mef_dtls *dtls);

#endif /* E2MD_MEF_DTLS_H */
