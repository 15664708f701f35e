/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Enrolee's association key for a target, as e2mctl onem2m associate
 * uses it and onem2m handoff gives it to an application
 * (Documentation/onem2m.md, PROFILE.md 6):
 *
 * - from a Ke in the Enrolee's store (8.3.2.1): Km = KDF(Ke, "Km", MAF-ID,
 *   Enrolee-ID) for a Ke configured for a MAF, Kpsa for one configured for
 *   an Enrolee B; its id (Km-Id, Kpsa-Id) "@" the target; it expires with
 *   the Ke;
 * - from a USIM's bootstrap (8.3.3.1): Ks_NAF (GBA_ME) or Ks_ext_NAF
 *   (GBA_U) for NAF_Id = target || FF 00 00 00 02, KeId the B-TID; the
 *   target a MAF, or an Enrolee B (Kpsa); it expires with the bootstrap.
 *   With uicc (the Enrolee's client in the UICC, GBA_U only): Ks_int_NAF,
 *   taken from the USIM's application interface (aka/usim.h), and the
 *   identity "3GPP-bootstrapping-uicc" || B-TID.
 */
#ifndef E2MCTL_ONEM2M_ASSOC_KEY_H
#define E2MCTL_ONEM2M_ASSOC_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/onem2m.h"
#include "net/tls_gba.h"
#include "store/store.h"

struct onem2m_assoc_key {
	/* In: the target's FQDN; with a bootstrap, an Enrolee B's. */
	const char *target;
	bool enrolee_b;
	bool uicc;			/* GBA_U, the client in the UICC */
	/* Out. ke.pub: KeId (the B-TID), configuration, expiry; ke.ke wiped */
	struct store_onem2m_ke ke;
	uint8_t key[ONEM2M_KEY_LEN];	/* Km or Kpsa */
	char key_id[ONEM2M_KEY_ID_MAX + 1];
	/* From a bootstrap: "3GPP-bootstrapping[-uicc]" || B-TID (TS 33.222). */
	char btid_identity[sizeof(TLS_GBA_HINT_UICC) + STORE_ONEM2M_KE_ID_MAX];
	bool gba;			/* from a bootstrap: no Ke */
};

/*
 * The key of Ke @ke_id, or of USIM @iccid's bootstrap (exactly one of
 * them), for @k->target: 0, or the exit status after a one-line error
 * naming @command (no such Ke or bootstrap, or it expired, or @k->uicc
 * with a GBA_ME USIM: EXIT_FAILURE).
 */
int onem2m_assoc_key_load(const char *command, struct store *store,
			  const char *ke_id, const char *iccid,
			  struct onem2m_assoc_key *k);

void onem2m_assoc_key_wipe(struct onem2m_assoc_key *k);

#endif /* E2MCTL_ONEM2M_ASSOC_KEY_H */
