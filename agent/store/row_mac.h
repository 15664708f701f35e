/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Row MACs, engine-neutral: the key and the MAC of a row's values, as
 * sqlite_row_mac.c documents them (the format, the mac key derived from
 * the store key). Both engines MAC the same rows the same way, so that a
 * row's MAC means the same wherever it is read.
 */
#ifndef E2M_STORE_ROW_MAC_H
#define E2M_STORE_ROW_MAC_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "seal.h"

#define ROW_MAC_LEN		32
#define ROW_VALUES_MAX		16	/* more columns than any table's */

/* *ctx keyed with the mac key of key: 0, -ENOMEM or -EIO. */
int row_mac_key(EVP_MAC_CTX **ctx, const struct store_key *key);

/* The MAC of the n values of a row of table: 0, -EINVAL or -EIO. */
int row_mac(EVP_MAC_CTX *ctx, const char *table,
	    const struct seal_field *values, size_t n,
	    uint8_t mac[ROW_MAC_LEN]);

#endif /* E2M_STORE_ROW_MAC_H */
