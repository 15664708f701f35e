// SPDX-License-Identifier: GPL-2.0
/*
 * nia2.c against the 128-EIA2 test sets 1-3 of TS 33.401 C.2 (= TS 33.501
 * D.4.5), two of them with lengths that are not whole octets, and its two
 * CMAC paths against each other.
 */
#include <errno.h>

#include <openssl/rand.h>

#include "crypto/nia2.h"
#include "tap.h"

static const struct {
	const char *key;
	uint32_t count;
	uint8_t bearer, direction;
	size_t length;
	const char *message, *mac;
} sets[] = {
	{
		"2bd6459f82c5b300952c49104881ff48", 0x38a6f056, 0x18, 0, 58,
		"3332346263393840", "118c6eb8",
	}, {
		"d3c5d592327fb11c4035c6680af8c6d1", 0x398a59b4, 0x1a, 1, 64,
		"484583d5afe082ae", "b93787e6",
	}, {
		"7e5e94431e11d73828d739cc6ced4573", 0x36af6144, 0x18, 1, 254,
		"b3d3c9170a4e1632f60f861013d22d84b726b6a278d802d1eeaf1321ba5929dc",
		"1f60b01d",
	},
};

#define N_SETS (int)(sizeof(sets) / sizeof(sets[0]))

static void init_or_bail(struct nia2 *nia2, const uint8_t *key)
{
	if (nia2_init(nia2, key)) {
		printf("Bail out! nia2_init failed\n");
		exit(2);
	}
}

static void test_sets(void)
{
	uint8_t key[NIA2_KEY_LEN], message[64], mac[NIA2_MAC_LEN];
	struct nia2 nia2;
	int i, ret;

	for (i = 0; i < N_SETS; i++) {
		unhex(key, sizeof(key), sets[i].key);
		unhex(message, sizeof(message), sets[i].message);
		init_or_bail(&nia2, key);
		memset(mac, 0, sizeof(mac));
		ret = nia2_mac(&nia2, sets[i].count, sets[i].bearer,
			       sets[i].direction, message, sets[i].length, mac);
		is_hex(mac, sizeof(mac), ret ? "error" : sets[i].mac,
		       "EIA2 set %d: MAC-I over %zu bits", i + 1,
		       sets[i].length);
		memset(mac, 0, sizeof(mac));
		ret = nia2_mac_bits(&nia2, sets[i].count, sets[i].bearer,
				    sets[i].direction, message, sets[i].length,
				    mac);
		is_hex(mac, sizeof(mac), ret ? "error" : sets[i].mac,
		       "EIA2 set %d: bit path", i + 1);
		nia2_free(&nia2);
	}
}

/* Set 2 is octet-aligned: it must come out of OpenSSL's CMAC as well. */
static void test_octet_path_vector(void)
{
	uint8_t key[NIA2_KEY_LEN], message[8], mac[NIA2_MAC_LEN] = { 0 };
	struct nia2 nia2;
	int ret;

	unhex(key, sizeof(key), sets[1].key);
	unhex(message, sizeof(message), sets[1].message);
	init_or_bail(&nia2, key);
	ret = nia2_mac_octets(&nia2, sets[1].count, sets[1].bearer,
			      sets[1].direction, message, 8, mac);
	is_hex(mac, sizeof(mac), ret ? "error" : sets[1].mac,
	       "EIA2 set 2: octet path");
	/* The restarted CMAC must not remember the first message. */
	ret = nia2_mac_octets(&nia2, sets[1].count, sets[1].bearer,
			      sets[1].direction, message, 8, mac);
	is_hex(mac, sizeof(mac), ret ? "error" : sets[1].mac,
	       "EIA2 set 2: octet path, context reused");
	nia2_free(&nia2);
}

/*
 * Random keys and octet-aligned messages of 0..299 octets, which cover
 * every position of the last block and the full-block (K1) case.
 */
static void test_paths_agree(void)
{
	uint8_t key[NIA2_KEY_LEN], message[300];
	uint8_t by_octets[NIA2_MAC_LEN], by_bits[NIA2_MAC_LEN];
	uint32_t count;
	struct nia2 nia2;
	size_t len;
	int good = 1;

	for (len = 0; len < sizeof(message) && good; len++) {
		if (RAND_bytes(key, sizeof(key)) != 1 ||
		    RAND_bytes(message, sizeof(message)) != 1 ||
		    RAND_bytes((uint8_t *)&count, sizeof(count)) != 1) {
			printf("Bail out! RAND_bytes failed\n");
			exit(2);
		}
		init_or_bail(&nia2, key);
		good = nia2_mac_octets(&nia2, count, len % 32, len % 2,
				       message, len, by_octets) == 0 &&
		       nia2_mac_bits(&nia2, count, len % 32, len % 2, message,
				     len * 8, by_bits) == 0 &&
		       memcmp(by_octets, by_bits, NIA2_MAC_LEN) == 0;
		if (!good)
			printf("# paths differ at %zu octets\n", len);
		nia2_free(&nia2);
	}
	ok(good, "octet path = bit path for 300 random octet-aligned messages");
}

/* Bits beyond LENGTH must not change the MAC; bits within it must. */
static void test_bits_beyond_length(void)
{
	uint8_t key[NIA2_KEY_LEN], message[8], mac[NIA2_MAC_LEN];
	struct nia2 nia2;
	int ret;

	unhex(key, sizeof(key), sets[0].key);
	unhex(message, sizeof(message), sets[0].message);
	init_or_bail(&nia2, key);
	message[7] ^= 0x3f;	/* the six bits after bit 58 */
	ret = nia2_mac(&nia2, sets[0].count, sets[0].bearer,
		       sets[0].direction, message, sets[0].length, mac);
	is_hex(mac, sizeof(mac), ret ? "error" : sets[0].mac,
	       "EIA2 set 1: bits beyond LENGTH ignored");
	message[7] ^= 0x40;	/* the 58th bit, the last valid one */
	ret = nia2_mac(&nia2, sets[0].count, sets[0].bearer,
		       sets[0].direction, message, sets[0].length, mac);
	ok(ret == 0 && memcmp(mac, "\x11\x8c\x6e\xb8", 4) != 0,
	   "EIA2 set 1: the last valid bit counts");
	ok(nia2_mac(&nia2, 1, 32, 0, message, 8, mac) == -EINVAL,
	   "bearer 32 refused");
	ok(nia2_mac(&nia2, 1, 0, 2, message, 9, mac) == -EINVAL,
	   "direction 2 refused");
	nia2_free(&nia2);
	nia2_free(&nia2);
	ok(1, "nia2_free twice is harmless");
}

int main(void)
{
	plan(2 * N_SETS + 2 + 1 + 5);
	test_sets();
	test_octet_path_vector();
	test_paths_agree();
	test_bits_beyond_length();
	return done_testing();
}
