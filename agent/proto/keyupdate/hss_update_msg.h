/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Step 6 of a long-term key update (seed 004, Documentation/key-update.md):
 * the provisioning server hands the HSS the subscriber's new K and OPc.
 * e2m profile, JSON over HTTPS with mutual TLS, on the HSS's Zh listener:
 *
 *	POST /keyupdate/v1/keys
 *	{"imsi": "<6-15 digits>", "k": "<32 hex>", "opc": "<32 hex>",
 *	 "counter": <1 .. 2^32 - 1>}
 *
 *	200 {"imsi", "counter", "kcv-k": "<6 hex>", "kcv-opc": "<6 hex>",
 *	     "switched": true | false}
 *
 * "counter" is the update counter the USIM was sent in the same update;
 * the HSS switches only to a counter above the last one it accepted.
 * "switched" is false when the HSS already held exactly this update (the
 * answer to it was lost): nothing changed, the answer is the same. The
 * KCVs (profile_update.h's ku_kcv()) let the server check the HSS holds
 * what it sent, as the USIM's result does. Errors are ub_json.h's body
 * (role_hss.h lists them). The JSON rules are av_msg.h's: one object, no
 * member twice, unknown members ignored, hex in either case.
 */
#ifndef E2M_HSS_UPDATE_MSG_H
#define E2M_HSS_UPDATE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"
#include "proto/keyupdate/profile_update.h"
#include "store/store.h"

#define KU_HSS_PATH		"/keyupdate/v1/keys"

/* Error tokens beside ub_json.h's. */
#define KU_ERR_STALE_COUNTER	"stale-counter"		/* 409 */
/* The Zh listener's: a client not in hss.prov-clients. */
#define KU_ERR_FORBIDDEN	"forbidden"		/* 403 */

struct ku_hss_request {
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t k[AKA_K_LEN];			/* secret */
	uint8_t opc[AKA_OP_LEN];		/* secret */
	uint32_t counter;			/* 1 .. 2^32 - 1 */
};

struct ku_hss_response {
	char imsi[STORE_IMSI_MAX + 1];
	uint32_t counter;
	uint8_t kcv_k[KU_KCV_LEN];
	uint8_t kcv_opc[KU_KCV_LEN];
	bool switched;
};

/*
 * Builders: 0, -EINVAL (an IMSI that is not one, counter 0) or -ENOMEM,
 * *text allocated (free with ub_json_text_free(): the request holds keys).
 * Parsers: 0 or -EINVAL with why naming the member, never its value.
 */
int ku_hss_request_build(const struct ku_hss_request *req, char **text,
			 char *why, size_t why_size);
int ku_hss_request_parse(const char *text, size_t len,
			 struct ku_hss_request *req, char *why,
			 size_t why_size);
int ku_hss_response_build(const struct ku_hss_response *resp, char **text,
			  char *why, size_t why_size);
int ku_hss_response_parse(const char *text, size_t len,
			  struct ku_hss_response *resp, char *why,
			  size_t why_size);

/* Wipes the request, keys and all. */
void ku_hss_request_wipe(struct ku_hss_request *req);

#endif /* E2M_HSS_UPDATE_MSG_H */
