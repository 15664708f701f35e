// SPDX-License-Identifier: GPL-2.0
/*
 * aes.c against the AES-128 kernel vectors of TS 35.207 clause 3.
 */
#include "crypto/aes.h"
#include "tap.h"

static const struct {
	const char *key, *plaintext, *ciphertext;
} vectors[] = {
	{ "465b5ce8b199b49faa5f0a2ee238a6bc", "ee36f7cf037d37d3692f7f0399e7949a",
	  "9e2980c59739da67b136355e3cede6a2" },
	{ "0396eb317b6d1c36f19c1c84cd6ffd16", "93cc3640c5d6a521d81235bd0882bf0a",
	  "009a9e0996561525f611667bbf79e226" },
	{ "fec86ba6eb707ed08905757b1bb44b8f", "8f7a8f0d108b7f2d97a53eacc1d958d9",
	  "5d9bce854decaf0da93d28b7e35f608c" },
};

#define N_VECTORS (int)(sizeof(vectors) / sizeof(vectors[0]))

int main(void)
{
	uint8_t key[AES128_KEY_LEN], plaintext[AES_BLOCK_LEN];
	uint8_t out[AES_BLOCK_LEN];
	struct aes128 aes;
	int i, round;

	plan(3 * N_VECTORS);
	for (i = 0; i < N_VECTORS; i++) {
		unhex(key, sizeof(key), vectors[i].key);
		unhex(plaintext, sizeof(plaintext), vectors[i].plaintext);
		if (!ok(aes128_init(&aes, key) == 0, "kernel set %d: init",
			i + 1))
			return done_testing();
		/* Twice through one context: nothing may carry over. */
		for (round = 1; round <= 2; round++) {
			if (aes128_encrypt(&aes, plaintext, out))
				memset(out, 0, sizeof(out));
			is_hex(out, sizeof(out), vectors[i].ciphertext,
			       "kernel set %d: E_K(plaintext), block %d", i + 1,
			       round);
		}
		aes128_free(&aes);
	}
	return done_testing();
}
