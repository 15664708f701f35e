/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One AES-128 block encryption at a time, the kernel function of Milenage
 * and of CMAC. The key schedule is made once in aes128_init() and kept in
 * the context, so a run of blocks under one key allocates nothing.
 */
#ifndef E2M_AES_H
#define E2M_AES_H

#include <stdint.h>

#include <openssl/evp.h>

#define AES_BLOCK_LEN	16
#define AES128_KEY_LEN	16

struct aes128 {
	EVP_CIPHER_CTX *ctx;
};

/* 0, -ENOMEM or -EIO. On error the context needs no aes128_free(). */
int aes128_init(struct aes128 *aes, const uint8_t key[AES128_KEY_LEN]);

/* out = E_K(in); in and out may be the same buffer. 0 or -EIO. */
int aes128_encrypt(struct aes128 *aes, const uint8_t in[AES_BLOCK_LEN],
		   uint8_t out[AES_BLOCK_LEN]);

/* Frees the context, which wipes the key schedule. Safe to call twice. */
void aes128_free(struct aes128 *aes);

#endif /* E2M_AES_H */
