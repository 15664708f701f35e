/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key set pull of BEST (Documentation/best.md, "Key set pull: HSE ->
 * HSS"): the HSE fetches the e2mKEYSET the HSS keeps for a short while
 * after the AKA run, naming the run by IMSI and RAND or by IMSI and SQN
 * (whichever the UE put in its PCO).
 *
 *	POST /e2m/v1/keyset
 *	{"imsi": "...", "rand": "<32 hex>"}  or  {"imsi": "...", "sqn": "<12 hex>"}
 *
 *	200 {"imsi", "rand", "sqn", "enc-alg": 2, "int-alg": 2,
 *	     "k-enc": "<32 hex>", "k-int": "<32 hex>",
 *	     "window-expires": "YYYY-MM-DDThh:mm:ssZ"}
 *
 * Exactly one of "rand" and "sqn" in the request; both, or neither, is
 * refused. "sqn" is the SQN of the run in the clear (not SQN xor AK).
 * The algorithms are the 3GPP identifiers 0..3 (fc.h); the parser takes
 * any of them, it is for the HSE to refuse one it cannot run. Errors are
 * ub_json.h's body, 404 "no-keyset" (av_msg.h) when the HSS has none.
 * The JSON rules are av_msg.h's. POST /e2m/v1/keysets takes up to
 * BEST_BATCH_MAX of these requests in one batch (batch_msg.h), answered
 * with one result per pull, in order.
 */
#ifndef E2M_BEST_KEYSET_MSG_H
#define E2M_BEST_KEYSET_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aka/aka.h"
#include "crypto/fc.h"
#include "crypto/keyset.h"
#include "store/store.h"

#define BEST_PATH_KEYSET	"/e2m/v1/keyset"
/* Several pulls at once (batch_msg.h): {"pulls": [request, ...]}. */
#define BEST_PATH_KEYSETS	"/e2m/v1/keysets"
#define KEYSETS_MEMBER		"pulls"

/* How a pull names the AKA run. */
enum keyset_by {
	KEYSET_BY_RAND,
	KEYSET_BY_SQN,
};

struct keyset_request {
	char imsi[STORE_IMSI_MAX + 1];
	enum keyset_by by;
	uint8_t rand[AKA_RAND_LEN];		/* KEYSET_BY_RAND */
	uint8_t sqn[AKA_SQN_LEN];		/* KEYSET_BY_SQN */
};

struct keyset_response {
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t sqn[AKA_SQN_LEN];
	enum e2m_alg enc_alg;
	enum e2m_alg int_alg;
	uint8_t k_enc[KEYSET_KEY_LEN];		/* secret */
	uint8_t k_int[KEYSET_KEY_LEN];		/* secret */
	int64_t window_expires;			/* seconds since the epoch */
};

int keyset_request_build(const struct keyset_request *req, char **text,
			 char *why, size_t why_size);
int keyset_request_parse(const char *text, size_t len,
			 struct keyset_request *req, char *why,
			 size_t why_size);
/* The request as an object, for a batch (json_builder_take()). */
int keyset_request_object(const struct keyset_request *req, json_t **obj,
			  char *why, size_t why_size);
/* The same as _parse(), from an item of a batch already loaded. */
int keyset_request_read(const json_t *obj, struct keyset_request *req,
			char *why, size_t why_size);

int keyset_response_build(const struct keyset_response *resp, char **text,
			  char *why, size_t why_size);
/* The response as an object, for a batch's results (json_builder_take()). */
int keyset_response_object(const struct keyset_response *resp, json_t **obj,
			   char *why, size_t why_size);
int keyset_response_parse(const char *text, size_t len,
			  struct keyset_response *resp, char *why,
			  size_t why_size);
/* The same, from a result of a batch already loaded (json_field_read()). */
int keyset_response_read(const json_t *obj, struct keyset_response *resp,
			 char *why, size_t why_size);

/* Wipes the whole response, keys and all. */
void keyset_response_wipe(struct keyset_response *resp);

#endif /* E2M_BEST_KEYSET_MSG_H */
