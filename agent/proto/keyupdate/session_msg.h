/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a key update session's APDUs travel between the USIM's side (the
 * UE) and the provisioning server (role prov): e2m profile, JSON over
 * HTTP, the UE asking and the server answering with the next command, as
 * a card's remote administration over HTTP goes. The transport adds
 * nothing to the security: SCP11a (oce_session.h, ue/usim_update.h) does
 * it all, so plain HTTP will do.
 *
 *	POST /keyupdate/v1/session
 *	{"iccid": "<digits>", "sd-certificate": "<hex DER>"}	to start
 *	{"session": "<32 hex>", "r-apdu": "<hex>"}		then each answer
 *
 *	200 {"session": "<32 hex>", "c-apdu": "<hex>"}		the next command
 *	200 {"session": "<32 hex>", "done": true}		the update is
 *								pending at the USIM
 *
 * A request is either kind, never both members of the other: "iccid"
 * (a USIM the server has an update for) and the SD's certificate (1 to
 * OCE_CERT_MAX octets), or "session" (the server's random id of a
 * session it holds) and the USIM's response APDU (2 to
 * USIM_UPDATE_RESP_MAX octets: data, SW). An answer carries either a
 * command (1 to OCE_APDU_MAX octets) or "done": true. Errors are
 * ub_json.h's body. The JSON rules are av_msg.h's.
 */
#ifndef E2M_KU_SESSION_MSG_H
#define E2M_KU_SESSION_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/keyupdate/oce_session.h"
#include "store/store.h"

#define KU_SESSION_PATH		"/keyupdate/v1/session"
#define KU_SESSION_ID_LEN	16
#define KU_R_APDU_MAX		SCP_SM_RESP_MAX

enum ku_session_kind {
	KU_SESSION_START,
	KU_SESSION_NEXT,
};

struct ku_session_request {
	enum ku_session_kind kind;
	char iccid[STORE_ICCID_MAX + 1];		/* START */
	uint8_t sd_cert[OCE_CERT_MAX];			/* START */
	size_t sd_cert_len;
	uint8_t session[KU_SESSION_ID_LEN];		/* NEXT */
	uint8_t r_apdu[KU_R_APDU_MAX];			/* NEXT */
	size_t r_apdu_len;
};

struct ku_session_response {
	uint8_t session[KU_SESSION_ID_LEN];
	bool done;
	uint8_t c_apdu[OCE_APDU_MAX];			/* when not done */
	size_t c_apdu_len;
};

/*
 * Builders: 0, -EINVAL (a member out of its range) or -ENOMEM, *text
 * allocated (free with ub_json_text_free()). Parsers: 0 or -EINVAL with
 * why naming the member.
 */
int ku_session_request_build(const struct ku_session_request *req,
			     char **text, char *why, size_t why_size);
int ku_session_request_parse(const char *text, size_t len,
			     struct ku_session_request *req, char *why,
			     size_t why_size);
int ku_session_response_build(const struct ku_session_response *resp,
			      char **text, char *why, size_t why_size);
int ku_session_response_parse(const char *text, size_t len,
			      struct ku_session_response *resp, char *why,
			      size_t why_size);

#endif /* E2M_KU_SESSION_MSG_H */
