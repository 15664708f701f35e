// SPDX-License-Identifier: GPL-2.0
/*
 * The places and bound fields of sealed secrets, see seal_fields.h.
 */
#include "seal_fields.h"

void seal_subscriber_fields(const struct store_subscriber_info *info,
			    struct seal_field fields[SEAL_SUBSCRIBER_FIELDS])
{
	fields[0] = SEAL_TEXT_FIELD("impi", info->impi);
	fields[1] = SEAL_INT_FIELD("amf", info->amf[0] << 8 | info->amf[1]);
	fields[2] = SEAL_INT_FIELD("flags", info->flags);
	fields[3] = SEAL_TEXT_FIELD("uss", info->uss);
	fields[4] = SEAL_INT_FIELD("sqn_ind_bits", info->sqn.ind_bits);
}

struct seal_place seal_subscriber_place(const struct store_subscriber_info *info,
					const char *column,
					const struct seal_field *fields)
{
	return (struct seal_place){
		.table = "subscribers", .row = info->imsi, .column = column,
		.fields = fields, .n_fields = SEAL_SUBSCRIBER_FIELDS,
	};
}

void seal_session_fields(const struct store_session_info *info,
			 struct seal_field fields[SEAL_SESSION_FIELDS])
{
	fields[0] = SEAL_TEXT_FIELD("impi", info->impi);
	fields[1] = SEAL_BLOB_FIELD("rand", info->rand, sizeof(info->rand));
	fields[2] = SEAL_INT_FIELD("created", info->created);
	fields[3] = SEAL_INT_FIELD("expires", info->expires);
	fields[4] = SEAL_INT_FIELD("flags", info->flags);
	fields[5] = SEAL_TEXT_FIELD("uss", info->uss);
}

struct seal_place seal_session_place(const struct store_session_info *info,
				     const struct seal_field *fields)
{
	return (struct seal_place){
		.table = "sessions", .row = info->btid, .column = "ks",
		.fields = fields, .n_fields = SEAL_SESSION_FIELDS,
	};
}

void seal_challenge_fields(const struct store_challenge_info *info,
			   struct seal_field fields[SEAL_CHALLENGE_FIELDS])
{
	fields[0] = SEAL_TEXT_FIELD("opaque", info->opaque);
	fields[1] = SEAL_TEXT_FIELD("impi", info->impi);
	fields[2] = SEAL_BLOB_FIELD("rand", info->rand, sizeof(info->rand));
	fields[3] = SEAL_INT_FIELD("flags", info->flags);
	fields[4] = SEAL_INT_FIELD("expires_ms", info->expires_ms);
	fields[5] = SEAL_TEXT_FIELD("uss", info->uss);
}

struct seal_place seal_challenge_place(const struct store_challenge_info *info,
				       const struct seal_field *fields)
{
	return (struct seal_place){
		.table = "bsf_challenges", .row = info->nonce,
		.column = "secret", .fields = fields,
		.n_fields = SEAL_CHALLENGE_FIELDS,
	};
}
