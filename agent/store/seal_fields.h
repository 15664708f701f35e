/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The places and bound fields of the sealed secrets, from the values a
 * row holds: the one definition every engine seals and opens with, so
 * that a secret is sealed the same way whichever engine stores it (the
 * list of what each seal binds, and why: sqlite_seal.c).
 */
#ifndef E2M_SEAL_FIELDS_H
#define E2M_SEAL_FIELDS_H

#include "seal.h"
#include "store.h"

/* subscribers.k and .opc: impi amf flags uss sqn_ind_bits. */
#define SEAL_SUBSCRIBER_FIELDS	5
void seal_subscriber_fields(const struct store_subscriber_info *info,
			    struct seal_field fields[SEAL_SUBSCRIBER_FIELDS]);
struct seal_place seal_subscriber_place(const struct store_subscriber_info *info,
					const char *column,
					const struct seal_field *fields);

/* sessions.ks: impi rand created expires flags uss. */
#define SEAL_SESSION_FIELDS	6
void seal_session_fields(const struct store_session_info *info,
			 struct seal_field fields[SEAL_SESSION_FIELDS]);
struct seal_place seal_session_place(const struct store_session_info *info,
				     const struct seal_field *fields);

/* bsf_challenges.secret: opaque impi rand flags expires_ms uss. */
#define SEAL_CHALLENGE_FIELDS	6
void seal_challenge_fields(const struct store_challenge_info *info,
			   struct seal_field fields[SEAL_CHALLENGE_FIELDS]);
struct seal_place seal_challenge_place(const struct store_challenge_info *info,
				       const struct seal_field *fields);

#endif /* E2M_SEAL_FIELDS_H */
