/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 128-NIA2 (= 128-EIA2): AES-128-CMAC (NIST SP 800-38B) over
 *
 *	COUNT (4 octets) || BEARER << 3 | DIRECTION << 2 || 00 00 00 || MESSAGE
 *
 * with MAC-I the first 32 bits of the CMAC, TS 33.401 B.2.3. MESSAGE is a
 * bit string of LENGTH bits: when LENGTH is not a multiple of 8 the CMAC
 * padding goes right after the last valid bit, as the 3GPP test sets with
 * 58 and 254 bits require.
 */
#ifndef E2M_NIA2_H
#define E2M_NIA2_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "aes.h"

#define NIA2_KEY_LEN	16
#define NIA2_MAC_LEN	4
#define NIA2_BEARER_MAX	31

struct nia2 {
	EVP_MAC_CTX *cmac;	/* the common, octet-aligned path */
	struct aes128 aes;	/* the bit-exact path: CMAC by hand */
	uint8_t k1[AES_BLOCK_LEN], k2[AES_BLOCK_LEN];	/* its subkeys */
};

/* 0, -ENOMEM or -EIO. On error the context needs no nia2_free(). */
int nia2_init(struct nia2 *nia2, const uint8_t key[NIA2_KEY_LEN]);

/*
 * MAC-I over length_bits bits of message. Bits of the last message octet
 * beyond length_bits are ignored. 0, -EINVAL (bearer > 31 or direction > 1)
 * or -EIO.
 */
int nia2_mac(struct nia2 *nia2, uint32_t count, uint8_t bearer,
	     uint8_t direction, const uint8_t *message, size_t length_bits,
	     uint8_t mac[NIA2_MAC_LEN]);

/*
 * The two ways nia2_mac() computes it, exposed so the tests can check one
 * against the other. nia2_mac_octets() takes whole octets only (OpenSSL's
 * CMAC); nia2_mac_bits() any length (CMAC on the AES block function).
 */
int nia2_mac_octets(struct nia2 *nia2, uint32_t count, uint8_t bearer,
		    uint8_t direction, const uint8_t *message, size_t len,
		    uint8_t mac[NIA2_MAC_LEN]);
int nia2_mac_bits(struct nia2 *nia2, uint32_t count, uint8_t bearer,
		  uint8_t direction, const uint8_t *message,
		  size_t length_bits, uint8_t mac[NIA2_MAC_LEN]);

/* Wipes the key schedules and subkeys. Safe to call twice. */
void nia2_free(struct nia2 *nia2);

#endif /* E2M_NIA2_H */
