/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's service request (TS 33.259 4.5.2 steps 11 and 16,
 * TS 33.110 Annex C in spirit), e2m profile: the specs' XML Key Request /
 * Key Response schemas could not be read, so the request is JSON over
 * HTTP/1.1 inside the device's TLS tunnel (Documentation/nafkc.md):
 *
 *	POST /nafkc/v1/ks-local
 *	Content-Type: application/json
 *	{"btid": "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net",
 *	 "device-id": "imei:490154203237518",
 *	 "label": "ks_local_device"}
 *
 * "label" is optional: "ks_local_device" (TS 33.259, the default) or
 * "ks_local_mt" (TS 33.110, an external device of an MT). The answer:
 *
 *	200 {"btid": "...", "device-id": "...", "label": "...",
 *	     "naf-id": hex (the NAF Key Centre's NAF_Id),
 *	     "ks-local": hex (32 octets),
 *	     "expires": "YYYY-MM-DDThh:mm:ssZ", "lifetime": SECONDS}
 *
 * every member required; lifetime is what is left of the key at the
 * answer (1..expires - now). Refusals carry proto/gba/ub_json.h's error
 * body with the tokens below.
 *
 * A Device_ID (e2m profile) is 1..STORE_DEVICE_ID_MAX printable ASCII
 * octets without space (store_device_id_valid()), e.g. "imei:<15
 * digits>". Parsers take one JSON object of at most UB_JSON_MAX octets,
 * no member twice, unknown members ignored (as on Zh and Zn); they
 * return 0 or -EINVAL with a one-line why naming the member (never a
 * value). Builders check what they write the same way.
 */
#ifndef E2M_NAFKC_KS_LOCAL_MSG_H
#define E2M_NAFKC_KS_LOCAL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/gba.h"
#include "crypto/ks_local.h"
#include "proto/gba/ub_json.h"
#include "store/store.h"

#define KS_LOCAL_PATH		"/nafkc/v1/ks-local"
#define KS_LOCAL_LABEL_MAX	15	/* "ks_local_device" */
#define KS_LOCAL_FQDN_MAX	255
#define KS_LOCAL_NAF_ID_MAX	(KS_LOCAL_FQDN_MAX + GBA_UA_ID_LEN)

/* Error tokens of the service request, besides ub_json.h's. */
#define KS_LOCAL_ERR_DEVICE_MISMATCH	"device-mismatch"	/* 403 */
#define KS_LOCAL_ERR_BTID_MISMATCH	"btid-mismatch"		/* 403, GBA */
#define KS_LOCAL_ERR_DEVICE_BLOCKED	"device-blocked"	/* 403 */
#define KS_LOCAL_ERR_NOT_ALLOWED	"ks-local-not-allowed"	/* 403 */
#define KS_LOCAL_ERR_KEY_REVOKED	"key-revoked"		/* 403 */
#define KS_LOCAL_ERR_BSF_UNAVAILABLE	"bsf-unavailable"	/* 503 */

struct ks_local_request {
	char btid[STORE_BTID_MAX + 1];
	char device_id[STORE_DEVICE_ID_MAX + 1];
	char label[KS_LOCAL_LABEL_MAX + 1];	/* one of the two labels */
};

struct ks_local_response {
	char btid[STORE_BTID_MAX + 1];
	char device_id[STORE_DEVICE_ID_MAX + 1];
	char label[KS_LOCAL_LABEL_MAX + 1];
	uint8_t naf_id[KS_LOCAL_NAF_ID_MAX];
	size_t naf_id_len;			/* > GBA_UA_ID_LEN */
	uint8_t ks_local[KS_LOCAL_LEN];		/* secret */
	int64_t expires;			/* seconds since the epoch */
	uint32_t lifetime;			/* seconds, >= 1 */
};

/* Whether label is "ks_local_device" or "ks_local_mt". */
bool ks_local_label_valid(const char *label);

int ks_local_request_parse(const char *text, size_t len,
			   struct ks_local_request *req, char *why,
			   size_t why_size);
int ks_local_request_build(const struct ks_local_request *req, char **text,
			   char *why, size_t why_size);

/* The text holds the key: free it with ub_json_text_free(). */
int ks_local_response_build(const struct ks_local_response *resp,
			    char **text, char *why, size_t why_size);
int ks_local_response_parse(const char *text, size_t len,
			    struct ks_local_response *resp, char *why,
			    size_t why_size);

void ks_local_response_wipe(struct ks_local_response *resp);

#endif /* E2M_NAFKC_KS_LOCAL_MSG_H */
