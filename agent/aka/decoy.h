/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The challenge of a decoy: what the BSF (Ub) and the SGW (attach) answer
 * an identity their HSS does not know, so that an outsider cannot tell it
 * from a known one's (Documentation/e2md.md, who learns what).
 *
 *	RAND || AUTN = HMAC-SHA-256(secret, id || 0x00 || be64(now_ms)
 *	                            || be64(number))
 *
 * 32 octets, exactly the two; then the AUTN's AMF octets are set to amf,
 * the AMF real AUTNs carry. The NUL keeps an identity from running into
 * what follows; number counts the caller's decoys, so that no two are
 * alike. No answer to it verifies: no key stands behind it.
 */
#ifndef E2M_AKA_DECOY_H
#define E2M_AKA_DECOY_H

#include <stddef.h>
#include <stdint.h>

#include "aka.h"

#define AKA_DECOY_ID_MAX	255	/* octets of an identity, its NUL apart */

/* 0, -EINVAL (an identity over AKA_DECOY_ID_MAX) or -EIO. */
int aka_decoy_vector(const uint8_t *secret, size_t secret_len,
		     const char *id, uint64_t now_ms, uint64_t number,
		     const uint8_t amf[AKA_AMF_LEN],
		     uint8_t rand[AKA_RAND_LEN], uint8_t autn[AKA_AUTN_LEN]);

#endif /* E2M_AKA_DECOY_H */
