/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-shot AES-128-CMAC (SP 800-38B) over a message given in parts, on
 * OpenSSL's CMAC: for the MACs computed once per message (SCP11a's
 * receipt, SCP03's chained C-MAC and R-MAC). 128-NIA2 keeps its own
 * context (nia2.h): it MACs many messages under one key, and messages
 * that end inside an octet.
 */
#ifndef E2M_CMAC_H
#define E2M_CMAC_H

#include <stddef.h>
#include <stdint.h>

#include "aes.h"

/* A part of the message; one of len 0 is skipped (its data may be NULL). */
struct cmac_part {
	const uint8_t *data;
	size_t len;
};

/* out = AES-CMAC(key, parts[0] || ... || parts[n-1]). 0, -ENOMEM or -EIO. */
int aes128_cmac(const uint8_t key[AES128_KEY_LEN],
		const struct cmac_part *parts, size_t n,
		uint8_t out[AES_BLOCK_LEN]);

#endif /* E2M_CMAC_H */
