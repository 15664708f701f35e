/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCP11a key agreement (GlobalPlatform Card Specification Amendment F, as
 * PROFILE.md section 7 profiles it for the long-term key update of seed
 * 004): the off-card entity (OCE, the provisioning server) and the
 * security domain (SD, the USIM) each hold a static P-256 key and make an
 * ephemeral one per session;
 *
 *	ShS = ECDH(eSK.OCE, ePK.SD) || ECDH(SK.OCE, PK.SD)
 *
 * (the SD computes the same from its own private halves), then the ANSI
 * X9.63 KDF with SHA-256 and sharedInfo = key usage || key type || key
 * length (3C 88 10) gives five AES-128 keys in this order: receipt key,
 * S-ENC, S-MAC, S-RMAC, S-DEK. The receipt, AES-CMAC under the receipt
 * key over the key-agreement data (the OCE's MUTUAL AUTHENTICATE data ||
 * the SD's ePK TLV), proves to the OCE that the SD derived the same keys
 * and is the first MAC chaining value of the secure messaging
 * (scp11a_sm.h).
 *
 * Certificates (who may hold the static keys) are checked by the caller
 * before it hands a static public key here.
 */
#ifndef E2M_SCP11A_H
#define E2M_SCP11A_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define SCP11A_KEY_LEN		16	/* each session key, AES-128 */
#define SCP11A_RECEIPT_LEN	16
#define SCP11A_SCALAR_LEN	32	/* a P-256 private key */
#define SCP11A_POINT_LEN	65	/* a P-256 public key, uncompressed */
#define SCP11A_ECDH_LEN		32	/* one P-256 shared secret */
#define SCP11A_SHS_LEN		(2 * SCP11A_ECDH_LEN)
#define SCP11A_SHS_MAX		1024	/* what scp11a_kdf() takes */

/* The control reference template of SCP11a and its sharedInfo. */
#define SCP11A_SCP_ID		0x11
#define SCP11A_I_PARAM		0x01	/* "a": mutual authentication */
#define SCP11A_KEY_USAGE	0x3c	/* C-MAC | C-DEC | R-MAC | R-ENC */
#define SCP11A_KEY_TYPE_AES	0x88
#define SCP11A_SHARED_INFO_LEN	3
extern const uint8_t scp11a_shared_info[SCP11A_SHARED_INFO_LEN];

/* TLV tags of MUTUAL AUTHENTICATE. */
#define SCP11A_TAG_CRT		0xa6	/* control reference template */
#define SCP11A_TAG_EPK		0x5f49	/* ephemeral public key */
#define SCP11A_TAG_RECEIPT	0x86

/* The OCE's MUTUAL AUTHENTICATE data: A6 {...} || 5F49 41 ePK.OCE. */
#define SCP11A_CRT_LEN		15
#define SCP11A_EPK_TLV_LEN	(3 + SCP11A_POINT_LEN)
#define SCP11A_AUTH_DATA_LEN	(SCP11A_CRT_LEN + SCP11A_EPK_TLV_LEN)
/* The SD's answer: 5F49 41 ePK.SD || 86 10 receipt. */
#define SCP11A_AUTH_RESP_LEN	(SCP11A_EPK_TLV_LEN + 2 + SCP11A_RECEIPT_LEN)

struct scp11a_keys {
	uint8_t receipt_key[SCP11A_KEY_LEN];
	uint8_t s_enc[SCP11A_KEY_LEN];
	uint8_t s_mac[SCP11A_KEY_LEN];
	uint8_t s_rmac[SCP11A_KEY_LEN];
	uint8_t s_dek[SCP11A_KEY_LEN];
};

/*
 * The five keys from ShS (1 to SCP11A_SHS_MAX octets) and sharedInfo (NULL
 * and 0: scp11a_shared_info). 0, -EINVAL or -EIO; on error keys is wiped.
 */
int scp11a_kdf(struct scp11a_keys *keys, const uint8_t *shs, size_t shs_len,
	       const uint8_t *shared_info, size_t shared_info_len);

void scp11a_keys_wipe(struct scp11a_keys *keys);

/* Receipt = AES-CMAC(receipt key, key-agreement data). 0 or -EIO. */
int scp11a_receipt(const uint8_t receipt_key[SCP11A_KEY_LEN],
		   const uint8_t *kad, size_t kad_len,
		   uint8_t receipt[SCP11A_RECEIPT_LEN]);

/* P-256 keys. */

/* A fresh key pair (an ephemeral key): 0, -ENOMEM or -EIO. */
int scp11a_key_generate(EVP_PKEY **key);
/* The key pair of a private scalar (a stored static key, a test vector):
 * 0, -EINVAL (not in [1, n-1]), -ENOMEM or -EIO. */
int scp11a_key_from_scalar(EVP_PKEY **key,
			   const uint8_t scalar[SCP11A_SCALAR_LEN]);
/* A public key from its uncompressed point: 0, -EINVAL (not on the
 * curve, not uncompressed), -ENOMEM or -EIO. */
int scp11a_key_from_point(EVP_PKEY **key,
			  const uint8_t point[SCP11A_POINT_LEN]);
/* The uncompressed point of a P-256 key: 0, -EINVAL (another kind of key)
 * or -EIO. */
int scp11a_key_point(EVP_PKEY *key, uint8_t point[SCP11A_POINT_LEN]);
/* The private scalar of a P-256 key pair (to be sealed: a secret):
 * 0, -EINVAL (another key) or -EIO (no private half). */
int scp11a_key_scalar(EVP_PKEY *key, uint8_t scalar[SCP11A_SCALAR_LEN]);

/*
 * ShS = ECDH(own_ephemeral, peer_ephemeral) || ECDH(own_static,
 * peer_static), the same on both sides. 0, -EINVAL or -EIO.
 */
int scp11a_shs(uint8_t shs[SCP11A_SHS_LEN], EVP_PKEY *own_ephemeral,
	       EVP_PKEY *peer_ephemeral, EVP_PKEY *own_static,
	       EVP_PKEY *peer_static);

/* The handshake. */

/* The OCE's MUTUAL AUTHENTICATE data for its ephemeral key. 0 or -EIO. */
int scp11a_oce_auth_data(uint8_t data[SCP11A_AUTH_DATA_LEN],
			 EVP_PKEY *oce_ephemeral);

/*
 * The SD's side of MUTUAL AUTHENTICATE: checks the data is SCP11a with
 * AES-128 session keys and a valid ePK.OCE, agrees the keys with its
 * ephemeral (fresh from scp11a_key_generate(); a test may pass a fixed
 * one) and static keys and the OCE's static public key (from its checked
 * certificate), and writes its answer with the receipt. 0, -EPROTO (not
 * what SCP11a sends), -EINVAL (a bad point) or -EIO; keys is wiped on
 * error.
 */
int scp11a_sd_authenticate(struct scp11a_keys *keys,
			   uint8_t resp[SCP11A_AUTH_RESP_LEN],
			   const uint8_t *data, size_t data_len,
			   EVP_PKEY *sd_ephemeral, EVP_PKEY *sd_static,
			   EVP_PKEY *oce_static);

/*
 * The OCE's check of the SD's answer to the data it sent: agrees the keys
 * and verifies the receipt (in constant time). 0, -EPROTO (malformed),
 * -EINVAL (a bad point), -EBADMSG (receipt wrong: another SD, or another
 * key agreement) or -EIO; keys is wiped on error.
 */
int scp11a_oce_complete(struct scp11a_keys *keys,
			const uint8_t data[SCP11A_AUTH_DATA_LEN],
			const uint8_t *resp, size_t resp_len,
			EVP_PKEY *oce_ephemeral, EVP_PKEY *oce_static,
			EVP_PKEY *sd_static);

/* The receipt in an answer scp11a_oce_complete() accepted. */
const uint8_t *scp11a_resp_receipt(const uint8_t resp[SCP11A_AUTH_RESP_LEN]);

#endif /* E2M_SCP11A_H */
