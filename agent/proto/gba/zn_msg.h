/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2m's Zn profile: a NAF (or the NAF Key Centre) fetches the NAF-specific
 * key of a bootstrap from the BSF over HTTP/JSON, on TLS with both ends
 * authenticated by certificate (TS 29.109's Diameter Zn is out of scope).
 *
 *	POST /zn/v1/naf-key
 *	{"btid": "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net",
 *	 "naf-id": "<hex of NAF FQDN || 5-octet Ua security protocol id>",
 *	 "gba-u": true}
 *
 * "gba-u" is optional (false): the NAF asks for the GBA_U keys, Ks_int_NAF
 * too, when the bootstrap was GBA_U. The answer:
 *
 *	200 {"btid": "...", "impi": "...", "ks-ext-naf": hex (32 octets),
 *	     "ks-int-naf": hex (32 octets, GBA_U only),
 *	     "expires": "YYYY-MM-DDThh:mm:ssZ", "uss": {...} or null}
 *
 * btid, impi, ks-ext-naf and expires are required; "uss" absent reads as
 * null, and ks-int-naf present marks a GBA_U answer (gba_u in the struct).
 * ks-ext-naf is Ks_NAF for a GBA_ME bootstrap and Ks_ext_NAF for GBA_U;
 * expires is the end of the bootstrap's key lifetime; uss the User
 * Security Settings entry of this NAF. Errors: the body of ub_json.h with
 * unknown-btid, expired-btid, naf-not-authorised, bad-request, ...
 *
 * Parsing and building follow the rules written in zh_msg.h.
 */
#ifndef E2M_UB_ZN_MSG_H
#define E2M_UB_ZN_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/gba.h"
#include "store/store.h"
#include "ub_json.h"

#define ZN_PATH_NAF_KEY	"/zn/v1/naf-key"
#define ZN_FQDN_MAX	255
#define ZN_NAF_ID_MAX	(ZN_FQDN_MAX + GBA_UA_ID_LEN)

/*
 * naf_id is what the hex spells; naf_fqdn and ua_id are its two parts,
 * set by the parser. The FQDN is 1..255 letters, digits, '-' and '.'. The
 * builder writes naf_id and ignores the two parts.
 */
struct zn_key_request {
	char btid[STORE_BTID_MAX + 1];		/* as store_btid_valid() */
	uint8_t naf_id[ZN_NAF_ID_MAX];
	size_t naf_id_len;
	char naf_fqdn[ZN_FQDN_MAX + 1];
	uint8_t ua_id[GBA_UA_ID_LEN];
	bool gba_u;
};

struct zn_key_response {
	char btid[STORE_BTID_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	uint8_t ks_ext_naf[GBA_KEY_LEN];	/* secret */
	bool gba_u;				/* ks_int_naf is set */
	uint8_t ks_int_naf[GBA_KEY_LEN];	/* secret */
	int64_t expires;			/* seconds since the epoch */
	char uss[STORE_USS_MAX];		/* an object, or "" for null */
};

int zn_key_request_build(const struct zn_key_request *req, char **text,
			 char *why, size_t why_size);
int zn_key_request_parse(const char *text, size_t len,
			 struct zn_key_request *req, char *why,
			 size_t why_size);

/* expires must be within utc.h's range. */
int zn_key_response_build(const struct zn_key_response *resp, char **text,
			  char *why, size_t why_size);
int zn_key_response_parse(const char *text, size_t len,
			  struct zn_key_response *resp, char *why,
			  size_t why_size);

/* Splits naf_id into naf_fqdn and ua_id, checking the FQDN: 0 or -EINVAL. */
int zn_naf_id_split(struct zn_key_request *req);

/* Wipes the whole response, keys and all. */
void zn_key_response_wipe(struct zn_key_response *resp);

#endif /* E2M_UB_ZN_MSG_H */
