/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Enrolee's request to the MEF after the Bootstrap Security Handshake
 * of the pre-provisioned symmetric key framework (oneM2M TS-0003 8.3.2.1,
 * Documentation/onem2m.md), e2m profile: the seed has no message here
 * (both ends derive Ke from the session by themselves), so e2m adds one,
 * JSON over HTTP/1.1 inside the (D)TLS-PSK session, for the two ends to
 * check they hold the same Bootstrap Instruction Configuration and that
 * the MEF stored Ke before the Enrolee does:
 *
 *	POST /onem2m/v1/enrolment
 *	Content-Type: application/json
 *	{"enrolee-id": "CAE-enrolee-1", "maf-id": "maf-1"}
 *	  or {"enrolee-id": ..., "enrolee-b-id": "node-b"}
 *
 * exactly one of maf-id and enrolee-b-id. The answer:
 *
 *	200 {"ke-id": "<base64>==@<MEF FQDN>",
 *	     "expires": "YYYY-MM-DDThh:mm:ssZ", "lifetime": SECONDS}
 *
 * never Ke itself: the Enrolee derives it from its side of the session
 * and checks that its KeId is this one. Refusals carry
 * proto/gba/ub_json.h's error body with the tokens below.
 *
 * Ids are store_onem2m_id_valid() ones. Parsers take one JSON object of
 * at most UB_JSON_MAX octets, no member twice, unknown members ignored;
 * they return 0 or -EINVAL with a one-line why naming the member (never
 * a value). Builders check what they write the same way.
 */
#ifndef E2M_ONEM2M_ENROL_MSG_H
#define E2M_ONEM2M_ENROL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/gba/ub_json.h"
#include "store/store.h"

#define ONEM2M_ENROL_PATH	"/onem2m/v1/enrolment"

/* Error tokens, besides ub_json.h's. */
#define ONEM2M_ERR_NOT_CONFIGURED	"not-configured"	/* 403 */
#define ONEM2M_ERR_WRONG_VERSION	"tls-version"		/* 403 */

struct onem2m_enrol_request {
	struct store_onem2m_config config;
};

struct onem2m_enrol_response {
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	int64_t expires;			/* seconds since the epoch */
	uint32_t lifetime;			/* seconds, >= 1 */
};

int onem2m_enrol_request_parse(const char *text, size_t len,
			       struct onem2m_enrol_request *req, char *why,
			       size_t why_size);
int onem2m_enrol_request_build(const struct onem2m_enrol_request *req,
			       char **text, char *why, size_t why_size);

int onem2m_enrol_response_parse(const char *text, size_t len,
				struct onem2m_enrol_response *resp,
				char *why, size_t why_size);
int onem2m_enrol_response_build(const struct onem2m_enrol_response *resp,
				char **text, char *why, size_t why_size);

#endif /* E2M_ONEM2M_ENROL_MSG_H */
