/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAF's GBA listener over DTLS 1.2 (roles.maf.gba-dtls-listen,
 * TS-0003 8.3.3.1 with TS 33.222, e2m profile for DTLS): gba-listen's
 * handshake (maf_gba.h) on UDP, net/dtls_server.h's sessions with its
 * cookie exchange and the bound roles.maf.dtls-sessions. The Enrolee
 * names "3GPP-bootstrapping" || B-TID (or "-uicc"), the hint
 * "3GPP-bootstrapping" is sent, and the key source is the NAF key over
 * Zn (daemon/gba_zn_key.h) for NAF_Id = name || FF 00 00 00 02, the
 * handshake paused meanwhile (the session kept, its datagrams dropped
 * and counted dtls-held-back, the deadline MAF_DTLS_DEADLINE running
 * on). The same Km as over TLS (Ks_(ext_)NAF, -uicc Ks_int_NAF), the
 * same refusals (unknown or expired B-TID, naf-not-authorised, a USS
 * entry without flag 1, -uicc on GBA_ME, the BSF unavailable: the
 * handshake fails with unknown_psk_identity, event=tls-refused with the
 * reason, nothing stored; a wrong key is dropped without an alert as
 * DTLS does, event=dtls-timeout), the same suites (PSK-AES128-CCM8,
 * PSK-AES128-GCM-SHA256), Km kept once proved (event=km-fetched
 * via=handshake), and inside the session the same route:
 *
 *	GET /onem2m/v1/association -> 200 {"km-id", "enrolee-id", "ke-id"}
 *
 * 403 km-expired, 404 not-found, 405 method-not-allowed, 400
 * bad-request as on dtls-listen. Counted with gba-listen's
 * gba-handshakes and gba-pulls, and its requests in requests.
 */
#ifndef E2MD_MAF_GBA_DTLS_H
#define E2MD_MAF_GBA_DTLS_H

#include <stddef.h>

#include "net/dtls_server.h"

struct maf;
struct maf_gba_dtls;

/* Listens on maf->conf->gba_dtls_listen: 0 or a negative errno, why said. */
int maf_gba_dtls_new(struct maf_gba_dtls **gba, struct maf *maf, char *why,
		     size_t why_size);
/* Its sessions' fetches cancelled, then its Zn key source. */
void maf_gba_dtls_free(struct maf_gba_dtls *gba);

/* The server, for its address and counts; NULL for NULL. */
struct dtls_server *maf_gba_dtls_server(struct maf_gba_dtls *gba);

#endif /* E2MD_MAF_GBA_DTLS_H */
