/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF-specific key a UE derives from its current bootstrap (TS 33.220
 * 4.5.3, B.3) for a NAF_Id (FQDN || Ua security protocol identifier):
 *
 *	GBA_ME	Ks_NAF, by the ME from the newest unexpired session of the
 *		USIM's IMPI in the store (ue/bootstrap.h kept it)
 *	GBA_U	Ks_ext_NAF, from the USIM, which keeps Ks and Ks_int_NAF
 *
 * The same key the BSF hands that NAF over Zn as ks-ext-naf. And for a
 * client that runs in the UICC (GBA_U only): Ks_int_NAF, which the USIM
 * gives its own application (aka/usim.h, usim_gba_u_uicc_key()), the
 * BSF's ks-int-naf.
 */
#ifndef E2M_UE_NAF_KEY_H
#define E2M_UE_NAF_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/usim.h"
#include "crypto/gba.h"
#include "store/store.h"

struct ue_naf_key {
	char btid[STORE_BTID_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	int64_t expires;
	bool gba_u;
	bool uicc;			/* key is Ks_int_NAF */
	uint8_t key[GBA_KEY_LEN];	/* secret: Ks_NAF, Ks_(ext/int)_NAF */
};

/*
 * The key for naf_id as of now: 0, -ENOENT (no bootstrap), -EKEYEXPIRED
 * (GBA_U: its lifetime is over), -EINVAL (naf_id is not FQDN || Ua id),
 * store errors. out is wiped on error; wipe it with ue_naf_key_wipe().
 */
int ue_naf_key(struct store *store, struct usim *usim, const uint8_t *naf_id,
	       size_t naf_id_len, int64_t now, struct ue_naf_key *out);

/*
 * Ks_int_NAF for naf_id as of now, for the UICC-resident client: as
 * ue_naf_key(), and -EOPNOTSUPP for a GBA_ME USIM (it has no Ks_int_NAF).
 */
int ue_naf_key_uicc(struct store *store, struct usim *usim,
		    const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		    struct ue_naf_key *out);

void ue_naf_key_wipe(struct ue_naf_key *key);

/*
 * The key for the NAF naf_fqdn under the Ua security protocol ua_id (the
 * suite a GBA PSK-TLS handshake chose) as of now, into key: 0, or what
 * ue_naf_key() returns (-EINVAL for an FQDN too long). The shape of
 * nafkc_client's gba_key, for e2mctl nafkc-request --gba and the bench.
 */
int ue_naf_key_for(struct store *store, struct usim *usim,
		   const char *naf_fqdn, const uint8_t ua_id[GBA_UA_ID_LEN],
		   uint8_t key[GBA_KEY_LEN]);

#endif /* E2M_UE_NAF_KEY_H */
