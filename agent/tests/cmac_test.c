// SPDX-License-Identifier: GPL-2.0
/*
 * cmac.c: AES-128-CMAC against the examples of RFC 4493 section 4, the
 * message whole and cut into parts (empty parts included).
 */
#include <string.h>

#include "crypto/cmac.h"
#include "util/hex.h"
#include "tap.h"

static const char key_hex[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char msg_hex[] =
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	"30c81c46a35ce411";

static int cmac_is(const struct cmac_part *parts, size_t n, const char *want)
{
	uint8_t key[AES128_KEY_LEN], mac[AES_BLOCK_LEN];
	char got[2 * AES_BLOCK_LEN + 1];

	unhex(key, sizeof(key), key_hex);
	memset(mac, 0, sizeof(mac));
	if (aes128_cmac(key, parts, n, mac))
		return 0;
	hex_encode(got, mac, sizeof(mac));
	return !strcmp(got, want);
}

int main(void)
{
	uint8_t msg[40];
	struct cmac_part whole16 = { msg, 16 }, whole40 = { msg, 40 };
	struct cmac_part cut40[] = {
		{ msg, 3 }, { NULL, 0 }, { msg + 3, 20 }, { msg + 23, 17 },
	};

	plan(4);
	unhex(msg, sizeof(msg), msg_hex);
	ok(cmac_is(NULL, 0, "bb1d6929e95937287fa37d129b756746"),
	   "RFC 4493 example 1: the empty message");
	ok(cmac_is(&whole16, 1, "070a16b46b4d4144f79bdd9dd04a287c"),
	   "RFC 4493 example 2: 16 octets");
	ok(cmac_is(&whole40, 1, "dfa66747de9ae63030ca32611497c827"),
	   "RFC 4493 example 3: 40 octets");
	ok(cmac_is(cut40, 4, "dfa66747de9ae63030ca32611497c827"),
	   "example 3 given in four parts, one of them empty");
	return done_testing();
}
