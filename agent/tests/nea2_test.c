// SPDX-License-Identifier: GPL-2.0
/*
 * nea2.c against the 128-EEA2 test sets 1-3 of TS 33.401 C.1 (= TS 33.501
 * D.4.4), whose lengths are not whole octets, and decrypt(encrypt(x)) = x.
 */
#include <errno.h>

#include <openssl/rand.h>

#include "crypto/nea2.h"
#include "tap.h"

static const struct {
	const char *key;
	uint32_t count;
	uint8_t bearer, direction;
	size_t length;
	const char *plaintext, *ciphertext;
} sets[] = {
	{
		"d3c5d592327fb11c4035c6680af8c6d1", 0x398a59b4, 0x15, 1, 253,
		"981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0",
		"e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78",
	}, {
		"2bd6459f82c440e0952c49104805ff48", 0xc675a64b, 0x0c, 1, 798,
		"7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92"
		"922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e7627953"
		"59b7bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab"
		"9b134880",
		"5961605353c64bdca15b195e288553a910632506d6200aa790c4c806c99904cf"
		"2445cc50bb1cf168a49673734e081b57e324ce5259c0e78d4cd97b870976503c"
		"0943f2cb5ae8f052c7b7d392239587b8956086bcab18836042e2e6ce42432a17"
		"105c53d0",
	}, {
		"0a8b6bd8d9b08b08d64e32d1817777fb", 0x544d49cd, 0x04, 0, 310,
		"fd40a41d370a1f65745095687d47ba1d36d2349e23f644392c8ea9c49d40c132"
		"71aff264d0f248",
		"75750d37b4bba2a4dedb34235bd68c6645acdaaca48138a3b0c471e2a7041a57"
		"6423d2927287f0",
	},
};

#define N_SETS (int)(sizeof(sets) / sizeof(sets[0]))

static void test_sets(void)
{
	uint8_t key[NEA2_KEY_LEN], in[128], out[128];
	struct nea2 nea2;
	size_t len;
	int i, ret;

	for (i = 0; i < N_SETS; i++) {
		unhex(key, sizeof(key), sets[i].key);
		len = unhex(in, sizeof(in), sets[i].plaintext);
		if (nea2_init(&nea2, key)) {
			printf("Bail out! nea2_init failed\n");
			exit(2);
		}
		ret = nea2_crypt(&nea2, sets[i].count, sets[i].bearer,
				 sets[i].direction, in, sets[i].length, out);
		ok(ret == 0 && len == (sets[i].length + 7) / 8,
		   "EEA2 set %d: %zu bits", i + 1, sets[i].length);
		is_hex(out, len, sets[i].ciphertext, "EEA2 set %d: ciphertext",
		       i + 1);
		/* In place, through the same context a second time. */
		ret = nea2_crypt(&nea2, sets[i].count, sets[i].bearer,
				 sets[i].direction, in, sets[i].length, in);
		is_hex(in, len, ret ? "error" : sets[i].ciphertext,
		       "EEA2 set %d: in place, context reused", i + 1);
		nea2_free(&nea2);
	}
}

/* Random keys, counters and lengths, odd ones included. */
static void test_round_trip(void)
{
	uint8_t key[NEA2_KEY_LEN], plain[200], cipher[200], back[200];
	uint32_t count;
	size_t bits, len;
	struct nea2 nea2;
	int i, good = 1;

	for (i = 0; i < 200 && good; i++) {
		if (RAND_bytes(key, sizeof(key)) != 1 ||
		    RAND_bytes(plain, sizeof(plain)) != 1 ||
		    RAND_bytes((uint8_t *)&count, sizeof(count)) != 1 ||
		    nea2_init(&nea2, key)) {
			printf("Bail out! RAND_bytes or nea2_init failed\n");
			exit(2);
		}
		bits = (size_t)i * 8 + (size_t)(i % 9);
		len = (bits + 7) / 8;
		if (bits % 8)
			plain[len - 1] &= (uint8_t)(0xff << (8 - bits % 8));
		good = nea2_crypt(&nea2, count, i % 32, i % 2, plain, bits,
				  cipher) == 0 &&
		       nea2_crypt(&nea2, count, i % 32, i % 2, cipher, bits,
				  back) == 0 &&
		       (len == 0 || memcmp(plain, back, len) == 0);
		nea2_free(&nea2);
	}
	ok(good, "decrypt(encrypt(x)) = x for 200 random inputs of 0..1599 bits");
}

static void test_refusals(void)
{
	uint8_t key[NEA2_KEY_LEN] = { 0 }, buf[4] = { 0 };
	struct nea2 nea2;

	if (nea2_init(&nea2, key)) {
		printf("Bail out! nea2_init failed\n");
		exit(2);
	}
	ok(nea2_crypt(&nea2, 1, 32, 0, buf, 32, buf) == -EINVAL,
	   "bearer 32 refused");
	ok(nea2_crypt(&nea2, 1, 31, 2, buf, 32, buf) == -EINVAL,
	   "direction 2 refused");
	ok(nea2_crypt(&nea2, 1, 31, 1, buf, 0, buf) == 0,
	   "zero length accepted");
	nea2_free(&nea2);
	nea2_free(&nea2);
	ok(1, "nea2_free twice is harmless");
}

int main(void)
{
	plan(3 * N_SETS + 1 + 4);
	test_sets();
	test_round_trip();
	test_refusals();
	return done_testing();
}
