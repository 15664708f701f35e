// SPDX-License-Identifier: GPL-2.0
/*
 * SCP03 secure messaging for SCP11a sessions; see scp11a_sm.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aes.h"
#include "cmac.h"
#include "scp11a_sm.h"

#define HEADER_LEN	5	/* CLA INS P1 P2 Lc */
#define ICV_RESPONSE	0x80	/* first octet of a response's ICV block */

void scp_sm_init(struct scp_sm *sm, const struct scp11a_keys *keys,
		 const uint8_t receipt[SCP11A_RECEIPT_LEN])
{
	memset(sm, 0, sizeof(*sm));
	memcpy(sm->s_enc, keys->s_enc, sizeof(sm->s_enc));
	memcpy(sm->s_mac, keys->s_mac, sizeof(sm->s_mac));
	memcpy(sm->s_rmac, keys->s_rmac, sizeof(sm->s_rmac));
	memcpy(sm->chain, receipt, sizeof(sm->chain));
	sm->counter = 1;
}

void scp_sm_wipe(struct scp_sm *sm)
{
	OPENSSL_cleanse(sm, sizeof(*sm));
	sm->closed = true;
}

/* A failure that must end the session: nothing more goes through it. */
static int close_session(struct scp_sm *sm, int err)
{
	scp_sm_wipe(sm);
	return err;
}

/* AES-128-CBC without padding over whole blocks; enc 1 or 0. */
static int cbc(const uint8_t key[SCP11A_KEY_LEN],
	       const uint8_t iv[AES_BLOCK_LEN], int enc, const uint8_t *in,
	       size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, tail = 0, ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv, enc) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) &&
	    EVP_CipherFinal_ex(ctx, out + n, &tail) &&
	    (size_t)(n + tail) == len)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);	/* wipes the key schedule */
	return ret;
}

/* The ICV of a command (first 00) or response (first 80) of a counter. */
static int icv(const struct scp_sm *sm, uint8_t first, uint32_t counter,
	       uint8_t out[AES_BLOCK_LEN])
{
	uint8_t block[AES_BLOCK_LEN] = { first };
	struct aes128 aes;
	int ret;

	block[12] = counter >> 24;
	block[13] = counter >> 16;
	block[14] = counter >> 8;
	block[15] = counter;
	ret = aes128_init(&aes, sm->s_enc);
	if (!ret) {
		ret = aes128_encrypt(&aes, block, out);
		aes128_free(&aes);
	}
	return ret;
}

/* ISO/IEC 9797-1 method 2 into out; the padded length. */
static size_t pad(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t padded = (len / AES_BLOCK_LEN + 1) * AES_BLOCK_LEN;

	if (len)	/* in may be NULL then */
		memcpy(out, in, len);
	out[len] = 0x80;
	memset(out + len + 1, 0, padded - len - 1);
	return padded;
}

/* The length before the padding, or -EBADMSG. Looks at every octet. */
static long unpad(const uint8_t *in, size_t len)
{
	size_t i = len;

	while (i > 0 && in[i - 1] == 0)
		i--;
	/* Padding is at most one block: 80 and up to 15 zeros. */
	if (i == 0 || in[i - 1] != 0x80 || len - i >= AES_BLOCK_LEN)
		return -EBADMSG;
	return (long)(i - 1);
}

/* Encrypts data under the ICV; the length of out. */
static int encrypt(const struct scp_sm *sm, uint8_t first, const uint8_t *data,
		   size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t iv[AES_BLOCK_LEN];
	int ret;

	*out_len = pad(data, len, out);
	ret = icv(sm, first, first ? sm->counter - 1 : sm->counter, iv);
	if (!ret)
		ret = cbc(sm->s_enc, iv, 1, out, *out_len, out);
	OPENSSL_cleanse(iv, sizeof(iv));
	return ret;
}

/* Decrypts and unpads in place; the plain length or -EBADMSG / -EIO. */
static long decrypt(const struct scp_sm *sm, uint8_t first, uint8_t *buf,
		    size_t len)
{
	uint8_t iv[AES_BLOCK_LEN];
	int ret;

	if (!len || len % AES_BLOCK_LEN || len > SCP_SM_PADDED_MAX)
		return -EBADMSG;
	ret = icv(sm, first, first ? sm->counter - 1 : sm->counter, iv);
	if (!ret)
		ret = cbc(sm->s_enc, iv, 0, buf, len, buf);
	OPENSSL_cleanse(iv, sizeof(iv));
	return ret ? ret : unpad(buf, len);
}

/* AES-CMAC(key, chain || a || b). */
static int cmac(const uint8_t key[SCP11A_KEY_LEN],
		const uint8_t chain[AES_BLOCK_LEN], const uint8_t *a,
		size_t a_len, const uint8_t *b, size_t b_len,
		uint8_t out[AES_BLOCK_LEN])
{
	const struct cmac_part msg[] = {
		{ chain, AES_BLOCK_LEN }, { a, a_len }, { b, b_len },
	};

	return aes128_cmac(key, msg, 3, out);
}

int scp_sm_wrap_command(struct scp_sm *sm, const struct scp_apdu *cmd,
			uint8_t *out, size_t out_size, size_t *out_len)
{
	uint8_t mac[AES_BLOCK_LEN];
	size_t enc_len;
	int ret;

	*out_len = 0;
	if (sm->closed || sm->awaiting_response)
		return -EPIPE;
	if (cmd->len > SCP_SM_DATA_MAX ||
	    out_size < HEADER_LEN + (cmd->len / AES_BLOCK_LEN + 1) *
			AES_BLOCK_LEN + SCP_SM_MAC_LEN)
		return -EMSGSIZE;
	ret = encrypt(sm, 0, cmd->data, cmd->len, out + HEADER_LEN, &enc_len);
	if (ret)
		goto fail;
	out[0] = cmd->cla | SCP_SM_CLA_SECURE;
	out[1] = cmd->ins;
	out[2] = cmd->p1;
	out[3] = cmd->p2;
	out[4] = (uint8_t)(enc_len + SCP_SM_MAC_LEN);
	ret = cmac(sm->s_mac, sm->chain, out, HEADER_LEN + enc_len, NULL, 0,
		   mac);
	if (ret)
		goto fail;
	memcpy(sm->chain, mac, sizeof(mac));
	memcpy(out + HEADER_LEN + enc_len, mac, SCP_SM_MAC_LEN);
	*out_len = HEADER_LEN + enc_len + SCP_SM_MAC_LEN;
	sm->counter++;
	sm->awaiting_response = true;
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
fail:
	OPENSSL_cleanse(out, out_size);
	return ret;
}

int scp_sm_unwrap_command(struct scp_sm *sm, const uint8_t *apdu,
			  size_t len, struct scp_apdu *cmd, uint8_t *buf)
{
	uint8_t mac[AES_BLOCK_LEN];
	size_t enc_len;
	long plain;
	int ret;

	memset(cmd, 0, sizeof(*cmd));
	if (sm->closed || sm->awaiting_response)
		return -EPIPE;
	if (len < HEADER_LEN + SCP_SM_MAC_LEN || len > SCP_SM_APDU_MAX ||
	    apdu[4] != len - HEADER_LEN || !(apdu[0] & SCP_SM_CLA_SECURE))
		return close_session(sm, -EPROTO);
	enc_len = len - HEADER_LEN - SCP_SM_MAC_LEN;
	ret = cmac(sm->s_mac, sm->chain, apdu, HEADER_LEN + enc_len, NULL, 0,
		   mac);
	if (ret)
		return ret;
	if (CRYPTO_memcmp(mac, apdu + HEADER_LEN + enc_len, SCP_SM_MAC_LEN)) {
		OPENSSL_cleanse(mac, sizeof(mac));
		return close_session(sm, -EBADMSG);
	}
	memcpy(sm->chain, mac, sizeof(mac));
	OPENSSL_cleanse(mac, sizeof(mac));
	plain = 0;
	if (enc_len) {
		memcpy(buf, apdu + HEADER_LEN, enc_len);
		plain = decrypt(sm, 0, buf, enc_len);
		if (plain < 0) {
			OPENSSL_cleanse(buf, enc_len);
			return close_session(sm, plain == -EIO ? -EIO :
					     -EBADMSG);
		}
	}
	cmd->cla = apdu[0] & (uint8_t)~SCP_SM_CLA_SECURE;
	cmd->ins = apdu[1];
	cmd->p1 = apdu[2];
	cmd->p2 = apdu[3];
	cmd->data = buf;
	cmd->len = (size_t)plain;
	sm->counter++;
	sm->awaiting_response = true;
	return 0;
}

int scp_sm_wrap_response(struct scp_sm *sm, const uint8_t *data, size_t len,
			 uint16_t sw, uint8_t *out, size_t out_size,
			 size_t *out_len)
{
	uint8_t mac[AES_BLOCK_LEN], sw_octets[2] = { sw >> 8, sw & 0xff };
	size_t enc_len = 0;
	int ret = 0;

	*out_len = 0;
	if (sm->closed || !sm->awaiting_response)
		return -EPIPE;
	if (len > SCP_SM_DATA_MAX ||
	    out_size < (len ? (len / AES_BLOCK_LEN + 1) * AES_BLOCK_LEN : 0) +
			SCP_SM_MAC_LEN + 2)
		return -EMSGSIZE;
	if (len)
		ret = encrypt(sm, ICV_RESPONSE, data, len, out, &enc_len);
	if (!ret)
		ret = cmac(sm->s_rmac, sm->chain, out, enc_len, sw_octets, 2,
			   mac);
	if (ret) {
		OPENSSL_cleanse(out, out_size);
		return ret;
	}
	memcpy(out + enc_len, mac, SCP_SM_MAC_LEN);
	memcpy(out + enc_len + SCP_SM_MAC_LEN, sw_octets, 2);
	*out_len = enc_len + SCP_SM_MAC_LEN + 2;
	sm->awaiting_response = false;
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

int scp_sm_unwrap_response(struct scp_sm *sm, const uint8_t *resp,
			   size_t len, uint8_t *data, size_t *data_len,
			   uint16_t *sw)
{
	uint8_t mac[AES_BLOCK_LEN];
	size_t enc_len;
	long plain = 0;
	int ret;

	*data_len = 0;
	*sw = 0;
	if (sm->closed || !sm->awaiting_response)
		return -EPIPE;
	if (len < SCP_SM_MAC_LEN + 2 || len > SCP_SM_RESP_MAX)
		return close_session(sm, -EPROTO);
	enc_len = len - SCP_SM_MAC_LEN - 2;
	ret = cmac(sm->s_rmac, sm->chain, resp, enc_len, resp + len - 2, 2,
		   mac);
	if (ret)
		return ret;
	ret = CRYPTO_memcmp(mac, resp + enc_len, SCP_SM_MAC_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	if (ret)
		return close_session(sm, -EBADMSG);
	if (enc_len) {
		memcpy(data, resp, enc_len);
		plain = decrypt(sm, ICV_RESPONSE, data, enc_len);
		if (plain < 0) {
			OPENSSL_cleanse(data, enc_len);
			return close_session(sm, plain == -EIO ? -EIO :
					     -EBADMSG);
		}
	}
	*data_len = (size_t)plain;
	*sw = (uint16_t)(resp[len - 2] << 8 | resp[len - 1]);
	sm->awaiting_response = false;
	return 0;
}

static int dek(const uint8_t s_dek[SCP11A_KEY_LEN], int enc,
	       const uint8_t *in, size_t len, uint8_t *out)
{
	static const uint8_t zero_iv[AES_BLOCK_LEN];

	if (!len || len % AES_BLOCK_LEN)
		return -EINVAL;
	return cbc(s_dek, zero_iv, enc, in, len, out);
}

int scp_dek_wrap(const uint8_t s_dek[SCP11A_KEY_LEN], const uint8_t *in,
		 size_t len, uint8_t *out)
{
	return dek(s_dek, 1, in, len, out);
}

int scp_dek_unwrap(const uint8_t s_dek[SCP11A_KEY_LEN], const uint8_t *in,
		   size_t len, uint8_t *out)
{
	return dek(s_dek, 0, in, len, out);
}
