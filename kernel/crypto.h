/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_CRYPTO_H
#define _E2M_CRYPTO_H

#include <linux/types.h>

struct crypto_sync_skcipher;
struct crypto_shash;

/*
 * The transforms of one key slot, keyed once when the key is bound, so the
 * packet path neither allocates nor expands keys. Transforms hold only key
 * state and may be used from several CPUs at once.
 */
struct e2m_crypto {
	struct crypto_sync_skcipher *nea2;	/* ctr(aes), K_enc */
	struct crypto_shash *nia2;		/* cmac(aes), K_int */
};

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int);
void e2m_crypto_free(struct e2m_crypto *c);
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len);
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac);

#endif /* _E2M_CRYPTO_H */
