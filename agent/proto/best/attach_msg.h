/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach interface of BEST (Documentation/best.md, "Attach: UE ->
 * SGW"), standing for NAS attach and PDP context activation: plain HTTP,
 * JSON bodies, e2m profile.
 *
 *	POST /sgw/v1/attach
 *	{"imsi": "...", "gtpu": {"address": IP, "port": N, "teid": N}}
 *	200 {"session": "<32 hex>", "rand", "autn", "ksi": 0..6,
 *	     "aka": "umts" | "eps" | "5g", "sn-id": "<6 hex>" (EPS and 5G)}
 *
 *	POST /sgw/v1/attach/complete
 *	{"session", "res": "<16 or 32 hex>", "pco": {"imsi", "rand" | "sqn"}}
 *	{"session", "auts": "<28 hex>"}
 *	200 {"imsi", "ksi", "hse": {"address", "port", "teid"},
 *	     "inner-ipv4": "10.45.0.2"}
 *	401 the challenge body again (a fresh one, after auts)
 *
 * The rules are Zh's (proto/gba/zh_msg.h): one JSON object of at most
 * UB_JSON_MAX octets, no member twice, unknown members ignored, a known
 * member of the wrong type, length or range refused with -EINVAL and a
 * why naming it; hex written lower case and read in either case. Every
 * member shown is required, but "sn-id" (required with "eps" and "5g",
 * refused with "umts"; for "5g" it must be a PLMN id in BCD, since the UE
 * makes the serving network name of it, snn_from_plmn()). "res" is RES
 * (8 octets, UMTS and EPS) or RES* (16 octets, 5G): which one the session
 * wants is the SGW's to check. A complete request has exactly one of
 * "res" and "auts";
 * "pco" comes with "res" (required) and never with "auts"; the PCO has
 * exactly one of "rand" and "sqn". TEIDs and ports are JSON integers,
 * 0 refused; addresses are IPv4 or IPv6 (inner-ipv4 IPv4), read in any
 * form inet_pton() takes and kept in inet_ntop()'s.
 *
 * Parsers fill their struct only on success; builders check the struct
 * as the parser would and return 0, -EINVAL (with why) or -ENOMEM, the
 * text to be freed with ub_json_text_free() (which wipes it).
 */
#ifndef E2M_BEST_ATTACH_MSG_H
#define E2M_BEST_ATTACH_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"
#include "aka/e2m_aka.h"
#include "msg_field.h"
#include "proto/gba/ub_json.h"

#define ATTACH_PATH		"/sgw/v1/attach"
#define ATTACH_PATH_COMPLETE	"/sgw/v1/attach/complete"

#define ATTACH_SESSION_LEN	16	/* octets; 32 hex digits */
#define ATTACH_KSI_MAX		6	/* 7 is "no key" */
#define ATTACH_SN_ID_LEN	3	/* PLMN id, TS 24.301 */

/* The errors of the attach interface beyond ub_json.h's. */
#define ATTACH_ERR_AUTH_FAILED		"authentication-failed"	/* 403 */
#define ATTACH_ERR_NOT_E2M		"not-e2m"		/* 403 */
#define ATTACH_ERR_UNKNOWN_SESSION	"unknown-session"	/* 404 */
#define ATTACH_ERR_HSE_REFUSED		"hse-refused"		/* 502 */
#define ATTACH_ERR_HSS_UNAVAILABLE	"hss-unavailable"	/* 503 */
#define ATTACH_ERR_HSE_UNAVAILABLE	"hse-unavailable"	/* 503 */

/* A GTP-U endpoint: where a party receives G-PDUs, and on which TEID. */
struct attach_gtpu {
	char address[BEST_ADDRESS_SIZE];
	uint16_t port;
	uint32_t teid;
};

struct attach_request {
	char imsi[BEST_IMSI_SIZE];
	struct attach_gtpu gtpu;	/* the UE's, downlink */
};

struct attach_challenge {
	uint8_t session[ATTACH_SESSION_LEN];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	uint8_t ksi;
	enum e2m_aka_kind aka;
	uint8_t sn_id[ATTACH_SN_ID_LEN];	/* EPS and 5G */
};

/* The Protocol Configuration Options: which AKA run the keys are of. */
struct attach_pco {
	char imsi[BEST_IMSI_SIZE];
	bool by_sqn;			/* sqn set, else rand */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t sqn[AKA_SQN_LEN];
};

struct attach_complete {
	uint8_t session[ATTACH_SESSION_LEN];
	bool resync;			/* auts set; else res and pco */
	uint8_t res[AKA_RES_STAR_LEN];	/* secret: RES, or RES* (5G) */
	size_t res_len;			/* AKA_RES_LEN or _STAR_LEN */
	uint8_t auts[AKA_AUTS_LEN];
	struct attach_pco pco;
};

struct attach_accept {
	char imsi[BEST_IMSI_SIZE];
	uint8_t ksi;
	struct attach_gtpu hse;		/* the HSE's, uplink */
	char inner_ipv4[BEST_IPV4_SIZE];
};

int attach_request_build(const struct attach_request *req, char **text,
			 char *why, size_t why_size);
int attach_request_parse(const char *text, size_t len,
			 struct attach_request *req, char *why,
			 size_t why_size);

int attach_challenge_build(const struct attach_challenge *ch, char **text,
			   char *why, size_t why_size);
int attach_challenge_parse(const char *text, size_t len,
			   struct attach_challenge *ch, char *why,
			   size_t why_size);

int attach_complete_build(const struct attach_complete *c, char **text,
			  char *why, size_t why_size);
int attach_complete_parse(const char *text, size_t len,
			  struct attach_complete *c, char *why,
			  size_t why_size);
/* Wipes RES. */
void attach_complete_wipe(struct attach_complete *c);

int attach_accept_build(const struct attach_accept *a, char **text,
			char *why, size_t why_size);
int attach_accept_parse(const char *text, size_t len,
			struct attach_accept *a, char *why, size_t why_size);

#endif /* E2M_BEST_ATTACH_MSG_H */
