/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secrets at rest: AES-256-GCM under the store key, with the place the
 * secret belongs to (table, row, column) and the values of the columns
 * its row is found by or decided on (the bound fields) as additional
 * authenticated data. A sealed K cannot be moved to another subscriber,
 * into the OPc column, or kept while the row's IMPI, expiry or USS is
 * changed, without failing to open. Which columns each table binds, and
 * why: sqlite_seal.c (and Documentation/deploy.md, "The store").
 *
 *	blob = version (1 octet, 2) || nonce (12) || ciphertext || tag (16)
 *
 *	AAD  = "e2m-store/2" || str(table) || str(row) || str(column)
 *	       || u32(number of fields) || field ...
 *	field = str(name) || type (1 octet) || value
 *	value = i64 big-endian (SEAL_INT) | str(octets) (SEAL_TEXT, SEAL_BLOB)
 *	        | nothing (SEAL_NULL)
 *	str(x) = u32 big-endian length of x || x
 *
 * Every part is length-prefixed and typed, so no two lists of places and
 * values give the same AAD ("ab"+"c" is not "a"+"bc", the text "5" is not
 * the integer 5).
 *
 * Version 1 blobs (AAD = "e2m-store/1" NUL table NUL row NUL column NUL,
 * no bound fields) are what stores before schema 10 hold: only
 * seal_open_v1() opens them, for the migration that re-seals them;
 * unseal_secret() refuses them, so none can be slipped back into a store
 * of today.
 *
 * The nonce is random: a store seals a few secrets per subscriber and per
 * session, far below the 2^32 messages a random 96-bit nonce allows.
 */
#ifndef E2M_SEAL_H
#define E2M_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store.h"

#define SEAL_VERSION		2
#define SEAL_VERSION_1		1	/* before schema 10 (see above) */
#define SEAL_NONCE_LEN		12
#define SEAL_TAG_LEN		16
#define SEAL_OVERHEAD		(1 + SEAL_NONCE_LEN + SEAL_TAG_LEN)
#define SEAL_SECRET_MAX		64	/* the largest secret sealed */
#define SEAL_BLOB_MAX		(SEAL_OVERHEAD + SEAL_SECRET_MAX)
#define SEAL_FIELDS_MAX		8	/* the most bound fields of a place */

enum seal_field_type {
	SEAL_NULL = 0,
	SEAL_INT = 1,
	SEAL_TEXT = 2,
	SEAL_BLOB = 3,
};

/* A column's value the seal binds: a name and a typed value. */
struct seal_field {
	const char *name;
	enum seal_field_type type;
	int64_t integer;	/* SEAL_INT */
	const void *bytes;	/* SEAL_TEXT (no NUL), SEAL_BLOB */
	size_t len;
};

#define SEAL_INT_FIELD(n, v) \
	((struct seal_field){ .name = (n), .type = SEAL_INT, \
			      .integer = (int64_t)(v) })
#define SEAL_TEXT_FIELD(n, s) \
	((struct seal_field){ .name = (n), .type = SEAL_TEXT, .bytes = (s), \
			      .len = strlen(s) })
#define SEAL_BLOB_FIELD(n, p, l) \
	((struct seal_field){ .name = (n), .type = SEAL_BLOB, .bytes = (p), \
			      .len = (l) })

/* Where a secret lives; none of the strings may contain a NUL. */
struct seal_place {
	const char *table;
	const char *row;	/* the row's identity: IMSI, B-TID, ICCID */
	const char *column;
	const struct seal_field *fields;	/* the bound columns, in order */
	size_t n_fields;			/* at most SEAL_FIELDS_MAX */
};

/*
 * Seals len octets (at most SEAL_SECRET_MAX) into blob, which holds
 * SEAL_OVERHEAD + len octets, as a version 2 blob. 0, -EINVAL, -ENOMEM or
 * -EIO.
 */
int seal_secret(const struct store_key *key, const struct seal_place *place,
		const uint8_t *secret, size_t len, uint8_t *blob);

/*
 * Opens a version 2 blob into secret, which must be exactly len octets
 * long. -EKEYREJECTED when the blob does not open under this key at this
 * place with these bound values (wrong key, tampered, moved, a bound
 * column changed, a version 1 blob, or the wrong length); secret is then
 * zeroed.
 */
int unseal_secret(const struct store_key *key, const struct seal_place *place,
		  const uint8_t *blob, size_t blob_len, uint8_t *secret,
		  size_t len);

/*
 * The migration to schema 10 only: opens a version 1 blob at its place
 * (table, row, column; the fields are not part of a version 1 AAD).
 * unseal_secret()'s results.
 */
int seal_open_v1(const struct store_key *key, const struct seal_place *place,
		 const uint8_t *blob, size_t blob_len, uint8_t *secret,
		 size_t len);

#endif /* E2M_SEAL_H */
