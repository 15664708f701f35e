/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2m's Zh profile: the BSF fetches an authentication vector and the GBA
 * User Security Settings from the HSS over HTTP/JSON, on TLS with both
 * ends authenticated by certificate (Diameter Zh, TS 29.109, is out of
 * scope).
 *
 *	POST /zh/v1/av
 *	{"impi": "user1_private@home1.net",
 *	 "resync": {"rand": "<32 hex>", "auts": "<28 hex>"}}
 *
 * "resync" is optional: the BSF sends it after the UE answered a challenge
 * with auts, rand being the RAND of that challenge; the HSS checks AUTS,
 * resynchronises, and answers with a fresh vector. The answer:
 *
 *	200 {"impi": "...", "rand": hex, "autn": hex, "xres": hex,
 *	     "ck": hex, "ik": hex, "gba-u": bool, "uss": {...} or null}
 *
 * and any other status the error body of ub_json.h (unknown-subscriber,
 * resync-failed, bad-request, ...). Every member of the 200 body is
 * required but "uss", whose absence reads as null.
 *
 * Parsing rules, the same for Zn (zn_msg.h): the body is one JSON object
 * of at most UB_JSON_MAX octets, no member twice; a member of the wrong
 * type, a hex string of the wrong length or with a non-hex digit, an
 * invalid IMPI, or a required member missing is refused with -EINVAL and
 * a one-line why naming the member; unknown top-level members are
 * ignored, so either end can add one without breaking the other. Hex is
 * written lower case and read in either case. A parser fills its struct
 * only on success.
 *
 * Builders allocate the text into *text (compact JSON, NUL-terminated);
 * the caller frees it with ub_json_text_free(), which wipes it (a
 * response holds CK and IK). They check the struct as the parser would
 * and return 0, -EINVAL (with why) or -ENOMEM; *text is NULL on error.
 */
#ifndef E2M_UB_ZH_MSG_H
#define E2M_UB_ZH_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"
#include "store/store.h"
#include "ub_json.h"

#define ZH_PATH_AV	"/zh/v1/av"

struct zh_av_request {
	char impi[STORE_IMPI_MAX + 1];		/* as store_impi_valid() */
	bool resync;				/* rand and auts are set */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t auts[AKA_AUTS_LEN];
};

/*
 * One UMTS authentication vector (RES of AKA_RES_LEN octets, as e2m's AuC
 * makes) and the subscriber's GBA settings. uss is the GUSS as compact
 * JSON text, an object, or "" for null; the library does not look into
 * it.
 */
struct zh_av_response {
	char impi[STORE_IMPI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	uint8_t xres[AKA_RES_LEN];		/* secret */
	uint8_t ck[AKA_CK_LEN];			/* secret */
	uint8_t ik[AKA_IK_LEN];			/* secret */
	bool gba_u;				/* the UICC is GBA_U aware */
	char uss[STORE_USS_MAX];
};

int zh_av_request_build(const struct zh_av_request *req, char **text,
			char *why, size_t why_size);
int zh_av_request_parse(const char *text, size_t len,
			struct zh_av_request *req, char *why,
			size_t why_size);

int zh_av_response_build(const struct zh_av_response *resp, char **text,
			 char *why, size_t why_size);
int zh_av_response_parse(const char *text, size_t len,
			 struct zh_av_response *resp, char *why,
			 size_t why_size);

/* Wipes the whole response, keys and all. */
void zh_av_response_wipe(struct zh_av_response *resp);

#endif /* E2M_UB_ZH_MSG_H */
