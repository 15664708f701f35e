/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Kms a MAF holds, in its store (schema 12, store.h's
 * store_onem2m_km_*): sealed, each by its Km-Id, with the KeId and
 * Enrolee-ID it was fetched for and the lifetime of its Ke, so that a
 * restart keeps them. The (D)TLS-PSK listeners look them up by the
 * psk_identity an Enrolee names; an expired one is never found, and the
 * MAF's timer purges it.
 *
 * At most MAF_KMS_MAX are live at once: a MEF that answers every fetch
 * cannot grow the MAF's store without bound.
 */
#ifndef E2MD_MAF_KMS_H
#define E2MD_MAF_KMS_H

#include <stdint.h>

#include "store/store.h"

#define MAF_KMS_MAX	256

/*
 * Stores km at now, replacing the one of the same Km-Id or of the same
 * KeId and Enrolee-ID; the expired ones are purged first. 0, -ENOSPC
 * when MAF_KMS_MAX live Kms are there and km replaces none of them, or
 * the store's error.
 */
int maf_kms_put(struct store *store, const struct store_onem2m_km *km,
		int64_t now);

#endif /* E2MD_MAF_KMS_H */
