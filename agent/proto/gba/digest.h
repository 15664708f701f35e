/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP Digest as GBA runs it on Ub (TS 24.109 clause 4 and Annex A): RFC
 * 2617 with the AKA of RFC 3310, algorithm AKAv1-MD5, qop auth-int.
 *
 *	UE  -> BSF	Authorization: Digest username=IMPI, nonce="", ...
 *	BSF -> UE	401, WWW-Authenticate: Digest nonce=base64(RAND||AUTN)
 *	UE  -> BSF	Authorization: Digest ..., response (password RES)
 *			  or, SQN out of range, auts= (password "")
 *	BSF -> UE	200, Authentication-Info: rspauth (password XRES)
 *
 * Three parts, all pure functions:
 *
 * - Parsers and builders for the three header values. The parsers are
 *   strict and bounded: auth-param = token "=" ( token / quoted-string ),
 *   comma separated with optional whitespace (SP, HTAB) around the commas
 *   and the "=", names case-insensitive, quoted-pairs undone, no empty
 *   list element, no parameter twice (known or not), unknown parameters
 *   ignored, no control character, no value longer than its field, no
 *   header value longer than DIGEST_HEADER_MAX. Either form (token or
 *   quoted-string) is accepted for any parameter, as deployed clients
 *   differ; the builders write the form of RFC 2617. A parser fills its
 *   struct only on success: on error the struct is as it was.
 * - The response and rspauth computations and their constant-time checks.
 * - The AKA nonce (base64 of RAND || AUTN) and auts (base64 of AUTS).
 *
 * Functions return 0 (or a length, where said) or a negative errno:
 * -EINVAL for input that is refused (with a one-line reason in why when
 * the function has one), -ENOSPC for an output buffer too small, -EBADMSG
 * for a response or rspauth that does not verify, -EIO when OpenSSL fails.
 */
#ifndef E2M_UB_DIGEST_H
#define E2M_UB_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

/* A header value, octets: room for the longest the builders can make. */
#define DIGEST_HEADER_MAX	8192
#define DIGEST_PARAMS_MAX	32	/* auth-params in one header value */
#define DIGEST_VALUE_MAX	255	/* most values, unquoted, octets */
#define DIGEST_URI_MAX		1024	/* uri and domain */
#define DIGEST_TOKEN_MAX	32	/* algorithm, qop */
#define DIGEST_QOP_LIST_MAX	64	/* the qop options of a challenge */
#define DIGEST_HEX_LEN		32	/* response, rspauth: MD5 in hex */
#define DIGEST_NC_LEN		8	/* nc: 8 hex digits */

/* base64 of RAND || AUTN (32 octets) and of AUTS (14 octets), padded. */
#define DIGEST_AKA_NONCE_LEN	44
#define DIGEST_AUTS_LEN		20

#define DIGEST_ALGORITHM_AKAV1_MD5	"AKAv1-MD5"

/*
 * The algorithms e2m computes. MD5 (also when no algorithm is given) and
 * AKAv1-MD5 compute alike, with RES as the password for the latter; the
 * -sess variants are not supported (RFC 3310 advises against them).
 */
enum digest_algorithm {
	DIGEST_ALG_UNSUPPORTED = -1,
	DIGEST_ALG_MD5 = 0,
	DIGEST_ALG_AKAV1_MD5 = 1,
};

enum digest_qop {
	DIGEST_QOP_NONE = 0,	/* RFC 2069 compatibility, no qop */
	DIGEST_QOP_AUTH = 1,
	DIGEST_QOP_AUTH_INT = 2,
};

/*
 * WWW-Authenticate: Digest ... (RFC 2617 3.2.1). realm and nonce are
 * required, nonce not empty; an empty optional string means the parameter
 * is absent. qop options are a comma list of tokens.
 */
struct digest_challenge {
	char realm[DIGEST_VALUE_MAX + 1];
	char nonce[DIGEST_VALUE_MAX + 1];
	char opaque[DIGEST_VALUE_MAX + 1];
	char domain[DIGEST_URI_MAX + 1];
	char algorithm[DIGEST_TOKEN_MAX + 1];	/* a token, e.g. AKAv1-MD5 */
	char qop[DIGEST_QOP_LIST_MAX + 1];	/* e.g. "auth-int" or "auth,auth-int" */
	bool stale;				/* stale=true */
};

/*
 * Authorization: Digest ... (RFC 2617 3.2.2, RFC 3310 3.4). username,
 * realm, nonce, uri and response are required, and may be empty (the
 * first request of TS 24.109 A.3 has nonce="" and response=""); response
 * is otherwise 32 lower-case hex digits. qop is "auth", "auth-int" or
 * absent; with qop, nc and cnonce are required, without it they must be
 * absent. auts, when present, is the base64 of 14 octets (checked).
 */
struct digest_credentials {
	char username[DIGEST_VALUE_MAX + 1];
	char realm[DIGEST_VALUE_MAX + 1];
	char nonce[DIGEST_VALUE_MAX + 1];
	char uri[DIGEST_URI_MAX + 1];
	char response[DIGEST_HEX_LEN + 1];
	char algorithm[DIGEST_TOKEN_MAX + 1];
	char cnonce[DIGEST_VALUE_MAX + 1];
	char opaque[DIGEST_VALUE_MAX + 1];
	char qop[DIGEST_TOKEN_MAX + 1];
	char nc[DIGEST_NC_LEN + 1];
	char auts[DIGEST_AUTS_LEN + 1];
};

/*
 * Authentication-Info: ... (RFC 2617 3.2.3), no scheme in front. All
 * optional; with qop ("auth" or "auth-int"), rspauth, cnonce and nc are
 * required. rspauth is 32 lower-case hex digits.
 */
struct digest_auth_info {
	char nextnonce[DIGEST_VALUE_MAX + 1];
	char qop[DIGEST_TOKEN_MAX + 1];
	char rspauth[DIGEST_HEX_LEN + 1];
	char cnonce[DIGEST_VALUE_MAX + 1];
	char nc[DIGEST_NC_LEN + 1];
};

/*
 * Parse one header value, len octets at value (need not be NUL-terminated;
 * a NUL in it is refused). The challenge and the credentials start with
 * the scheme "Digest" (any case) and hold one challenge or credentials
 * only. 0 or -EINVAL.
 */
int digest_parse_challenge(const char *value, size_t len,
			   struct digest_challenge *challenge, char *why,
			   size_t why_size);
int digest_parse_credentials(const char *value, size_t len,
			     struct digest_credentials *credentials,
			     char *why, size_t why_size);
int digest_parse_auth_info(const char *value, size_t len,
			   struct digest_auth_info *info, char *why,
			   size_t why_size);

/*
 * Build one header value, NUL-terminated, into out (size octets): the
 * scheme "Digest " first for the challenge and the credentials, then the
 * required parameters and the optional ones that are not empty, quoted
 * strings escaped. The struct must pass the rules its parser applies, so
 * whatever is built parses back to the same struct. Returns the length,
 * -EINVAL (with why) or -ENOSPC.
 */
int digest_build_challenge(char *out, size_t size,
			   const struct digest_challenge *challenge,
			   char *why, size_t why_size);
int digest_build_credentials(char *out, size_t size,
			     const struct digest_credentials *credentials,
			     char *why, size_t why_size);
int digest_build_auth_info(char *out, size_t size,
			   const struct digest_auth_info *info, char *why,
			   size_t why_size);

/* The algorithm an algorithm parameter names, any case; "" is MD5. */
enum digest_algorithm digest_algorithm_of(const char *algorithm);

/* The qop of a credentials or Authentication-Info qop: 0 or -EINVAL. */
int digest_qop_of(const char *qop, enum digest_qop *out);

/* Whether the qop options of a challenge (a comma list) offer qop. */
bool digest_qop_offered(const char *qop_options, enum digest_qop qop);

/*
 * What the response and rspauth are computed over (RFC 2617 3.2.2.1-3):
 *
 *	HA1 = MD5(username ":" realm ":" password)
 *	HA2 = MD5(method ":" uri)			qop auth or none
 *	      MD5(method ":" uri ":" MD5(body))		qop auth-int
 *	response = MD5(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
 *		   MD5(HA1 ":" nonce ":" HA2)		qop none
 *
 * with the hashes in lower-case hex, and for rspauth the same with an
 * empty method (HA2 over ":" uri ...). For AKAv1-MD5 the password is RES
 * as raw octets (XRES on the BSF; RFC 3310 3.3, 3.5), and the empty
 * password after a synchronisation failure (auts, RFC 3310 3.4). body is
 * the entity body: of the request for the response, of the 200 OK for
 * rspauth; it may be NULL when body_len is 0. nc and cnonce are used with
 * a qop only.
 */
struct digest_input {
	const char *username;
	const char *realm;
	const uint8_t *password;	/* secret */
	size_t password_len;
	const char *method;		/* e.g. "GET"; not used by rspauth */
	const char *uri;
	const char *nonce;
	enum digest_qop qop;
	const char *nc;
	const char *cnonce;
	const uint8_t *body;
	size_t body_len;
};

/*
 * The response or rspauth as 32 lower-case hex digits and a NUL.
 * 0, -EINVAL (a string missing, or nc or cnonce with a qop) or -EIO.
 * HA1 is wiped before return.
 */
int digest_response(char out[DIGEST_HEX_LEN + 1],
		    const struct digest_input *input);
int digest_rspauth(char out[DIGEST_HEX_LEN + 1],
		   const struct digest_input *input);

/*
 * Compute and compare with what the peer sent, in constant time: 0 when
 * they match, -EBADMSG when not (also for a value that is not 32 hex
 * digits), or an error of the computation.
 */
int digest_response_check(const struct digest_input *input,
			  const char *response);
int digest_rspauth_check(const struct digest_input *input,
			 const char *rspauth);

/*
 * The AKA nonce, base64(RAND || AUTN) (RFC 3310 3.2). e2m sends no
 * server-specific data after AUTN, and its UE refuses a nonce that
 * decodes to any length but 32 octets, or is not canonical base64.
 * encode: 0 or -EIO. decode: 0 or -EINVAL, rand and autn untouched then.
 */
int digest_aka_nonce_encode(char out[DIGEST_AKA_NONCE_LEN + 1],
			    const uint8_t rand[AKA_RAND_LEN],
			    const uint8_t autn[AKA_AUTN_LEN]);
int digest_aka_nonce_decode(const char *nonce, uint8_t rand[AKA_RAND_LEN],
			    uint8_t autn[AKA_AUTN_LEN]);

/* The auts parameter, base64(AUTS) (RFC 3310 3.4). As for the nonce. */
int digest_auts_encode(char out[DIGEST_AUTS_LEN + 1],
		       const uint8_t auts[AKA_AUTS_LEN]);
int digest_auts_decode(const char *text, uint8_t auts[AKA_AUTS_LEN]);

#endif /* E2M_UB_DIGEST_H */
