/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A software USIM: the UICC side of UMTS AKA (TS 33.102 6.3.3) with the
 * SQN freshness check of Annex C (aka/sqn.h) and AUTS, and the two ways of
 * GBA (TS 33.220):
 *
 * - GBA_ME: usim_authenticate() hands RES, CK and IK to the ME, which
 *   makes Ks = CK || IK and the NAF keys itself (gba.h).
 * - GBA_U (a USIM provisioned with STORE_USIM_GBA_U): the bootstrap runs
 *   in usim_gba_u_bootstrap(), which hands out RES only and keeps Ks;
 *   usim_gba_u_naf_key() hands out Ks_ext_NAF and keeps Ks_int_NAF. No
 *   function gives Ks, CK or IK of a GBA_U bootstrap to the caller, and
 *   Ks_int_NAF goes to the UICC's own application only
 *   (usim_gba_u_uicc_key(), TS 33.220 5.3.2, G.1-G.3).
 *
 * The USIM lives in a store (K, OPc and Ks sealed there like every other
 * secret), by ICCID; store_usim_add() provisions one. An accepted SQN is
 * committed to the store before RES leaves, so a crash cannot make the
 * USIM accept the same AUTN twice.
 *
 * A long-term key update (Documentation/key-update.md) leaves new K and
 * OPc pending beside the current ones (store_usim_stage_keys()). AUTN is
 * then checked under the pending keys first and the current ones after,
 * and the first AKA that succeeds under the pending keys makes them
 * current and wipes the old ones, in the transaction that commits its
 * SQN: whichever keys the HSS holds, the USIM answers.
 */
#ifndef E2M_USIM_H
#define E2M_USIM_H

#include <stddef.h>
#include <stdint.h>

#include "aka.h"
#include "crypto/gba.h"
#include "store/store.h"

enum usim_status {
	USIM_OK = 0,		/* RES (and CK, IK) set */
	USIM_SYNC_FAILURE = 1,	/* AUTN genuine but its SQN stale: AUTS set */
	USIM_MAC_FAILURE = 2,	/* AUTN not from our HSS: nothing set */
};

struct usim;

/* Opens the USIM of that ICCID in store: 0, -ENOENT, -ENOMEM, store errors. */
int usim_open(struct usim **usim, struct store *store, const char *iccid);

/* Wipes what the USIM holds in memory (its Ks_int_NAF) and frees it. */
void usim_close(struct usim *usim);

const char *usim_iccid(const struct usim *usim);
const char *usim_imsi(const struct usim *usim);
const char *usim_impi(const struct usim *usim);
int usim_is_gba_u(const struct usim *usim);

/*
 * AUTHENTICATE in a 3G security context: checks MAC-A, then the freshness
 * of SQN. Returns a usim_status or a negative errno (store or crypto
 * failure; then nothing is set and nothing changed). Outputs not set are
 * zeroed. ck and ik may be NULL when only RES is wanted.
 */
int usim_authenticate(struct usim *usim, const uint8_t rand[AKA_RAND_LEN],
		      const uint8_t autn[AKA_AUTN_LEN],
		      uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN],
		      uint8_t ik[AKA_IK_LEN], uint8_t auts[AKA_AUTS_LEN]);

/*
 * GBA_U bootstrapping (TS 33.220 G.1): as usim_authenticate(), but on
 * success the USIM keeps Ks = CK || IK and RAND, replacing the previous
 * bootstrap, and gives out RES only. -EOPNOTSUPP if not GBA_U aware.
 */
int usim_gba_u_bootstrap(struct usim *usim, const uint8_t rand[AKA_RAND_LEN],
			 const uint8_t autn[AKA_AUTN_LEN],
			 uint8_t res[AKA_RES_LEN],
			 uint8_t auts[AKA_AUTS_LEN]);

/*
 * The ME hands the USIM the B-TID and key expiry the BSF sent (G.1). The
 * B-TID must be the one of the kept bootstrap: base64(RAND)@BSF.
 * 0, -ENOENT (no bootstrap), -EINVAL (another B-TID), -EOPNOTSUPP.
 */
int usim_gba_u_set_btid(struct usim *usim, const char *btid,
			int64_t expires);

/*
 * GBA_U NAF derivation (G.3): Ks_ext_NAF for naf_id (FQDN || Ua security
 * protocol identifier) into ks_ext_naf; Ks_int_NAF stays in the USIM.
 * 0, -ENOENT (no completed bootstrap), -EKEYEXPIRED (its lifetime is
 * over at now), -EINVAL, -EOPNOTSUPP.
 */
int usim_gba_u_naf_key(struct usim *usim, const uint8_t *naf_id,
		       size_t naf_id_len, int64_t now,
		       uint8_t ks_ext_naf[GBA_KEY_LEN]);

/*
 * The key of an application that runs in the UICC (G.3: "Ks_int_NAF ...
 * used in the UICC"): Ks_int_NAF for naf_id, derived and kept as
 * usim_gba_u_naf_key() does, into ks_int_naf. For the UICC-resident
 * client e2m models (e2mctl onem2m associate --uicc,
 * ctl/onem2m_assoc_key.h) and nothing of the ME: it is the UICC's inside,
 * in the same process because the UICC is software here. The same
 * returns as usim_gba_u_naf_key(); -EOPNOTSUPP for a GBA_ME USIM.
 */
int usim_gba_u_uicc_key(struct usim *usim, const uint8_t *naf_id,
			size_t naf_id_len, int64_t now,
			uint8_t ks_int_naf[GBA_KEY_LEN]);

#endif /* E2M_USIM_H */
