// SPDX-License-Identifier: GPL-2.0
/*
 * Hex encoding and strict decoding.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "hex.h"

void hex_encode(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* The value of one digit, or -1. Not locale dependent, unlike isxdigit(). */
static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum hex_error hex_decode(uint8_t *out, size_t out_size, size_t *out_len,
			  const char *hex)
{
	size_t digits = strlen(hex), i;

	*out_len = 0;
	if (digits % 2)
		return HEX_ODD_LENGTH;
	for (i = 0; i < digits; i++) {
		if (digit_value(hex[i]) < 0)
			return HEX_BAD_DIGIT;
	}
	if (digits / 2 > out_size)
		return HEX_TOO_LONG;
	for (i = 0; i < digits / 2; i++)
		out[i] = (uint8_t)(digit_value(hex[2 * i]) << 4 |
				   digit_value(hex[2 * i + 1]));
	*out_len = digits / 2;
	return HEX_OK;
}

enum hex_error hex_decode_exact(uint8_t *out, size_t len, const char *hex)
{
	size_t got;
	enum hex_error error = hex_decode(out, len, &got, hex);

	if (error == HEX_TOO_LONG || (error == HEX_OK && got != len)) {
		OPENSSL_cleanse(out, len);
		return HEX_WRONG_LENGTH;
	}
	return error;
}

const char *hex_strerror(enum hex_error error)
{
	switch (error) {
	case HEX_OK:
		return "no error";
	case HEX_ODD_LENGTH:
		return "odd number of hex digits";
	case HEX_BAD_DIGIT:
		return "not a hex string";
	case HEX_TOO_LONG:
		return "too long";
	case HEX_WRONG_LENGTH:
		return "wrong length";
	}
	return "unknown error";
}
