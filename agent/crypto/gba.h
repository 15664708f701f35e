/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GBA (TS 33.220): the NAF-specific keys of Annex B.3, the NAF_Id of
 * Annex H and the B-TID. Derivations return 0 or a negative errno.
 */
#ifndef E2M_GBA_H
#define E2M_GBA_H

#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

#define GBA_KEY_LEN	32	/* Ks_NAF, Ks_ext_NAF, Ks_int_NAF */
#define GBA_UA_ID_LEN	5	/* Ua security protocol identifier */
/* base64 of the 16-octet RAND, with its two padding characters. */
#define GBA_BTID_RAND_LEN 24

/* Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U): KDF(CK||IK, "gba-me", ...). */
int gba_ks_naf(uint8_t ks_naf[GBA_KEY_LEN], const uint8_t ck[AKA_CK_LEN],
	       const uint8_t ik[AKA_IK_LEN], const uint8_t rand[AKA_RAND_LEN],
	       const char *impi, const uint8_t *naf_id, size_t naf_id_len);

/* Ks_int_NAF (GBA_U, stays in the UICC): KDF(CK||IK, "gba-u", ...). */
int gba_ks_int_naf(uint8_t ks_int_naf[GBA_KEY_LEN],
		   const uint8_t ck[AKA_CK_LEN], const uint8_t ik[AKA_IK_LEN],
		   const uint8_t rand[AKA_RAND_LEN], const char *impi,
		   const uint8_t *naf_id, size_t naf_id_len);

/*
 * NAF_Id = FQDN || Ua security protocol identifier, into out (size octets).
 * Returns its length, or -ENOSPC.
 */
int gba_naf_id(uint8_t *out, size_t size, const char *naf_fqdn,
	       const uint8_t ua_id[GBA_UA_ID_LEN]);

/*
 * B-TID = base64(RAND) "@" BSF FQDN, NUL-terminated into btid (size
 * octets). Returns its length, or -ENOSPC or -EIO.
 */
int gba_btid(char *btid, size_t size, const uint8_t rand[AKA_RAND_LEN],
	     const char *bsf_fqdn);

#endif /* E2M_GBA_H */
