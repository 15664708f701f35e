/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the JSON bodies of e2m's Zh and Zn profiles (zh_msg.h, zn_msg.h)
 * share: the size limit, the error body, and the handling of texts that
 * hold keys.
 *
 * Every non-200 answer on Zh and Zn carries the error body
 *
 *	{"error": "<token>", "detail": "<text>"}
 *
 * token is lower case letters, digits and '-', one of UB_ERR_* or a newer
 * one (a client treats an unknown token as a failure all the same);
 * detail is one line of printable text for a log, never a key.
 *
 * Keys leave a process only inside JSON text. A text built here that may
 * hold one is freed with ub_json_text_free(), which wipes it first. The
 * copies jansson makes while building or parsing are wiped too: linking
 * this module installs (before main) jansson allocation functions that
 * wipe each block before freeing it. They wrap malloc() and free() and
 * size blocks with malloc_usable_size(), so blocks jansson allocated
 * before still free correctly; a program that installs its own jansson
 * allocators afterwards loses the wiping. Input texts are the caller's to
 * wipe.
 */
#ifndef E2M_UB_JSON_H
#define E2M_UB_JSON_H

#include <stddef.h>

#include <jansson.h>

#define UB_JSON_CONTENT_TYPE	"application/json"
#define UB_JSON_MAX		16384	/* the largest body parsed, octets */
#define UB_ERROR_TOKEN_MAX	63
#define UB_ERROR_DETAIL_MAX	255

/* Error tokens of Zh and Zn. */
#define UB_ERR_BAD_REQUEST		"bad-request"		/* 400 */
#define UB_ERR_UNKNOWN_SUBSCRIBER	"unknown-subscriber"	/* 404, Zh */
#define UB_ERR_RESYNC_FAILED		"resync-failed"		/* 403, Zh */
#define UB_ERR_UNKNOWN_BTID		"unknown-btid"		/* 404, Zn */
#define UB_ERR_EXPIRED_BTID		"expired-btid"		/* 404, Zn */
#define UB_ERR_NAF_NOT_AUTHORISED	"naf-not-authorised"	/* 403, Zn */
#define UB_ERR_INTERNAL			"internal-error"	/* 500 */
/* 503 with Retry-After: the store's server is away (store_refusal.h). */
#define UB_ERR_STORE_UNAVAILABLE	"store-unavailable"

struct ub_error {
	char error[UB_ERROR_TOKEN_MAX + 1];
	char detail[UB_ERROR_DETAIL_MAX + 1];	/* "" when absent */
};

/*
 * The error body as compact JSON, allocated into *text (free with
 * ub_json_text_free() or free()). detail may be NULL or "". 0, -EINVAL
 * (a token that is not one, a detail too long or not one printable UTF-8
 * line) or -ENOMEM; *text is NULL on error.
 */
int ub_error_build(const char *error, const char *detail, char **text);
/* The same as an object, for a batch's result (json_builder_take()). */
int ub_error_object(const char *error, const char *detail, json_t **obj);

/*
 * Parses an error body of len octets: "error" required, "detail"
 * optional, both strings within the limits above, unknown members
 * ignored. 0 or -EINVAL (with why); err untouched on error.
 */
int ub_error_parse(const char *text, size_t len, struct ub_error *err,
		   char *why, size_t why_size);

/*
 * Installs the wiping allocators. Runs before main, and again from every
 * parser and builder of Zh and Zn (it is cheap), so they are in place
 * whichever objects of the library a program links.
 */
void ub_json_wipe_on_free(void);

/* Wipes a NUL-terminated text (up to its NUL) and frees it. NULL is fine. */
void ub_json_text_free(char *text);

#endif /* E2M_UB_JSON_H */
