/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Kms a MAF holds, by Km-Id, in memory only: the TLS-PSK listener
 * looks them up by the psk_identity an Enrolee names. At most
 * MAF_KMS_MAX at once; an expired one is never found and is dropped when
 * its slot is needed. A restart forgets them all (the MAF fetches them
 * again from the MEF): e2m keeps no MAF table in the store yet.
 */
#ifndef E2MD_MAF_KMS_H
#define E2MD_MAF_KMS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/onem2m.h"
#include "store/store.h"

#define MAF_KMS_MAX	256

struct maf_km {
	char km_id[ONEM2M_KEY_ID_MAX + 1];	/* "" : a free slot */
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char enrolee_id[STORE_ONEM2M_ID_MAX + 1];
	int64_t expires;			/* seconds since the epoch */
	uint8_t km[ONEM2M_KEY_LEN];		/* secret */
};

struct maf_kms {
	struct maf_km slot[MAF_KMS_MAX];
};

/*
 * Adds km, replacing the one of the same Km-Id (or of the same KeId and
 * Enrolee-ID): 0, or -ENOSPC when every slot holds a live Km at now.
 */
int maf_kms_put(struct maf_kms *kms, const struct maf_km *km, int64_t now);

/* The live Km of km_id at now, or NULL. */
const struct maf_km *maf_kms_find(const struct maf_kms *kms,
				  const char *km_id, int64_t now);

/* How many are live at now. */
size_t maf_kms_count(const struct maf_kms *kms, int64_t now);

/* Wipes every slot. */
void maf_kms_wipe(struct maf_kms *kms);

#endif /* E2MD_MAF_KMS_H */
