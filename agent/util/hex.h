/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hex strings: lower-case out, strict in. Every octet string that crosses the
 * command line or a test vector goes through here, so a typo in a key is an
 * error rather than a silently different key.
 */
#ifndef E2M_HEX_H
#define E2M_HEX_H

#include <stddef.h>
#include <stdint.h>

enum hex_error {
	HEX_OK = 0,
	HEX_ODD_LENGTH,		/* an odd number of digits */
	HEX_BAD_DIGIT,		/* a character that is not 0-9, a-f, A-F */
	HEX_TOO_LONG,		/* more octets than the buffer holds */
	HEX_WRONG_LENGTH,	/* not the exact number of octets expected */
};

/* Writes 2 * len lower-case digits and a NUL: out holds 2 * len + 1. */
void hex_encode(char *out, const uint8_t *in, size_t len);

/*
 * Decodes all of hex (upper or lower case, no prefix, no separators) into
 * out, at most out_size octets; *out_len is the number decoded. The whole
 * string is checked before anything is written, so on error out is
 * untouched and *out_len is 0.
 */
enum hex_error hex_decode(uint8_t *out, size_t out_size, size_t *out_len,
			  const char *hex);

/* Decodes hex, which must be exactly len octets. */
enum hex_error hex_decode_exact(uint8_t *out, size_t len, const char *hex);

/* A short phrase for an error, e.g. "odd number of hex digits". */
const char *hex_strerror(enum hex_error error);

#endif /* E2M_HEX_H */
