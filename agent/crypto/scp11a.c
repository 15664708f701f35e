// SPDX-License-Identifier: GPL-2.0
/*
 * SCP11a key agreement; see scp11a.h. P-256 through OpenSSL's EVP layer,
 * the KDF through its EVP_KDF "X963KDF", the receipt by AES-CMAC (cmac.h).
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/param_build.h>

#include "cmac.h"
#include "scp11a.h"

#define CURVE_NAME	"prime256v1"

const uint8_t scp11a_shared_info[SCP11A_SHARED_INFO_LEN] = {
	SCP11A_KEY_USAGE, SCP11A_KEY_TYPE_AES, SCP11A_KEY_LEN,
};

/* A6 { 90 02 11 01, 95 01 3C, 80 01 88, 81 01 10 }. */
static const uint8_t crt[SCP11A_CRT_LEN] = {
	SCP11A_TAG_CRT, SCP11A_CRT_LEN - 2,
	0x90, 0x02, SCP11A_SCP_ID, SCP11A_I_PARAM,
	0x95, 0x01, SCP11A_KEY_USAGE,
	0x80, 0x01, SCP11A_KEY_TYPE_AES,
	0x81, 0x01, SCP11A_KEY_LEN,
};

static const uint8_t epk_tag[3] = {
	SCP11A_TAG_EPK >> 8, SCP11A_TAG_EPK & 0xff, SCP11A_POINT_LEN,
};

void scp11a_keys_wipe(struct scp11a_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}

int scp11a_kdf(struct scp11a_keys *keys, const uint8_t *shs, size_t shs_len,
	       const uint8_t *shared_info, size_t shared_info_len)
{
	uint8_t out[5 * SCP11A_KEY_LEN];
	OSSL_PARAM params[4];
	EVP_KDF_CTX *ctx;
	EVP_KDF *kdf;
	int ret = -EIO;

	scp11a_keys_wipe(keys);
	if (!shs_len || shs_len > SCP11A_SHS_MAX)
		return -EINVAL;
	if (!shared_info) {
		shared_info = scp11a_shared_info;
		shared_info_len = sizeof(scp11a_shared_info);
	}
	kdf = EVP_KDF_fetch(NULL, "X963KDF", NULL);
	if (!kdf)
		return -EIO;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!ctx)
		return -ENOMEM;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     "SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)shs, shs_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      (void *)shared_info,
						      shared_info_len);
	params[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, sizeof(out), params) == 1) {
		/* The order of GP Amendment F: receipt key first. */
		memcpy(keys->receipt_key, out, SCP11A_KEY_LEN);
		memcpy(keys->s_enc, out + 1 * SCP11A_KEY_LEN, SCP11A_KEY_LEN);
		memcpy(keys->s_mac, out + 2 * SCP11A_KEY_LEN, SCP11A_KEY_LEN);
		memcpy(keys->s_rmac, out + 3 * SCP11A_KEY_LEN, SCP11A_KEY_LEN);
		memcpy(keys->s_dek, out + 4 * SCP11A_KEY_LEN, SCP11A_KEY_LEN);
		ret = 0;
	}
	EVP_KDF_CTX_free(ctx);
	OPENSSL_cleanse(out, sizeof(out));
	return ret;
}

int scp11a_receipt(const uint8_t receipt_key[SCP11A_KEY_LEN],
		   const uint8_t *kad, size_t kad_len,
		   uint8_t receipt[SCP11A_RECEIPT_LEN])
{
	const struct cmac_part msg = { kad, kad_len };

	_Static_assert(SCP11A_RECEIPT_LEN == AES_BLOCK_LEN,
		       "the receipt is a whole CMAC");
	return aes128_cmac(receipt_key, &msg, 1, receipt);
}

/* Keys. */

int scp11a_key_generate(EVP_PKEY **key)
{
	*key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", CURVE_NAME);
	return *key ? 0 : -EIO;
}

/* A key from the parameters built in bld: 0, -EINVAL or -ENOMEM. */
static int key_from_params(EVP_PKEY **key, OSSL_PARAM_BLD *bld,
			   int selection)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx;
	int ret = -EINVAL;

	if (!params)
		return -ENOMEM;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx) {
		OSSL_PARAM_free(params);
		return -ENOMEM;
	}
	if (EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, key, selection, params) == 1)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	/* The scalar is in the params' secure block, which this clears. */
	OSSL_PARAM_free(params);
	return ret;
}

/* pub = scalar * G, the public half EVP_PKEY_fromdata() wants beside it. */
static int public_point(const BIGNUM *scalar, uint8_t point[SCP11A_POINT_LEN])
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *pub = NULL;
	int ret = -EIO;

	if (!group)
		return -ENOMEM;
	if (BN_is_zero(scalar) || BN_is_negative(scalar) ||
	    BN_cmp(scalar, EC_GROUP_get0_order(group)) >= 0) {
		ret = -EINVAL;
		goto out;
	}
	pub = EC_POINT_new(group);
	if (pub && EC_POINT_mul(group, pub, scalar, NULL, NULL, NULL) &&
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED,
			       point, SCP11A_POINT_LEN, NULL) ==
			       SCP11A_POINT_LEN)
		ret = 0;
out:
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	return ret;
}

int scp11a_key_from_scalar(EVP_PKEY **key,
			   const uint8_t scalar[SCP11A_SCALAR_LEN])
{
	uint8_t point[SCP11A_POINT_LEN];
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *priv;
	int ret = -ENOMEM;

	*key = NULL;
	priv = BN_secure_new();
	if (!priv || !BN_bin2bn(scalar, SCP11A_SCALAR_LEN, priv))
		goto out;
	ret = public_point(priv, point);
	if (ret)
		goto out;
	ret = -ENOMEM;
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    CURVE_NAME, 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, sizeof(point)))
		ret = key_from_params(key, bld, EVP_PKEY_KEYPAIR);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	return ret;
}

int scp11a_key_from_point(EVP_PKEY **key,
			  const uint8_t point[SCP11A_POINT_LEN])
{
	OSSL_PARAM_BLD *bld;
	int ret = -ENOMEM;

	*key = NULL;
	/* Only the uncompressed form travels in SCP11a. */
	if (point[0] != 0x04)
		return -EINVAL;
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    CURVE_NAME, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, SCP11A_POINT_LEN))
		ret = key_from_params(key, bld, EVP_PKEY_PUBLIC_KEY);
	OSSL_PARAM_BLD_free(bld);
	return ret;
}

int scp11a_key_point(EVP_PKEY *key, uint8_t point[SCP11A_POINT_LEN])
{
	size_t len = 0;

	if (!EVP_PKEY_is_a(key, "EC") || EVP_PKEY_get_bits(key) != 256)
		return -EINVAL;
	if (EVP_PKEY_get_octet_string_param(key,
					    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					    point, SCP11A_POINT_LEN, &len) != 1 ||
	    len != SCP11A_POINT_LEN || point[0] != 0x04)
		return -EIO;
	return 0;
}

int scp11a_key_scalar(EVP_PKEY *key, uint8_t scalar[SCP11A_SCALAR_LEN])
{
	BIGNUM *priv = NULL;
	int ret = -EIO;

	if (!EVP_PKEY_is_a(key, "EC") || EVP_PKEY_get_bits(key) != 256)
		return -EINVAL;
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) == 1 &&
	    BN_bn2binpad(priv, scalar, SCP11A_SCALAR_LEN) == SCP11A_SCALAR_LEN)
		ret = 0;
	BN_clear_free(priv);
	return ret;
}

/* One ECDH: the x-coordinate of own_private * peer_public. */
static int ecdh(uint8_t out[SCP11A_ECDH_LEN], EVP_PKEY *own, EVP_PKEY *peer)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL);
	size_t len = SCP11A_ECDH_LEN;
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, out, &len) == 1 && len == SCP11A_ECDH_LEN)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int scp11a_shs(uint8_t shs[SCP11A_SHS_LEN], EVP_PKEY *own_ephemeral,
	       EVP_PKEY *peer_ephemeral, EVP_PKEY *own_static,
	       EVP_PKEY *peer_static)
{
	int ret = ecdh(shs, own_ephemeral, peer_ephemeral);

	if (!ret)
		ret = ecdh(shs + SCP11A_ECDH_LEN, own_static, peer_static);
	if (ret)
		OPENSSL_cleanse(shs, SCP11A_SHS_LEN);
	return ret;
}

/* The handshake. */

static int epk_tlv(uint8_t tlv[SCP11A_EPK_TLV_LEN], EVP_PKEY *key)
{
	memcpy(tlv, epk_tag, sizeof(epk_tag));
	return scp11a_key_point(key, tlv + sizeof(epk_tag));
}

int scp11a_oce_auth_data(uint8_t data[SCP11A_AUTH_DATA_LEN],
			 EVP_PKEY *oce_ephemeral)
{
	memcpy(data, crt, sizeof(crt));
	return epk_tlv(data + sizeof(crt), oce_ephemeral);
}

/* The peer's ePK from its TLV: 0, -EPROTO or -EINVAL. */
static int parse_epk(EVP_PKEY **key, const uint8_t *tlv)
{
	if (memcmp(tlv, epk_tag, sizeof(epk_tag)))
		return -EPROTO;
	return scp11a_key_from_point(key, tlv + sizeof(epk_tag));
}

/*
 * Both sides from here: ShS, the keys, the receipt over data || the SD's
 * ePK TLV.
 */
static int agree(struct scp11a_keys *keys, uint8_t receipt[SCP11A_RECEIPT_LEN],
		 const uint8_t data[SCP11A_AUTH_DATA_LEN],
		 const uint8_t sd_epk_tlv[SCP11A_EPK_TLV_LEN],
		 EVP_PKEY *own_ephemeral, EVP_PKEY *peer_ephemeral,
		 EVP_PKEY *own_static, EVP_PKEY *peer_static)
{
	uint8_t shs[SCP11A_SHS_LEN];
	uint8_t kad[SCP11A_AUTH_DATA_LEN + SCP11A_EPK_TLV_LEN];
	int ret;

	ret = scp11a_shs(shs, own_ephemeral, peer_ephemeral, own_static,
			 peer_static);
	if (!ret)
		ret = scp11a_kdf(keys, shs, sizeof(shs), NULL, 0);
	OPENSSL_cleanse(shs, sizeof(shs));
	if (ret)
		return ret;
	memcpy(kad, data, SCP11A_AUTH_DATA_LEN);
	memcpy(kad + SCP11A_AUTH_DATA_LEN, sd_epk_tlv, SCP11A_EPK_TLV_LEN);
	ret = scp11a_receipt(keys->receipt_key, kad, sizeof(kad), receipt);
	if (ret)
		scp11a_keys_wipe(keys);
	return ret;
}

int scp11a_sd_authenticate(struct scp11a_keys *keys,
			   uint8_t resp[SCP11A_AUTH_RESP_LEN],
			   const uint8_t *data, size_t data_len,
			   EVP_PKEY *sd_ephemeral, EVP_PKEY *sd_static,
			   EVP_PKEY *oce_static)
{
	EVP_PKEY *oce_ephemeral = NULL;
	uint8_t *receipt = resp + SCP11A_EPK_TLV_LEN + 2;
	int ret;

	scp11a_keys_wipe(keys);
	memset(resp, 0, SCP11A_AUTH_RESP_LEN);
	/* Only the one parameter set e2m speaks: SCP11a, AES-128. */
	if (data_len != SCP11A_AUTH_DATA_LEN || memcmp(data, crt, sizeof(crt)))
		return -EPROTO;
	ret = parse_epk(&oce_ephemeral, data + sizeof(crt));
	if (!ret)
		ret = epk_tlv(resp, sd_ephemeral);
	if (!ret)
		ret = agree(keys, receipt, data, resp, sd_ephemeral,
			    oce_ephemeral, sd_static, oce_static);
	if (!ret) {
		resp[SCP11A_EPK_TLV_LEN] = SCP11A_TAG_RECEIPT;
		resp[SCP11A_EPK_TLV_LEN + 1] = SCP11A_RECEIPT_LEN;
	} else {
		memset(resp, 0, SCP11A_AUTH_RESP_LEN);
	}
	EVP_PKEY_free(oce_ephemeral);
	return ret;
}

const uint8_t *scp11a_resp_receipt(const uint8_t resp[SCP11A_AUTH_RESP_LEN])
{
	return resp + SCP11A_EPK_TLV_LEN + 2;
}

int scp11a_oce_complete(struct scp11a_keys *keys,
			const uint8_t data[SCP11A_AUTH_DATA_LEN],
			const uint8_t *resp, size_t resp_len,
			EVP_PKEY *oce_ephemeral, EVP_PKEY *oce_static,
			EVP_PKEY *sd_static)
{
	uint8_t receipt[SCP11A_RECEIPT_LEN];
	EVP_PKEY *sd_ephemeral = NULL;
	int ret;

	scp11a_keys_wipe(keys);
	if (resp_len != SCP11A_AUTH_RESP_LEN ||
	    resp[SCP11A_EPK_TLV_LEN] != SCP11A_TAG_RECEIPT ||
	    resp[SCP11A_EPK_TLV_LEN + 1] != SCP11A_RECEIPT_LEN)
		return -EPROTO;
	ret = parse_epk(&sd_ephemeral, resp);
	if (!ret)
		ret = agree(keys, receipt, data, resp, oce_ephemeral,
			    sd_ephemeral, oce_static, sd_static);
	if (!ret && CRYPTO_memcmp(receipt, scp11a_resp_receipt(resp),
				  SCP11A_RECEIPT_LEN)) {
		scp11a_keys_wipe(keys);
		ret = -EBADMSG;
	}
	OPENSSL_cleanse(receipt, sizeof(receipt));
	EVP_PKEY_free(sd_ephemeral);
	return ret;
}
