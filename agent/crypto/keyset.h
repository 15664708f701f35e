/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2mKEYSET: K_enc and K_int for the per-packet protection, derived
 * from the intermediate key K_e2m. e2m profile (Documentation/derivations.md);
 * for EPS and 5G AKA K_e2m is KASME or K_HSE (anchor.h). All functions
 * return 0 or a negative errno (-EINVAL for an unknown algorithm).
 */
#ifndef E2M_KEYSET_H
#define E2M_KEYSET_H

#include <stdint.h>

#include "aka/aka.h"
#include "fc.h"

#define K_E2M_LEN	32
#define KEYSET_KEY_LEN	16	/* K_enc, K_int */

/* K_e2m after UMTS AKA: KDF(CK || IK, FC 0xFF 0xE2, "e2mKEYSET", RAND). */
int k_e2m_derive(uint8_t k_e2m[K_E2M_LEN], const uint8_t ck[AKA_CK_LEN],
		 const uint8_t ik[AKA_IK_LEN],
		 const uint8_t rand[AKA_RAND_LEN]);

/*
 * One key: low128(KDF(K_e2m, FC 0xFF 0xE3, distinguisher, algorithm id)),
 * distinguisher KEYSET_DIST_ENC or KEYSET_DIST_INT.
 */
int keyset_key(uint8_t key[KEYSET_KEY_LEN], const uint8_t k_e2m[K_E2M_LEN],
	       uint8_t distinguisher, enum e2m_alg alg);

/* Both keys for one algorithm. */
int keyset_derive(uint8_t k_enc[KEYSET_KEY_LEN],
		  uint8_t k_int[KEYSET_KEY_LEN],
		  const uint8_t k_e2m[K_E2M_LEN], enum e2m_alg alg);

#endif /* E2M_KEYSET_H */
