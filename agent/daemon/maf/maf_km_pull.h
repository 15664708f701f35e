/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAF's Km-Id listener when its handshakes pull (roles.maf.km-pull:
 * true, e2m profile, Documentation/onem2m.md): the Enrolee of the
 * pre-provisioned framework names only its Km-Id, so when the MAF does
 * not hold that Km the handshake pauses while the MAF asks the MEF for
 * it by Km-Id (POST /onem2m/v1/km {"km-id"}, proto/onem2m/km_msg.h):
 *
 *	1. the PSK callback: a live Km of the Km-Id in the store is
 *	   given at once (no pull); a Km-Id that is none, or one of
 *	   another FQDN than roles.maf.name, fails the handshake
 *	2. else one MEF call (at most MAF_KM_PULLS_MAX at once), the
 *	   handshake paused (net/psk_await.h's key source, on
 *	   daemon/gba_listener.h's loop over TLS and net/dtls_server.h's
 *	   over DTLS when dtls-listen is set too, maf_dtls.h)
 *	3. the MEF's 200: Km whose Km-Id (derived here, from the MAF's
 *	   name) is the one asked, with its ke-id and enrolee-id, sealed
 *	   in the store as km-fetch keeps it (maf_km_store(), expiring
 *	   with the Ke), logged event=km-fetched ... via=handshake; the
 *	   handshake resumes with it. It is kept whether or not the peer
 *	   then proves it: it is the MAF's Km, as an operator's km-fetch
 *	   would keep it
 *	4. a refusal (404 unknown-km-id, 404 expired-ke, 403 ...), the
 *	   MEF away, an answer for another Km-Id, or a store failure:
 *	   logged event=km-fetch-failed km-id= ... via=handshake, counted
 *	   (fetch-failed), nothing stored, the handshake fails
 *	   (unknown_psk_identity; event=tls-refused with the reason)
 *
 * Inside the session the route of the evhttp listener it replaces:
 * GET /onem2m/v1/association -> 200 {"km-id", "enrolee-id", "ke-id"}.
 * The daemon's listeners: limits hold as on gba-listen.
 */
#ifndef E2MD_MAF_KM_PULL_H
#define E2MD_MAF_KM_PULL_H

#include <stddef.h>

#include "daemon/gba_listener.h"
#include "net/psk_await.h"

struct maf;

/* MEF calls of handshakes at once, per listener (TLS, DTLS). */
#define MAF_KM_PULLS_MAX	64

/*
 * The pulling key source (net/psk_await.h) of the Km-Id listeners: the
 * TLS one here, and the DTLS one (maf_dtls.h) with km-pull.
 */
struct psk_source maf_km_pull_source(struct maf *maf);

/* Listens on maf->conf->listen: 0 or a negative errno, why said. */
int maf_km_pull_new(struct gba_listener **listener, struct maf *maf,
		    char *why, size_t why_size);

#endif /* E2MD_MAF_KM_PULL_H */
