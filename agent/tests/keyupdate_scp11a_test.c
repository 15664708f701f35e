// SPDX-License-Identifier: GPL-2.0
/*
 * scp11a.c: the X9.63 KDF and the SCP11a handshake from fixed private
 * keys (0x11.., 0x22.., 0x33.., 0x44.. repeated over 32 octets), against
 * values computed apart from e2m: the points and ECDH with Python's
 * cryptography package, the KDF with hashlib written from ANSI X9.63
 * (Hash(Z || counter || SharedInfo), counter from 1), the receipt with its
 * CMAC. Then the refusals.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/scp11a.h"
#include "tap.h"

#define SK_OCE_POINT \
	"040217e617f0b6443928278f96999e69a23a4f2c152bdf6d6cdf66e5b80282d4ed" \
	"194a7debcb97712d2dda3ca85aa8765a56f45fc758599652f2897c65306e5794"
#define ESK_OCE_POINT \
	"04d65a93977caa3d1b081852ff57a79e465f1660577304baead505dd3a48589cf3" \
	"50185e895372df6221ea3a137557e473fddb6755f05bd507c3c533fce9c91285"
#define SK_SD_POINT \
	"0451a7580833898ea1b183cbd7350a4099078c6ef1c1e18e970cd7683035f25e7d" \
	"0110522712b0b5a7cff081685486984a94e6831edac46e7360fa9d834a7a81a1"
#define ESK_SD_POINT \
	"045b36890dacbd7c9a96bb74a1ee28b3d2d75b72e09a20ef25cf8e6fd8a9f0350d" \
	"0e14bed8d4682a34d83538bdff5b96e89a6666ec0db5745d02fa1210072df75a"
#define SHS \
	"b019f997f1acd2a2e19a75c38f0f658a935b22db5960a5394216b466775c83ba" \
	"39a10ced504c975c9e089753c8250af85a2521eaa13d721f3395bc7bb45b92f5"
#define RECEIPT "cc2ebfdf7981e170bad74e0c946c2773"

static EVP_PKEY *fixed_key(uint8_t fill)
{
	uint8_t scalar[SCP11A_SCALAR_LEN];
	EVP_PKEY *key;

	memset(scalar, fill, sizeof(scalar));
	if (scp11a_key_from_scalar(&key, scalar)) {
		fprintf(stderr, "scp11a_key_from_scalar failed\n");
		exit(2);
	}
	return key;
}

static void check_keys(const struct scp11a_keys *k, const char *what)
{
	is_hex(k->receipt_key, SCP11A_KEY_LEN,
	       "76998a78535584f10e72cdc290e5f5b2", "%s: receipt key", what);
	is_hex(k->s_enc, SCP11A_KEY_LEN, "dcb9b1f316d4107db20fd33df7a6786c",
	       "%s: S-ENC", what);
	is_hex(k->s_mac, SCP11A_KEY_LEN, "8e635ee2636ad55bcb88da6ed4443500",
	       "%s: S-MAC", what);
	is_hex(k->s_rmac, SCP11A_KEY_LEN, "025781ac9a80ac5b6539107ae2701a18",
	       "%s: S-RMAC", what);
	is_hex(k->s_dek, SCP11A_KEY_LEN, "3e40fe732b713fb7fbf2440cf7b22047",
	       "%s: S-DEK", what);
}

static void test_kdf(void)
{
	uint8_t shs[64], out[80];
	struct scp11a_keys keys;
	size_t i;

	for (i = 0; i < sizeof(shs); i++)
		shs[i] = (uint8_t)i;
	ok(scp11a_kdf(&keys, shs, sizeof(shs), NULL, 0) == 0,
	   "kdf: 00..3f, default sharedInfo");
	memcpy(out, &keys, sizeof(out));
	is_hex(out, sizeof(out),
	       "78e6afba798e338b0b6104dfc18e5b9efaabdf39c991de6879d9c7a0c21ff022"
	       "40998ce38b6d3dd3fd3fa9c7d956b67323d069af6457586600431b7ec83d38c7"
	       "183f299ddc90b91643d6d2e137eefcff",
	       "kdf: the five keys are X9.63 SHA-256 output in order");
	ok(scp11a_kdf(&keys, shs, sizeof(shs), scp11a_shared_info, 3) == 0 &&
	   !memcmp(out, &keys, sizeof(out)),
	   "kdf: sharedInfo 3c8810 given is the default");
	ok(scp11a_kdf(&keys, shs, 0, NULL, 0) == -EINVAL,
	   "kdf: empty ShS refused");
	ok(scp11a_kdf(&keys, shs, SCP11A_SHS_MAX + 1, NULL, 0) == -EINVAL,
	   "kdf: ShS over the maximum refused");
	OPENSSL_cleanse(out, sizeof(out));
	scp11a_keys_wipe(&keys);
}

static void test_points(void)
{
	uint8_t point[SCP11A_POINT_LEN], zero[SCP11A_SCALAR_LEN] = { 0 };
	uint8_t order[SCP11A_SCALAR_LEN];
	EVP_PKEY *key;

	key = fixed_key(0x11);
	scp11a_key_point(key, point);
	is_hex(point, sizeof(point), SK_OCE_POINT, "points: 0x11.. * G");
	EVP_PKEY_free(key);
	key = fixed_key(0x44);
	scp11a_key_point(key, point);
	is_hex(point, sizeof(point), ESK_SD_POINT, "points: 0x44.. * G");
	EVP_PKEY_free(key);

	ok(scp11a_key_from_scalar(&key, zero) == -EINVAL && !key,
	   "points: scalar 0 refused");
	unhex(order, sizeof(order),
	      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
	ok(scp11a_key_from_scalar(&key, order) == -EINVAL && !key,
	   "points: scalar n refused");

	unhex(point, sizeof(point), SK_SD_POINT);
	ok(scp11a_key_from_point(&key, point) == 0, "points: a valid point");
	EVP_PKEY_free(key);
	point[64] ^= 1;
	ok(scp11a_key_from_point(&key, point) == -EINVAL && !key,
	   "points: a point off the curve refused");
	point[64] ^= 1;
	point[0] = 0x02;
	ok(scp11a_key_from_point(&key, point) == -EINVAL && !key,
	   "points: a compressed point refused");
}

struct parties {
	EVP_PKEY *sk_oce, *esk_oce, *sk_sd, *esk_sd;
	EVP_PKEY *pk_oce, *pk_sd;	/* the public halves only */
};

static EVP_PKEY *public_of(EVP_PKEY *key)
{
	uint8_t point[SCP11A_POINT_LEN];
	EVP_PKEY *pub;

	if (scp11a_key_point(key, point) || scp11a_key_from_point(&pub, point))
		exit(2);
	return pub;
}

static void parties_init(struct parties *p)
{
	p->sk_oce = fixed_key(0x11);
	p->esk_oce = fixed_key(0x22);
	p->sk_sd = fixed_key(0x33);
	p->esk_sd = fixed_key(0x44);
	p->pk_oce = public_of(p->sk_oce);
	p->pk_sd = public_of(p->sk_sd);
}

static void parties_free(struct parties *p)
{
	EVP_PKEY_free(p->sk_oce);
	EVP_PKEY_free(p->esk_oce);
	EVP_PKEY_free(p->sk_sd);
	EVP_PKEY_free(p->esk_sd);
	EVP_PKEY_free(p->pk_oce);
	EVP_PKEY_free(p->pk_sd);
}

static void test_handshake(void)
{
	uint8_t data[SCP11A_AUTH_DATA_LEN], resp[SCP11A_AUTH_RESP_LEN];
	uint8_t shs[SCP11A_SHS_LEN];
	struct scp11a_keys sd, oce;
	struct parties p;
	EVP_PKEY *esk_sd_pub;

	parties_init(&p);
	esk_sd_pub = public_of(p.esk_sd);
	ok(scp11a_shs(shs, p.esk_oce, esk_sd_pub, p.sk_oce, p.pk_sd) == 0,
	   "handshake: ShS on the OCE side");
	is_hex(shs, sizeof(shs), SHS,
	       "handshake: ShS = ECDH(eSK.OCE, ePK.SD) || ECDH(SK.OCE, PK.SD)");
	EVP_PKEY_free(esk_sd_pub);

	ok(scp11a_oce_auth_data(data, p.esk_oce) == 0, "handshake: OCE data");
	is_hex(data, sizeof(data),
	       "a60d9002110195013c8001888101105f4941" ESK_OCE_POINT,
	       "handshake: MUTUAL AUTHENTICATE data = CRT || ePK.OCE TLV");
	ok(scp11a_sd_authenticate(&sd, resp, data, sizeof(data), p.esk_sd,
				  p.sk_sd, p.pk_oce) == 0,
	   "handshake: the SD accepts it");
	check_keys(&sd, "SD");
	is_hex(resp, sizeof(resp), "5f4941" ESK_SD_POINT "8610" RECEIPT,
	       "handshake: the SD answers ePK.SD TLV || receipt TLV");
	ok(scp11a_oce_complete(&oce, data, resp, sizeof(resp), p.esk_oce,
			       p.sk_oce, p.pk_sd) == 0,
	   "handshake: the OCE verifies the receipt");
	check_keys(&oce, "OCE");

	/* Refusals. */
	resp[sizeof(resp) - 1] ^= 1;
	ok(scp11a_oce_complete(&oce, data, resp, sizeof(resp), p.esk_oce,
			       p.sk_oce, p.pk_sd) == -EBADMSG,
	   "refused: a receipt with one bit changed");
	resp[sizeof(resp) - 1] ^= 1;
	ok(scp11a_oce_complete(&oce, data, resp, sizeof(resp), p.esk_oce,
			       p.sk_oce, p.pk_oce) == -EBADMSG,
	   "refused: an SD that does not hold SK.SD (receipt wrong)");
	ok(scp11a_oce_complete(&oce, data, resp, sizeof(resp) - 1, p.esk_oce,
			       p.sk_oce, p.pk_sd) == -EPROTO,
	   "refused: a short answer");
	is_hex(oce.s_enc, SCP11A_KEY_LEN, "00000000000000000000000000000000",
	       "refused: no session key is left");
	ok(scp11a_sd_authenticate(&sd, resp, data, sizeof(data), p.esk_sd,
				  p.sk_sd, p.pk_sd) == 0 &&
	   scp11a_oce_complete(&oce, data, resp, sizeof(resp), p.esk_oce,
			       p.sk_oce, p.pk_sd) == -EBADMSG,
	   "refused: an SD that took another OCE's static key");
	data[5] = 0x03;		/* i-param of SCP11c */
	ok(scp11a_sd_authenticate(&sd, resp, data, sizeof(data), p.esk_sd,
				  p.sk_sd, p.pk_oce) == -EPROTO,
	   "refused: another SCP11 variant");
	data[5] = SCP11A_I_PARAM;
	data[sizeof(data) - 1] ^= 1;
	ok(scp11a_sd_authenticate(&sd, resp, data, sizeof(data), p.esk_sd,
				  p.sk_sd, p.pk_oce) == -EINVAL,
	   "refused: an ePK.OCE off the curve");
	ok(scp11a_sd_authenticate(&sd, resp, data, sizeof(data) - 1, p.esk_sd,
				  p.sk_sd, p.pk_oce) == -EPROTO,
	   "refused: short MUTUAL AUTHENTICATE data");
	scp11a_keys_wipe(&sd);
	scp11a_keys_wipe(&oce);
	parties_free(&p);
}

static void test_fresh_keys(void)
{
	uint8_t data[SCP11A_AUTH_DATA_LEN], resp[SCP11A_AUTH_RESP_LEN];
	struct scp11a_keys sd, oce;
	EVP_PKEY *esk_oce, *esk_sd;
	struct parties p;

	parties_init(&p);
	ok(scp11a_key_generate(&esk_oce) == 0 &&
	   scp11a_key_generate(&esk_sd) == 0, "fresh: ephemeral keys made");
	ok(scp11a_oce_auth_data(data, esk_oce) == 0 &&
	   scp11a_sd_authenticate(&sd, resp, data, sizeof(data), esk_sd,
				  p.sk_sd, p.pk_oce) == 0 &&
	   scp11a_oce_complete(&oce, data, resp, sizeof(resp), esk_oce,
			       p.sk_oce, p.pk_sd) == 0,
	   "fresh: a handshake with fresh ephemeral keys");
	ok(!memcmp(&sd, &oce, sizeof(sd)), "fresh: both sides agree");
	scp11a_keys_wipe(&sd);
	scp11a_keys_wipe(&oce);
	EVP_PKEY_free(esk_oce);
	EVP_PKEY_free(esk_sd);
	parties_free(&p);
}

int main(void)
{
	test_kdf();
	test_points();
	test_handshake();
	test_fresh_keys();
	return done_testing();
}
