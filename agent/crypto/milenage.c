// SPDX-License-Identifier: GPL-2.0
/*
 * MILENAGE (TS 35.206) over AES-128.
 *
 *	TEMP = E_K(RAND ^ OPc)
 *	IN1  = SQN || AMF || SQN || AMF
 *	OUT1 = E_K(TEMP ^ rot(IN1 ^ OPc, r1) ^ c1) ^ OPc
 *	OUTi = E_K(rot(TEMP ^ OPc, ri) ^ ci) ^ OPc, i = 2..5
 *
 * r1..r5 = 64, 0, 32, 64, 96 bits; c1..c5 are zero but for the last octet,
 * 00, 01, 02, 04, 08.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "milenage.h"

enum { OUT1, OUT2, OUT3, OUT4, OUT5 };

static const unsigned int rotate_octets[] = { 8, 0, 4, 8, 12 };
static const uint8_t constant_last_octet[] = { 0x00, 0x01, 0x02, 0x04, 0x08 };

static void xor_block(uint8_t *out, const uint8_t *a, const uint8_t *b,
		      size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = a[i] ^ b[i];
}

/* rot(x, r): a cyclic shift towards the most significant end by r bits. */
static void rotate(uint8_t out[AES_BLOCK_LEN], const uint8_t x[AES_BLOCK_LEN],
		   unsigned int octets)
{
	unsigned int i;

	for (i = 0; i < AES_BLOCK_LEN; i++)
		out[i] = x[(i + octets) % AES_BLOCK_LEN];
}

/*
 * OUTi = E_K(rot(in ^ OPc, ri) ^ extra ^ ci) ^ OPc: in = IN1 and extra = TEMP
 * for OUT1, in = TEMP and no extra for the others.
 */
static int milenage_out(struct milenage *m, unsigned int i,
			const uint8_t in[AES_BLOCK_LEN],
			const uint8_t *extra, uint8_t out[AES_BLOCK_LEN])
{
	uint8_t block[AES_BLOCK_LEN];
	int ret;

	xor_block(block, in, m->opc, AES_BLOCK_LEN);
	rotate(out, block, rotate_octets[i]);
	if (extra)
		xor_block(out, out, extra, AES_BLOCK_LEN);
	out[AES_BLOCK_LEN - 1] ^= constant_last_octet[i];
	ret = aes128_encrypt(&m->aes, out, out);
	xor_block(out, out, m->opc, AES_BLOCK_LEN);
	OPENSSL_cleanse(block, sizeof(block));
	return ret;
}

static int milenage_temp(struct milenage *m,
			 const uint8_t rand[AKA_RAND_LEN],
			 uint8_t temp[AES_BLOCK_LEN])
{
	xor_block(temp, rand, m->opc, AES_BLOCK_LEN);
	return aes128_encrypt(&m->aes, temp, temp);
}

int milenage_init(struct milenage *m, const uint8_t k[AKA_K_LEN],
		  const uint8_t opc[AKA_OP_LEN])
{
	int ret = aes128_init(&m->aes, k);

	if (ret)
		return ret;
	memcpy(m->opc, opc, AKA_OP_LEN);
	return 0;
}

int milenage_init_op(struct milenage *m, const uint8_t k[AKA_K_LEN],
		     const uint8_t op[AKA_OP_LEN])
{
	int ret = aes128_init(&m->aes, k);

	if (ret)
		return ret;
	ret = aes128_encrypt(&m->aes, op, m->opc);
	if (ret) {
		milenage_free(m);
		return ret;
	}
	xor_block(m->opc, m->opc, op, AKA_OP_LEN);
	return 0;
}

void milenage_free(struct milenage *m)
{
	aes128_free(&m->aes);
	OPENSSL_cleanse(m->opc, sizeof(m->opc));
}

int milenage_f1(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		const uint8_t sqn[AKA_SQN_LEN],
		const uint8_t amf[AKA_AMF_LEN],
		uint8_t mac_a[AKA_MAC_LEN],
		uint8_t mac_s[AKA_MAC_LEN])
{
	uint8_t temp[AES_BLOCK_LEN], in1[AES_BLOCK_LEN], out1[AES_BLOCK_LEN];
	int ret;

	memcpy(in1, sqn, AKA_SQN_LEN);
	memcpy(in1 + 6, amf, AKA_AMF_LEN);
	memcpy(in1 + 8, in1, 8);

	ret = milenage_temp(m, rand, temp);
	if (!ret)
		ret = milenage_out(m, OUT1, in1, temp, out1);
	if (ret)
		goto out;
	if (mac_a)
		memcpy(mac_a, out1, AKA_MAC_LEN);
	if (mac_s)
		memcpy(mac_s, out1 + 8, AKA_MAC_LEN);
out:
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out1, sizeof(out1));
	return ret;
}

int milenage_f2345(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		   uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN],
		   uint8_t ik[AKA_IK_LEN], uint8_t ak[AKA_AK_LEN],
		   uint8_t ak_star[AKA_AK_LEN])
{
	uint8_t temp[AES_BLOCK_LEN], out[AES_BLOCK_LEN];
	int ret;

	ret = milenage_temp(m, rand, temp);
	if (ret)
		goto out;
	if (res || ak) {
		ret = milenage_out(m, OUT2, temp, NULL, out);
		if (ret)
			goto out;
		if (ak)
			memcpy(ak, out, AKA_AK_LEN);
		if (res)
			memcpy(res, out + 8, AKA_RES_LEN);
	}
	if (ck) {
		ret = milenage_out(m, OUT3, temp, NULL, out);
		if (ret)
			goto out;
		memcpy(ck, out, AKA_CK_LEN);
	}
	if (ik) {
		ret = milenage_out(m, OUT4, temp, NULL, out);
		if (ret)
			goto out;
		memcpy(ik, out, AKA_IK_LEN);
	}
	if (ak_star) {
		ret = milenage_out(m, OUT5, temp, NULL, out);
		if (ret)
			goto out;
		memcpy(ak_star, out, AKA_AK_LEN);
	}
out:
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

int milenage_autn(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		  const uint8_t sqn[AKA_SQN_LEN],
		  const uint8_t amf[AKA_AMF_LEN],
		  uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t ak[AKA_AK_LEN];
	int ret;

	ret = milenage_f2345(m, rand, NULL, NULL, NULL, ak, NULL);
	if (!ret)
		ret = milenage_f1(m, rand, sqn, amf, autn + 8, NULL);
	if (!ret) {
		xor_block(autn, sqn, ak, AKA_SQN_LEN);
		memcpy(autn + 6, amf, AKA_AMF_LEN);
	}
	OPENSSL_cleanse(ak, sizeof(ak));
	return ret;
}

int milenage_check_autn(struct milenage *m,
			const uint8_t rand[AKA_RAND_LEN],
			const uint8_t autn[AKA_AUTN_LEN],
			uint8_t sqn[AKA_SQN_LEN])
{
	uint8_t ak[AKA_AK_LEN], xmac[AKA_MAC_LEN];
	int ret;

	ret = milenage_f2345(m, rand, NULL, NULL, NULL, ak, NULL);
	if (ret)
		goto out;
	xor_block(sqn, autn, ak, AKA_SQN_LEN);
	ret = milenage_f1(m, rand, sqn, autn + 6, xmac, NULL);
	if (ret)
		goto out;
	if (CRYPTO_memcmp(xmac, autn + 8, AKA_MAC_LEN))
		ret = -EBADMSG;
out:
	if (ret)
		memset(sqn, 0, AKA_SQN_LEN);
	OPENSSL_cleanse(ak, sizeof(ak));
	OPENSSL_cleanse(xmac, sizeof(xmac));
	return ret;
}

/* TS 33.102 6.3.3: MAC-S is f1* with a dummy AMF of all zeros. */
static const uint8_t resync_amf[AKA_AMF_LEN];

int milenage_auts(struct milenage *m, const uint8_t rand[AKA_RAND_LEN],
		  const uint8_t sqn_ms[AKA_SQN_LEN],
		  uint8_t auts[AKA_AUTS_LEN])
{
	uint8_t ak_star[AKA_AK_LEN];
	int ret;

	ret = milenage_f2345(m, rand, NULL, NULL, NULL, NULL, ak_star);
	if (!ret)
		ret = milenage_f1(m, rand, sqn_ms, resync_amf, NULL, auts + 6);
	if (!ret)
		xor_block(auts, sqn_ms, ak_star, AKA_SQN_LEN);
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	return ret;
}

int milenage_check_auts(struct milenage *m,
			const uint8_t rand[AKA_RAND_LEN],
			const uint8_t auts[AKA_AUTS_LEN],
			uint8_t sqn_ms[AKA_SQN_LEN])
{
	uint8_t ak_star[AKA_AK_LEN], xmac_s[AKA_MAC_LEN];
	int ret;

	ret = milenage_f2345(m, rand, NULL, NULL, NULL, NULL, ak_star);
	if (ret)
		goto out;
	xor_block(sqn_ms, auts, ak_star, AKA_SQN_LEN);
	ret = milenage_f1(m, rand, sqn_ms, resync_amf, NULL, xmac_s);
	if (ret)
		goto out;
	if (CRYPTO_memcmp(xmac_s, auts + 6, AKA_MAC_LEN))
		ret = -EBADMSG;
out:
	if (ret)
		memset(sqn_ms, 0, AKA_SQN_LEN);
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	OPENSSL_cleanse(xmac_s, sizeof(xmac_s));
	return ret;
}
