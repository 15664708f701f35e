/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAF's Km fetch from the MEF (proto/onem2m/km_msg.h; on an Enrolee B,
 * as: enrolee-b, its Kpsa fetch, POST /onem2m/v1/kpsa), and the admin
 * commands over it:
 *
 *	km-fetch {"ke-id" | "btid", "enrolee-id", "uicc", "wait"}
 *						starts a fetch; the outcome
 *						is logged (event=km-fetched
 *						with the Km-Id, or
 *						km-fetch-failed with the
 *						MEF's or the BSF's status and
 *						token) and counted; with
 *						"btid" over Zn (the GBA-based
 *						framework, role_maf.h).
 *						Answers at once, or with
 *						"wait": true when the fetch
 *						ends: km-id (kpsa-id on an
 *						Enrolee B), ke-id,
 *						enrolee-id, expires; or the
 *						error, "the MEF answered 403
 *						not-configured: ..."
 *	km-list					the live Kms: km-id, ke-id,
 *						enrolee-id, expires; never Km
 *	km-remove {"km-id"}			removes the Km (Kpsa) of that
 *						Km-Id (Kpsa-Id) now, and its
 *						key from the application's
 *						keyring (handoff); logged
 *						km-removed; "no Km of that
 *						Km-Id" when none
 */
#ifndef E2MD_MAF_FETCH_H
#define E2MD_MAF_FETCH_H

#include "daemon/roles.h"
#include "role_maf.h"

/* Starts the fetch of (ke_id, enrolee_id): 0 or -ENOMEM. */
int maf_fetch(struct maf *maf, const char *ke_id, const char *enrolee_id);

/*
 * Starts the pull of Km for (btid, enrolee_id) from the BSF over Zn:
 * 0, -EINVAL or -ENOMEM. uicc: the Enrolee's client resides in the UICC
 * (TS-0003 8.3.3.1: Km = Ks_int_NAF of a GBA_U bootstrap; a GBA_ME one
 * is then refused); else Km = Ks_NAF or Ks_ext_NAF.
 */
int maf_fetch_gba(struct maf *maf, const char *btid, const char *enrolee_id,
		  bool uicc);

/*
 * Seals km (km->km, its ids and lifetime set) at now with its Km-Id (or
 * Kpsa-Id) derived into km->pub.km_id: 0, or an error with *why (static
 * text): -ETIME expired, -ENOSPC no free slot, the store's (logged).
 */
int maf_km_store(struct maf *maf, struct store_onem2m_km *km, int64_t now,
		 const char **why);

/* Cancels and frees the fetches in flight (the MAF stops). */
void maf_fetch_cancel_all(struct maf *maf);

extern const struct role_admin_command maf_admin_commands[];

#endif /* E2MD_MAF_FETCH_H */
