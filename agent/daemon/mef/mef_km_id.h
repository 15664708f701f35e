/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's Ke of a Km-Id (e2m profile, Documentation/onem2m.md): a MAF
 * that an Enrolee named only a Km-Id asks for Km by it. A Km-Id is
 * base64(KDF(Km, ...)) "@" the MAF's FQDN, so nothing in it leads to
 * its Ke: the MEF derives the Km-Id of every Ke (live or expired, not
 * yet purged) configured for a MAF-ID the client's certificate names,
 * and takes the one that matches. The FQDN after "@" is the asking
 * MAF's own (roles.maf.name) and is taken as given: the certificate
 * already bounds which Kes are looked at.
 *
 * Cost: one pass over the onem2m_kes rows (no key read), then for each
 * Ke of this MAF one unseal (AES-256-GCM) and three HMAC-SHA-256 (Km,
 * Km-Id), until the match; no index, so no migration. A MAF asks only
 * for a Km-Id it does not hold, once per Km.
 */
#ifndef E2MD_MEF_KM_ID_H
#define E2MD_MEF_KM_ID_H

#include "net/tls.h"
#include "store/store.h"

/*
 * The Ke whose Km for its MAF-ID and Enrolee-ID has Km-Id km_id, of a
 * MAF-ID peer names: 0 with *ke (wipe it), -ENOENT, or the store's
 * negative errno.
 */
int mef_km_id_find(struct store *store, const struct tls_peer *peer,
		   const char *km_id, struct store_onem2m_ke *ke);

#endif /* E2MD_MEF_KM_ID_H */
