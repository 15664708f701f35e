/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_CRYPTO_H
#define _E2M_CRYPTO_H

#include <crypto/aes.h>
#include <linux/atomic.h>
#include <linux/types.h>

struct crypto_skcipher;
struct crypto_sync_skcipher;
struct sk_buff;

/*
 * The transforms of one key slot, keyed once when the key is bound, so the
 * packet path neither allocates nor expands keys. Transforms hold only key
 * state and may be used from several CPUs at once. The CMAC subkeys live
 * here too, and are wiped with the slot. See crypto.c for why two of each.
 */
struct e2m_crypto {
	struct crypto_skcipher *nea2;		/* "ctr(aes)", K_enc: the best */
	struct crypto_skcipher *cbc;		/* "cbc(aes)", K_int, for NIA2 */
	/* Where those may complete later: synchronous ones, else NULL */
	struct crypto_sync_skcipher *nea2_sync;
	struct crypto_sync_skcipher *cbc_sync;
	atomic_t in_flight;			/* requests the API kept */
	u8 k1[AES_BLOCK_SIZE];			/* CMAC subkeys of K_int */
	u8 k2[AES_BLOCK_SIZE];
};

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int);
void e2m_crypto_free(struct e2m_crypto *c);

/*
 * Both return 0 when done, -EINPROGRESS when the crypto API kept the work
 * to finish later (the packet is to be dropped: its data is untouched and
 * the result will be thrown away), or another error.
 */
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len);
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac);

/*
 * The data path's: the protected N-PDU at @off in @skb, its 5-octet e2m
 * header, @len octets of payload and room for or the 4-octet MAC-I, in
 * the head or in page fragments that the caller made the packet's own.
 * Seal encrypts the payload and writes the MAC; open checks the MAC (in
 * constant time: -EBADMSG), then asks @accept about COUNT (-EALREADY if
 * refused), then decrypts the payload, and writes nothing before both are
 * good. Otherwise the same returns as above (on any error the packet is
 * to be dropped). Bottom halves off: the scratch buffer is per CPU.
 */
int e2m_pdu_seal(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
		 struct sk_buff *skb, unsigned int off, unsigned int len);
int e2m_pdu_open(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
		 struct sk_buff *skb, unsigned int off, unsigned int len,
		 bool (*accept)(void *arg, u32 count), void *arg);

int e2m_crypto_global_init(void);
void e2m_crypto_global_exit(void);

#ifdef E2M_DEBUG
/* For the self-tests: other algorithms, and SIMD taken as unusable. */
int e2m_crypto_init_algs(struct e2m_crypto *c, const u8 *k_enc,
			 const u8 *k_int, const char *ctr, const char *cbc);
extern bool e2m_crypto_test_no_simd;
extern atomic_t e2m_crypto_test_completions;
#endif

#endif /* _E2M_CRYPTO_H */
