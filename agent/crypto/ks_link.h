/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of a local link protected with Ks_local (e2m profile,
 * PROFILE.md 5): the module derives them itself when a ks_local key is
 * bound to a flow, so they never exist in userspace. This is the agent's
 * copy for the known-answer check (e2mctl ks-local-link) only.
 */
#ifndef E2M_KS_LINK_H
#define E2M_KS_LINK_H

#include <stdint.h>

#include "fc.h"
#include "keyset.h"
#include "ks_local.h"

/*
 * low128(KDF(Ks_local, FC 0xFF 0xE5, distinguisher, algorithm id)) for
 * the encryption (0x01) and integrity (0x02) distinguishers. 0, or a
 * negative errno (-EINVAL for an unknown algorithm); both keys are wiped
 * on error.
 */
int ks_link_derive(uint8_t k_enc[KEYSET_KEY_LEN], uint8_t k_int[KEYSET_KEY_LEN],
		   const uint8_t ks_local[KS_LOCAL_LEN], enum e2m_alg alg);

#endif /* E2M_KS_LINK_H */
