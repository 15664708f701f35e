// SPDX-License-Identifier: GPL-2.0
/*
 * hex.c: lower-case encoding, and decoding that refuses anything doubtful.
 */
#include "util/hex.h"
#include "tap.h"

static void test_encode(void)
{
	static const uint8_t octets[] = { 0x00, 0x01, 0xab, 0xcd, 0xef, 0xff };
	char out[2 * sizeof(octets) + 1];

	hex_encode(out, octets, sizeof(octets));
	ok(strcmp(out, "0001abcdefff") == 0, "encode is lower case");
	hex_encode(out, octets, 0);
	ok(out[0] == '\0', "encode of nothing is the empty string");
}

static void test_decode(void)
{
	uint8_t out[8];
	size_t len = 99;

	ok(hex_decode(out, sizeof(out), &len, "00ff7aA5") == HEX_OK &&
	   len == 4 && out[0] == 0x00 && out[1] == 0xff && out[2] == 0x7a &&
	   out[3] == 0xa5, "decode accepts upper and lower case");
	ok(hex_decode(out, sizeof(out), &len, "") == HEX_OK && len == 0,
	   "decode of the empty string is no octets");
	ok(hex_decode(out, sizeof(out), &len, "abc") == HEX_ODD_LENGTH &&
	   len == 0, "odd number of digits refused");
	ok(hex_decode(out, sizeof(out), &len, "0g") == HEX_BAD_DIGIT,
	   "non-hex character refused");
	ok(hex_decode(out, sizeof(out), &len, "0x12") == HEX_BAD_DIGIT,
	   "0x prefix refused");
	ok(hex_decode(out, sizeof(out), &len, "1 23") == HEX_BAD_DIGIT,
	   "space refused");
	ok(hex_decode(out, sizeof(out), &len, "12-4") == HEX_BAD_DIGIT,
	   "minus sign refused");
	ok(hex_decode(out, sizeof(out), &len, "000102030405060708") ==
	   HEX_TOO_LONG, "more octets than the buffer refused");
	ok(hex_decode(out, sizeof(out), &len, "0001020304050607") == HEX_OK &&
	   len == 8, "exactly the buffer size accepted");
}

static void test_decode_exact(void)
{
	uint8_t out[4] = { 0 };

	ok(hex_decode_exact(out, 4, "deadbeef") == HEX_OK &&
	   out[0] == 0xde && out[3] == 0xef, "exact length accepted");
	ok(hex_decode_exact(out, 4, "deadbe") == HEX_WRONG_LENGTH,
	   "short input refused");
	ok(out[0] == 0 && out[2] == 0, "short input leaves nothing behind");
	ok(hex_decode_exact(out, 4, "deadbeef00") == HEX_WRONG_LENGTH,
	   "long input refused");
	ok(hex_decode_exact(out, 4, "deadbee") == HEX_ODD_LENGTH,
	   "odd length reported as such");
	ok(hex_decode_exact(out, 4, "deadbeeg") == HEX_BAD_DIGIT,
	   "bad digit reported as such");
	ok(strcmp(hex_strerror(HEX_ODD_LENGTH), "odd number of hex digits") == 0,
	   "error text");
}

int main(void)
{
	plan(18);
	test_encode();
	test_decode();
	test_decode_exact();
	return done_testing();
}
