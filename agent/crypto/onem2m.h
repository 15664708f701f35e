/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oneM2M security bootstrap's keys and identifiers (oneM2M TS-0003
 * 8.3.2.1, seed 002), e2m profile (PROFILE.md 6): the oneM2M text that
 * fixes them could not be read (DIGEST.md 6.6).
 *
 *	Ke	RFC 5705 exporter of the (D)TLS-PSK session with the MEF,
 *		label ONEM2M_KE_LABEL, no context, 32 octets
 *		(crypto/onem2m_tls.h)
 *	KeId	base64(first 16 octets of KDF(Ke, 0xFF 0xE6, "KeId"))
 *		"@" MEF FQDN
 *	Km	KDF(Ke, 0xFF 0xE7, "Km", MAF-ID, Enrolee-ID)
 *	Kpsa	KDF(Ke, 0xFF 0xE7, "Kpsa", Enrolee-B-ID, Enrolee-ID)
 *	Km-Id, Kpsa-Id	as KeId with "KmId" / "KpsaId", "@" the target's
 *		FQDN
 *
 * KDF is the TS 33.220 Annex B KDF (crypto/kdf.h); base64 is RFC 4648
 * with padding, as in a B-TID. FQDNs are dns_name_valid() names; the
 * ids (MAF-ID, Enrolee-ID, Enrolee-B-ID) 1..KDF_PARAM_MAX octets of text.
 */
#ifndef E2M_ONEM2M_H
#define E2M_ONEM2M_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/dns_name.h"

#define ONEM2M_KEY_LEN		32	/* Ke, Km, Kpsa */
#define ONEM2M_KE_LABEL		"EXPERIMENTAL-e2m-oneM2M-Ke"
#define ONEM2M_ID_HASH_LEN	16	/* octets of the KDF in an id */
#define ONEM2M_ID_B64_LEN	24	/* their base64 */
/* The longest KeId, Km-Id or Kpsa-Id, its NUL not counted. */
#define ONEM2M_KEY_ID_MAX	(ONEM2M_ID_B64_LEN + 1 + DNS_NAME_MAX)

/*
 * base64(first 16 octets of KDF(key, FC_ONEM2M_ID, label)) "@" fqdn into
 * id (size at least ONEM2M_KEY_ID_MAX + 1). 0, -EINVAL for an fqdn that
 * is not a DNS name, or the KDF's error.
 */
int onem2m_key_id(char *id, size_t size, const uint8_t key[ONEM2M_KEY_LEN],
		  const char *label, const char *fqdn);

/* The three ids of PROFILE.md 6, onem2m_key_id() with their labels. */
int onem2m_ke_id(char *id, size_t size, const uint8_t ke[ONEM2M_KEY_LEN],
		 const char *mef_fqdn);
int onem2m_km_id(char *id, size_t size, const uint8_t km[ONEM2M_KEY_LEN],
		 const char *maf_fqdn);
int onem2m_kpsa_id(char *id, size_t size,
		   const uint8_t kpsa[ONEM2M_KEY_LEN],
		   const char *enrolee_b_fqdn);

/* Km of the Enrolee for a MAF, and Kpsa for an Enrolee B. 0 or -errno. */
int onem2m_km(uint8_t km[ONEM2M_KEY_LEN], const uint8_t ke[ONEM2M_KEY_LEN],
	      const char *maf_id, const char *enrolee_id);
int onem2m_kpsa(uint8_t kpsa[ONEM2M_KEY_LEN],
		const uint8_t ke[ONEM2M_KEY_LEN], const char *enrolee_b_id,
		const char *enrolee_id);

/* Whether id is one onem2m_key_id() could have made. */
bool onem2m_key_id_valid(const char *id);

#endif /* E2M_ONEM2M_H */
