/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AV request of BEST (Documentation/best.md, "AV request: SGW ->
 * HSS"), standing for Gr / S6a: the SGW asks the HSS for one vector per
 * attach.
 *
 *	POST /e2m/v1/av
 *	{"imsi": "001010000000001", "aka": "umts" | "eps" | "5g",
 *	 "sn-id": "<6 hex>",			(EPS only, required there)
 *	 "snn": "5G:mnc001.mcc001.3gppnetwork.org",	(5G only, required)
 *	 "resync": {"rand": "<32 hex>", "auts": "<28 hex>"}}	(optional)
 *
 *	200 {"imsi", "rand", "autn", "e2m": bool,
 *	     "xres", "ck", "ik"	  (UMTS; CK', IK' when e2m is true)
 *	     "xres", "kasme"	  (EPS; KASME' when e2m is true)
 *	     "xres-star", "kausf" (5G; the same whether e2m or not)}
 *
 * The response says which AKA it is by its members: "ck" and "ik" for
 * UMTS, "kasme" for EPS, "xres-star" and "kausf" for 5G; a member of
 * another kind is refused (a 5G vector has no "xres": the serving network
 * checks RES* only). An "sn-id" or "snn" in a request of a kind that has
 * none is refused (it would be a client that thinks it asked for another);
 * "snn" must be snn_valid() (anchor.h), since the HSS derives K_AUSF and
 * K_HSE from it.
 *
 * The rules of the JSON bodies are Zh's (proto/gba/zh_msg.h): one object of at
 * most UB_JSON_MAX octets, no member twice, unknown members ignored, known
 * ones of the wrong type or length refused with a why that names the
 * member, hex written lower case and read in either case; parsers fill
 * their struct only on success; builders check as the parser would and
 * give a text to free with ub_json_text_free(). Errors are ub_json.h's
 * body.
 */
#ifndef E2M_BEST_AV_MSG_H
#define E2M_BEST_AV_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"
#include "crypto/anchor.h"
#include "aka/e2m_aka.h"
#include "store/store.h"

#define BEST_PATH_AV		"/e2m/v1/av"

/* Error tokens of the BEST interfaces beyond ub_json.h's. */
#define BEST_ERR_FORBIDDEN	"forbidden"		/* 403 */
#define BEST_ERR_NO_KEYSET	"no-keyset"		/* 404, key set pull */

struct av_request {
	char imsi[STORE_IMSI_MAX + 1];
	enum e2m_aka_kind aka;
	uint8_t sn_id[SN_ID_LEN];		/* EPS */
	char snn[SNN_MAX + 1];			/* 5G */
	bool resync;				/* rand and auts are set */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t auts[AKA_AUTS_LEN];
};

struct av_response {
	char imsi[STORE_IMSI_MAX + 1];
	enum e2m_aka_kind aka;			/* which keys follow */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	bool e2m;				/* AMF bit 1 set, key set kept */
	uint8_t xres[AKA_RES_LEN];		/* secret, UMTS and EPS */
	uint8_t ck[AKA_CK_LEN];			/* secret, UMTS */
	uint8_t ik[AKA_IK_LEN];			/* secret, UMTS */
	uint8_t kasme[ANCHOR_KEY_LEN];		/* secret, EPS */
	uint8_t xres_star[AKA_RES_STAR_LEN];	/* secret, 5G */
	uint8_t kausf[ANCHOR_KEY_LEN];		/* secret, 5G */
};

int av_request_build(const struct av_request *req, char **text, char *why,
		     size_t why_size);
int av_request_parse(const char *text, size_t len, struct av_request *req,
		     char *why, size_t why_size);

int av_response_build(const struct av_response *resp, char **text,
		      char *why, size_t why_size);
int av_response_parse(const char *text, size_t len,
		      struct av_response *resp, char *why, size_t why_size);

/* Wipes the whole response, keys and all. */
void av_response_wipe(struct av_response *resp);

#endif /* E2M_BEST_AV_MSG_H */
