// SPDX-License-Identifier: GPL-2.0
/*
 * The challenge of a decoy (aka/decoy.c), as the BSF and the SGW both
 * make it. The expected octets were computed apart, with Python's hmac:
 * HMAC-SHA-256(00 01 .. 1f, "001010000000001" 00 be64(1000) be64(7)),
 * RAND its first 16 octets, AUTN the rest with octets 6-7 the AMF 80 00.
 */
#include <errno.h>
#include <string.h>

#include "aka/decoy.h"
#include "tap.h"
#include "util/hex.h"

int main(void)
{
	uint8_t secret[32], amf[AKA_AMF_LEN] = { 0x80, 0x00 };
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], again[AKA_RAND_LEN];
	uint8_t other[AKA_AUTN_LEN];
	char hex[2 * AKA_AUTN_LEN + 1], id[AKA_DECOY_ID_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)i;
	ok(aka_decoy_vector(secret, sizeof(secret), "001010000000001", 1000,
			    7, amf, rand, autn) == 0, "a decoy is made");
	hex_encode(hex, rand, sizeof(rand));
	ok(!strcmp(hex, "29ac9d3f12a8456ab71fc06df0c95e27"),
	   "RAND: the HMAC's first 16 octets (%s)", hex);
	hex_encode(hex, autn, sizeof(autn));
	ok(!strcmp(hex, "734f1c733cdc80007c12ec7666023d8a"),
	   "AUTN: the next 16, the AMF 80 00 in octets 6-7 (%s)", hex);
	ok(aka_decoy_vector(secret, sizeof(secret), "001010000000001", 1000,
			    8, amf, again, other) == 0 &&
	   memcmp(again, rand, sizeof(rand)),
	   "the next number: another RAND");
	memset(id, 'a', AKA_DECOY_ID_MAX + 1);
	id[AKA_DECOY_ID_MAX + 1] = '\0';
	ok(aka_decoy_vector(secret, sizeof(secret), id, 0, 0, amf, rand,
			    autn) == -EINVAL,
	   "an identity of %d octets: -EINVAL", AKA_DECOY_ID_MAX + 1);
	id[AKA_DECOY_ID_MAX] = '\0';
	ok(aka_decoy_vector(secret, sizeof(secret), id, 0, 0, amf, rand,
			    autn) == 0,
	   "an identity of %d octets: made", AKA_DECOY_ID_MAX);
	return done_testing();
}
