/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Centralized Key Distribution of the pre-provisioned symmetric key
 * framework (oneM2M TS-0003 8.3.2.1, Documentation/onem2m.md): the MAF
 * asks the MEF for the Km of one Enrolee's Ke, over mutual TLS (the MAF
 * known by its certificate). e2m profile, JSON over HTTP/1.1 as the
 * other roles' interfaces:
 *
 *	POST /onem2m/v1/km
 *	Content-Type: application/json
 *	{"ke-id": "<base64>==@<MEF FQDN>", "enrolee-id": "CAE-enrolee-1"}
 *
 *	200 {"km": "<64 hex digits>", "expires": "YYYY-MM-DDThh:mm:ssZ"}
 *
 * Km = KDF(Ke, 0xFF 0xE7, "Km", MAF-ID, Enrolee-ID) (PROFILE.md 6); it
 * expires with its Ke. The MAF derives Km-Id itself, from its own FQDN.
 *
 * Enrolee B asks for the Kpsa of a Ke in the same way, with the same
 * request body, over the same mutual TLS (known by its certificate):
 *
 *	POST /onem2m/v1/kpsa
 *	{"ke-id": ..., "enrolee-id": ...}
 *
 *	200 {"kpsa": "<64 hex digits>", "expires": "YYYY-MM-DDThh:mm:ssZ"}
 *
 * Kpsa = KDF(Ke, 0xFF 0xE7, "Kpsa", Enrolee-B-ID, Enrolee-ID); the
 * response struct is Km's, its km member holding Kpsa.
 *
 * A MAF that knows only a Km-Id (an Enrolee named it in its handshake)
 * asks for Km by it, on the Km path (km-id instead of the other two
 * members, never beside them):
 *
 *	POST /onem2m/v1/km
 *	{"km-id": "<base64>==@<MAF FQDN>"}
 *
 *	200 {"km": ..., "expires": ..., "ke-id": ..., "enrolee-id": ...}
 *	404 unknown-km-id
 *
 * The answer names the Ke and Enrolee-ID the Km is of, which the MAF
 * could not know; a Km answer to a ke-id request may carry them too.
 * The Kpsa path takes no km-id.
 * Refusals carry proto/gba/ub_json.h's error body with
 * enrol_msg.h's not-configured and the tokens below.
 *
 * Parsers and builders as enrol_msg.h's: one JSON object of at most
 * UB_JSON_MAX octets, no member twice, unknown members ignored, 0 or
 * -EINVAL with a one-line why naming the member (never a value).
 */
#ifndef E2M_ONEM2M_KM_MSG_H
#define E2M_ONEM2M_KM_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/gba/ub_json.h"
#include "store/store.h"

#define ONEM2M_KM_PATH	"/onem2m/v1/km"
#define ONEM2M_KPSA_PATH	"/onem2m/v1/kpsa"

#define ONEM2M_ERR_FORBIDDEN	"forbidden"	/* 403: not a listed client */
#define ONEM2M_ERR_UNKNOWN_KE	"unknown-ke"	/* 404 */
#define ONEM2M_ERR_EXPIRED_KE	"expired-ke"	/* 404 */
#define ONEM2M_ERR_UNKNOWN_KM_ID "unknown-km-id"	/* 404 */

/* Either ke_id and enrolee_id, km_id "", or km_id alone, the others "". */
struct onem2m_km_request {
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char enrolee_id[STORE_ONEM2M_ID_MAX + 1];
	char km_id[STORE_ONEM2M_KE_ID_MAX + 1];	/* base64 "@" FQDN too */
};

struct onem2m_km_response {
	uint8_t km[STORE_ONEM2M_KE_LEN];	/* secret: Km, or Kpsa */
	int64_t expires;			/* seconds since the epoch */
	/* Optional (the answer to a km-id request has both): "" if absent. */
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char enrolee_id[STORE_ONEM2M_ID_MAX + 1];
};

int onem2m_km_request_parse(const char *text, size_t len,
			    struct onem2m_km_request *req, char *why,
			    size_t why_size);
int onem2m_km_request_build(const struct onem2m_km_request *req,
			    char **text, char *why, size_t why_size);

/* The text of a response holds Km: free it with ub_json_text_free(). */
int onem2m_km_response_parse(const char *text, size_t len,
			     struct onem2m_km_response *resp, char *why,
			     size_t why_size);
int onem2m_km_response_build(const struct onem2m_km_response *resp,
			     char **text, char *why, size_t why_size);
/* The same with "kpsa" for "km". */
int onem2m_kpsa_response_parse(const char *text, size_t len,
			       struct onem2m_km_response *resp, char *why,
			       size_t why_size);
int onem2m_kpsa_response_build(const struct onem2m_km_response *resp,
			       char **text, char *why, size_t why_size);

#endif /* E2M_ONEM2M_KM_MSG_H */
