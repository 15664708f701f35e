/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CK' and IK', the keys a USIM hands the serving network instead of CK and
 * IK when the HSS marked the vector for e2m (UMTS AKA), so the serving
 * network never holds the keys K_e2m is derived from. e2m profile
 * (Documentation/derivations.md).
 */
#ifndef E2M_AIR_H
#define E2M_AIR_H

#include <stdint.h>

#include "aka/aka.h"

/*
 * KDF(CK || IK, FC 0xFF 0xE4, "air", RAND): CK' the first 16 octets, IK'
 * the last 16. 0 or a negative errno.
 */
int air_keys_derive(uint8_t ck_prime[AKA_CK_LEN], uint8_t ik_prime[AKA_IK_LEN],
		    const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		    const uint8_t rand[AKA_RAND_LEN]);

#endif /* E2M_AIR_H */
