/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAF's GBA listener (roles.maf.gba-listen, TS-0003 8.3.3.1 with
 * TS 33.222): the association whose handshake pulls Km. The Enrolee
 * names its bootstrap, psk_identity "3GPP-bootstrapping" || B-TID (or
 * "3GPP-bootstrapping-uicc" || B-TID when its TLS client is in the
 * UICC), and proves Km; the MAF pulls the NAF key of that B-TID over Zn
 * (zn-url) during the handshake, paused meanwhile (daemon/gba_listener.h,
 * the listener the NAF Key Centre's gba-listen runs too):
 *
 *	NAF_Id	the MAF's name || FF 00 00 00 02 (UA_ID_ONEM2M, the
 *		oneM2M Ua id of the Zn pull of km-fetch: e2m profile, so
 *		that this Km is the one km-fetch --btid keeps, whatever
 *		the suite)
 *	Km	Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U); with -uicc
 *		Ks_int_NAF of a GBA_U bootstrap (the seed's "HTTP client
 *		in the UICC": the hint says it, no operator needed)
 *	suites	the association's: TLS 1.2, PSK-AES128-CCM8,
 *		PSK-AES128-GCM-SHA256 (PROFILE.md 6)
 *
 * The USS entry the BSF hands over must hold flag 1 (association), as
 * for km-fetch; a refusal fails the handshake (event=tls-refused with
 * the reason) and stores nothing. Once the handshake is done (the peer
 * has proved Km), Km is sealed in the store as km-fetch keeps it: its
 * Km-Id derived, KeId = the B-TID, Enrolee-ID = the IMPI of the Zn
 * answer (e2m profile: nobody names another), expiring with the
 * bootstrap; logged event=km-fetched ... via=handshake. From then on
 * the Km-Id listeners take it as well. Inside the session the same
 * route as there:
 *
 *	GET /onem2m/v1/association -> 200 {"km-id", "enrolee-id", "ke-id"}
 *
 * (403 km-expired when the Km is gone since). The listener's own
 * refusals are logged event=association-refused.
 */
#ifndef E2MD_MAF_GBA_H
#define E2MD_MAF_GBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/gba_listener.h"

struct maf;

/*
 * What the TLS listener here and the DTLS one (maf_gba_dtls.h) share:
 * NAF_Id's Ua id (UA_ID_ONEM2M) and name (arg the maf), the judge of a
 * Zn answer (flag 1; Km), Km kept once proved (maf_gba_keep(): 0 or
 * logged and counted fetch-failed), and the association's answer on
 * the Km of a Zn answer (maf_association_answer()'s statuses).
 */
extern const uint8_t maf_gba_ua_id[GBA_UA_ID_LEN];
/* The Zn pull of a GBA identity's Km, both listeners' (gba_zn_key.h). */
struct gba_zn_key_conf maf_gba_zn_key(struct maf *maf);
const char *maf_gba_name(void *arg);
const char *maf_gba_judge(void *arg, bool uicc,
			  const struct zn_key_response *zn,
			  const uint8_t **key);
int maf_gba_keep(struct maf *maf, bool uicc, const struct zn_key_response *zn);
int maf_gba_answer(struct maf *maf, bool uicc,
		   const struct zn_key_response *zn, char **text);

/* Listens on maf->conf->gba_listen: 0 or a negative errno, why said. */
int maf_gba_new(struct gba_listener **gba, struct maf *maf, char *why,
		size_t why_size);

#endif /* E2MD_MAF_GBA_H */
