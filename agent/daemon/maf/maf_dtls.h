/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAF's DTLS 1.2 listener (roles.maf.dtls-listen): the Enrolee's
 * association over UDP with the same framework as the TLS listener
 * (PROFILE.md 6): psk_identity = Km-Id, psk = Km (from the store), the
 * MEF's two suites, DTLS 1.2 only; net/dtls_server.h's cookie exchange,
 * and at most roles.maf.dtls-sessions sessions at once (a peer that
 * returns its cookie when all are taken is refused: event=dtls-full,
 * counted dtls-dropped). Inside the session, as over TLS:
 *
 *	GET /onem2m/v1/association -> 200 {"km-id", "enrolee-id", "ke-id"}
 *
 * 403 km-expired once Km has expired, 404 not-found for another path,
 * 405 method-not-allowed for another method, 400 bad-request for what is
 * not a request; then close_notify. A session lives MAF_DTLS_DEADLINE
 * seconds at most.
 *
 * With roles.maf.km-pull: true the keys are maf_km_pull.h's: a Km-Id not
 * held is asked of the MEF while the handshake pauses (net/dtls_server.h,
 * the session kept, its datagrams meanwhile dropped and counted
 * dtls-held-back, the deadline running on), and a refusal fails the
 * handshake with unknown_psk_identity (event=tls-refused with the
 * reason) instead of the decoy key's silent failure.
 */
#ifndef E2MD_MAF_DTLS_H
#define E2MD_MAF_DTLS_H

#include <stddef.h>

#include "net/dtls_server.h"

struct maf;

/*
 * Seconds, a session's life. With km-pull shorter than the MEF call's
 * own timeout (10 s, net/https_client.c) by more than the server's 1 s
 * tick, so that a session paused on a silent MEF ends at its deadline
 * (dtls-timeout, the call cancelled), not by the call failing.
 */
#define MAF_DTLS_DEADLINE	8

/*
 * The answer to the association's GET in session s: 200 and *text (freed
 * with ub_json_text_free()), else 403 (Km gone) or 500.
 */
typedef int (*maf_dtls_answer)(struct maf *maf, struct dtls_session *s,
			       char **text);

/*
 * A request inside one of the MAF's DTLS sessions (dtls-listen's and
 * gba-dtls-listen's): counted in requests; 400, 404 or 405 for anything
 * but the association's GET (above), else answer's.
 */
void maf_dtls_serve(struct dtls_session *s, const struct http_request *req,
		    struct maf *maf, maf_dtls_answer answer);

/* Listens on maf->conf->dtls_listen: 0 or a negative errno, why said. */
int maf_dtls_new(struct dtls_server **dtls, struct maf *maf, char *why,
		 size_t why_size);

#endif /* E2MD_MAF_DTLS_H */
