/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secrets at rest: AES-256-GCM under the store key, with the identity of
 * the place the secret belongs to (table, row, column) as additional
 * authenticated data, so a sealed K cannot be moved to another subscriber,
 * or into the OPc column, without failing to open.
 *
 *	blob = version (1 octet, 1) || nonce (12) || ciphertext || tag (16)
 *
 * The nonce is random: a store seals a few secrets per subscriber and per
 * session, far below the 2^32 messages a random 96-bit nonce allows.
 */
#ifndef E2M_SEAL_H
#define E2M_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define SEAL_VERSION		1
#define SEAL_NONCE_LEN		12
#define SEAL_TAG_LEN		16
#define SEAL_OVERHEAD		(1 + SEAL_NONCE_LEN + SEAL_TAG_LEN)
#define SEAL_SECRET_MAX		64	/* the largest secret sealed */
#define SEAL_BLOB_MAX		(SEAL_OVERHEAD + SEAL_SECRET_MAX)

/* Where a secret lives; none of the strings may contain a NUL. */
struct seal_place {
	const char *table;
	const char *row;	/* the row's identity: IMSI, B-TID, ICCID */
	const char *column;
};

/*
 * Seals len octets (at most SEAL_SECRET_MAX) into blob, which holds
 * SEAL_OVERHEAD + len octets. 0, -EINVAL, -ENOMEM or -EIO.
 */
int seal_secret(const struct store_key *key, const struct seal_place *place,
		const uint8_t *secret, size_t len, uint8_t *blob);

/*
 * Opens a blob into secret, which must be exactly len octets long.
 * -EKEYREJECTED when the blob does not open under this key at this place
 * (wrong key, tampered, moved or the wrong length); secret is then zeroed.
 */
int unseal_secret(const struct store_key *key, const struct seal_place *place,
		  const uint8_t *blob, size_t blob_len, uint8_t *secret,
		  size_t len);

#endif /* E2M_SEAL_H */
