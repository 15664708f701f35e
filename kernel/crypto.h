/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_CRYPTO_H
#define _E2M_CRYPTO_H

#include <crypto/aes.h>
#include <linux/types.h>

struct crypto_sync_skcipher;

/*
 * The transforms of one key slot, keyed once when the key is bound, so the
 * packet path neither allocates nor expands keys. Transforms hold only key
 * state and may be used from several CPUs at once. The CMAC subkeys live
 * here too, and are wiped with the slot.
 */
struct e2m_crypto {
	struct crypto_sync_skcipher *nea2;	/* ctr(aes), K_enc */
	struct crypto_sync_skcipher *cbc;	/* cbc(aes), K_int, for NIA2 */
	/* The same with the bulk SIMD code, where there is one: see crypto.c */
	struct crypto_sync_skcipher *nea2_simd;
	struct crypto_sync_skcipher *cbc_simd;
	u8 k1[AES_BLOCK_SIZE];			/* CMAC subkeys of K_int */
	u8 k2[AES_BLOCK_SIZE];
};

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int);
void e2m_crypto_free(struct e2m_crypto *c);
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len);
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac);

int e2m_crypto_global_init(void);
void e2m_crypto_global_exit(void);

#endif /* _E2M_CRYPTO_H */
