/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The triplet of BEST (Documentation/best.md, "Triplet: SGW (P-GW) ->
 * HSE"): the P-GW hands the HSE what the UE's PCO named (IMSI and RAND or
 * SQN) with the KSI of the run, both TEIDs and the UE's addresses; the HSE
 * pulls the key set from the HSS, puts it into the kernel, and answers
 * only then. HTTPS with mutual TLS, JSON bodies, e2m profile.
 *
 *	POST /e2m/v1/triplet
 *	{"imsi": "...", "rand": "<32 hex>" (or "sqn": "<12 hex>"), "ksi": 0..6,
 *	 "teid": {"hse": N, "ue": N},
 *	 "ue": {"address": IP, "port": N, "inner-ipv4": IPv4,
 *	        "inner-ipv6": IPv6 (optional)}}
 *
 *	200 {"imsi", "teid": <the HSE's TEID>, "key-id": <KSI>,
 *	     "key-description": "imsi:<IMSI> ksi:<KSI> teid:<8 hex>"}
 *
 * "teid.hse" is the TEID the HSE receives on (uplink), "teid.ue" the one
 * the UE receives on (downlink). Exactly one of "rand" and "sqn" (SQN in
 * the clear). TEIDs and the port are JSON integers, 0 refused; "ksi" is
 * 0..6 (7 is "no key"); "address" is IPv4 or IPv6, "inner-ipv4" IPv4,
 * "inner-ipv6" IPv6, read in any form inet_pton() takes and kept in
 * inet_ntop()'s. "key-description" is 1..TRIPLET_KEY_DESC_MAX printable
 * ASCII characters (it names a key in a keyring; the parser does not look
 * into it). Errors are ub_json.h's body with the TRIPLET_ERR_* tokens.
 *
 * The rules are Zh's (proto/gba/zh_msg.h): one JSON object of at most
 * UB_JSON_MAX octets, no member twice, unknown members ignored, a known
 * member of the wrong type, length or range refused with -EINVAL and a why
 * naming it, never its value; hex written lower case and read in either
 * case. Parsers fill their struct only on success; builders check the
 * struct as the parser would and return 0, -EINVAL (with why) or -ENOMEM,
 * the text to be freed with ub_json_text_free(). Nothing here is secret.
 */
#ifndef E2M_BEST_TRIPLET_MSG_H
#define E2M_BEST_TRIPLET_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aka/aka.h"
#include "msg_field.h"
#include "proto/gba/ub_json.h"

#define TRIPLET_PATH		"/e2m/v1/triplet"
/* Several triplets at once (batch_msg.h): {"triplets": [request, ...]}. */
#define TRIPLETS_PATH		"/e2m/v1/triplets"
#define TRIPLETS_MEMBER		"triplets"

#define TRIPLET_KSI_MAX		6	/* 7 is "no key" */
#define TRIPLET_KEY_DESC_MAX	127	/* characters */
#define TRIPLET_KEY_DESC_SIZE	(TRIPLET_KEY_DESC_MAX + 1)

/* The errors of the triplet beyond ub_json.h's bad-request. */
#define TRIPLET_ERR_FORBIDDEN		"forbidden"		/* 403 */
#define TRIPLET_ERR_TEID_IN_USE		"teid-in-use"		/* 409 */
#define TRIPLET_ERR_STALE_RUN		"stale-run"		/* 409 */
#define TRIPLET_ERR_KSI_IN_USE		"ksi-in-use"		/* 409 */
#define TRIPLET_ERR_KEYSET_UNAVAILABLE	"keyset-unavailable"	/* 502 */
#define TRIPLET_ERR_HSS_UNAVAILABLE	"hss-unavailable"	/* 503 */
#define TRIPLET_ERR_TEID_BUSY		"teid-busy"		/* 503 */
#define TRIPLET_ERR_KERNEL		"kernel-error"		/* 500 */

/* Where the UE receives G-PDUs, and its addresses inside the tunnel. */
struct triplet_ue {
	char address[BEST_ADDRESS_SIZE];
	uint16_t port;
	char inner_ipv4[BEST_IPV4_SIZE];
	char inner_ipv6[BEST_ADDRESS_SIZE];	/* "" when absent */
};

struct triplet_request {
	char imsi[BEST_IMSI_SIZE];
	bool by_sqn;				/* sqn set, else rand */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t sqn[AKA_SQN_LEN];
	uint8_t ksi;
	uint32_t teid_hse;			/* uplink: the HSE receives */
	uint32_t teid_ue;			/* downlink: the UE receives */
	struct triplet_ue ue;
};

struct triplet_response {
	char imsi[BEST_IMSI_SIZE];
	uint32_t teid;				/* the HSE's */
	uint8_t key_id;				/* the KSI */
	char key_description[TRIPLET_KEY_DESC_SIZE];
};

/*
 * The description of the HSE's key for a run: "imsi:<IMSI> ksi:<KSI>
 * teid:<TEID as 8 lower case hex digits>", into out. -EINVAL if imsi is
 * not an IMSI or ksi is over TRIPLET_KSI_MAX.
 */
int triplet_key_description(char out[TRIPLET_KEY_DESC_SIZE],
			    const char *imsi, unsigned int ksi,
			    uint32_t teid);

int triplet_request_build(const struct triplet_request *req, char **text,
			  char *why, size_t why_size);
int triplet_request_parse(const char *text, size_t len,
			  struct triplet_request *req, char *why,
			  size_t why_size);
/* The same, from an item of a batch already loaded (json_field_read()). */
int triplet_request_read(const json_t *obj, struct triplet_request *req,
			 char *why, size_t why_size);

int triplet_response_build(const struct triplet_response *resp, char **text,
			   char *why, size_t why_size);
/* The same as an object, for a batch's result (json_builder_take()). */
int triplet_response_object(const struct triplet_response *resp, json_t **obj,
			    char *why, size_t why_size);
int triplet_response_parse(const char *text, size_t len,
			   struct triplet_response *resp, char *why,
			   size_t why_size);

#endif /* E2M_BEST_TRIPLET_MSG_H */
