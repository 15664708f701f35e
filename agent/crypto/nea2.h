/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 128-NEA2 (= 128-EEA2): AES-128 in counter mode, TS 33.401 B.1.3, with the
 * initial counter block COUNT (32 bits) || BEARER (5) || DIRECTION (1) || 0s.
 * Encryption and decryption are the same operation.
 */
#ifndef E2M_NEA2_H
#define E2M_NEA2_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define NEA2_KEY_LEN	16
#define NEA2_BEARER_MAX	31

struct nea2 {
	EVP_CIPHER_CTX *ctx;	/* keyed once, the counter reset per message */
};

/* 0, -ENOMEM or -EIO. On error the context needs no nea2_free(). */
int nea2_init(struct nea2 *nea2, const uint8_t key[NEA2_KEY_LEN]);

/*
 * Encrypts or decrypts length_bits bits of in into out, (length_bits + 7) / 8
 * octets; in and out may be the same buffer. The bits of the last output
 * octet beyond length_bits are zero, as in the 3GPP test data. 0, -EINVAL
 * (bearer > 31 or direction > 1) or -EIO.
 */
int nea2_crypt(struct nea2 *nea2, uint32_t count, uint8_t bearer,
	       uint8_t direction, const uint8_t *in, size_t length_bits,
	       uint8_t *out);

/* Wipes the key schedule. Safe to call twice. */
void nea2_free(struct nea2 *nea2);

#endif /* E2M_NEA2_H */
