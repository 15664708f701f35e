// SPDX-License-Identifier: GPL-2.0
/*
 * kdf.c: the S string layout of TS 33.220 B.2.0 on the GBA example of
 * TS 33.220 B.3 (DIGEST 1.7, built on TS 35.208 test set 1), the two FC
 * forms, and the refusals.
 */
#include <errno.h>

#include "crypto/fc.h"
#include "crypto/kdf.h"
#include "tap.h"

/* CK || IK of TS 35.208 test set 1. */
static const char ks_hex[] =
	"b40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d3441";
static const char rand_hex[] = "23553cbe9637a89d218ae64dae47bf35";
static const char impi[] = "user1_private@home1.net";
/* "naf1.home1.net" || 01 00 00 00 02 (HTTP Digest, TS 33.220 H.3). */
static const uint8_t naf_id[] = "naf1.home1.net\x01\x00\x00\x00\x02";
#define NAF_ID_LEN (sizeof(naf_id) - 1)

static void test_gba_example(void)
{
	uint8_t ks[32], rand[16], out[KDF_OUT_LEN];
	const uint8_t *s;
	struct kdf kdf;
	size_t s_len;
	int ret;

	unhex(ks, sizeof(ks), ks_hex);
	unhex(rand, sizeof(rand), rand_hex);

	kdf_init(&kdf, FC_GBA_NAF);
	kdf_add_string(&kdf, LABEL_GBA_ME);
	kdf_add(&kdf, rand, sizeof(rand));
	kdf_add_string(&kdf, impi);
	ret = kdf_add(&kdf, naf_id, NAF_ID_LEN);
	ok(ret == 0, "GBA example: parameters added");
	s = kdf_input(&kdf, &s_len);
	is_hex(s, s_len,
	       "016762612d6d65000623553cbe9637a89d218ae64dae47bf350010757365"
	       "72315f7072697661746540686f6d65312e6e657400176e6166312e686f6d"
	       "65312e6e657401000000020013",
	       "GBA example: S = FC || P0 || L0 || ... || P3 || L3");
	ret = kdf_derive(&kdf, ks, sizeof(ks), out);
	kdf_free(&kdf);
	is_hex(out, sizeof(out), ret ? "error" :
	       "7c351b69c4910d2da5a312ad73ce3ac7be6f46165fdb9ffc3494d874aca8a501",
	       "GBA example: Ks_NAF");

	kdf_init(&kdf, FC_GBA_NAF);
	kdf_add_string(&kdf, LABEL_GBA_U);
	kdf_add(&kdf, rand, sizeof(rand));
	kdf_add_string(&kdf, impi);
	kdf_add(&kdf, naf_id, NAF_ID_LEN);
	ret = kdf_derive(&kdf, ks, sizeof(ks), out);
	kdf_free(&kdf);
	is_hex(out, sizeof(out), ret ? "error" :
	       "dc1ceb72700b7c0e17c8eac76838f8bafb134885011e713f782bfca16a2df691",
	       "GBA example: Ks_int_NAF");
}

static void test_fc_forms(void)
{
	const uint8_t *s;
	struct kdf kdf;
	size_t s_len;

	ok(kdf_init(&kdf, 0xffe3) == 0, "two-octet FC accepted");
	kdf_add_octet(&kdf, 0x01);
	kdf_add(&kdf, NULL, 0);
	s = kdf_input(&kdf, &s_len);
	is_hex(s, s_len, "ffe30100010000",
	       "two-octet FC, a one-octet and an empty parameter");
	kdf_free(&kdf);

	ok(kdf_init(&kdf, 0x00) == 0, "FC 00 accepted");
	s = kdf_input(&kdf, &s_len);
	is_hex(s, s_len, "00", "FC 00 is one octet");
	kdf_free(&kdf);

	ok(kdf_init(&kdf, 0xff) == -EINVAL, "FC ff alone refused");
	kdf_free(&kdf);
	ok(kdf_init(&kdf, 0x0100) == -EINVAL, "FC 01 00 refused");
	kdf_free(&kdf);
	ok(kdf_init(&kdf, 0xfeff) == -EINVAL, "FC fe ff refused");
	kdf_free(&kdf);
	ok(kdf_init(&kdf, 0x10000) == -EINVAL, "FC beyond two octets refused");
	kdf_free(&kdf);
}

static void test_lengths(void)
{
	static uint8_t big[KDF_PARAM_MAX + 1];
	uint8_t key[1] = { 0x42 }, out[KDF_OUT_LEN];
	const uint8_t *s;
	struct kdf kdf;
	size_t s_len;

	kdf_init(&kdf, FC_KASME);
	ok(kdf_add(&kdf, big, KDF_PARAM_MAX) == 0,
	   "a 65535-octet parameter accepted");
	s = kdf_input(&kdf, &s_len);
	ok(s_len == 1 + KDF_PARAM_MAX + 2 && s[s_len - 2] == 0xff &&
	   s[s_len - 1] == 0xff, "its length is ff ff, after it");
	kdf_free(&kdf);

	kdf_init(&kdf, FC_KASME);
	ok(kdf_add(&kdf, big, KDF_PARAM_MAX + 1) == -EINVAL,
	   "a 65536-octet parameter refused");
	ok(kdf_add_octet(&kdf, 1) == -EINVAL, "the error sticks");
	ok(kdf_derive(&kdf, key, sizeof(key), out) == -EINVAL,
	   "and kdf_derive() reports it");
	kdf_free(&kdf);

	kdf_init(&kdf, FC_KASME);
	ok(kdf_derive(&kdf, key, 0, out) == -EINVAL, "an empty key refused");
	kdf_free(&kdf);
}

/*
 * The HMAC itself, on a short S. Expected value computed independently with
 *	printf '\x10\x61\x00\x01' | openssl mac -digest SHA256 \
 *		-macopt key:Jefe HMAC
 * and with Python's hmac module; both agree.
 */
static void test_hmac(void)
{
	uint8_t out[KDF_OUT_LEN];
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_KASME);
	kdf_add_string(&kdf, "a");
	ret = kdf_derive(&kdf, (const uint8_t *)"Jefe", 4, out);
	kdf_free(&kdf);
	is_hex(out, sizeof(out), ret ? "error" :
	       "afb5d99ae57987f44845f6891d772e198e52d79fdb23243280e6d008ad3a5bae",
	       "HMAC-SHA-256 of S = 10 61 00 01 under \"Jefe\"");
}

int main(void)
{
	plan(4 + 8 + 6 + 1);
	test_gba_example();
	test_fc_forms();
	test_lengths();
	test_hmac();
	return done_testing();
}
