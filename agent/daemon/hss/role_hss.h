/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS role: serves Zh (e2m profile, proto/gba/zh_msg.h) over HTTPS with
 * mutual TLS. For POST /zh/v1/av the HSS makes one UMTS authentication
 * vector with the AuC (aka/auc.h: the SQN is on disk before the vector
 * leaves) for the IMPI asked, after resynchronising from the AUTS if the
 * request has one, and answers with it and the subscriber's GBA settings:
 * "gba-u" from the subscriber's flags, and "uss" the GUSS,
 *
 *	{"uss-list": [<the subscriber's USS, as store.h keeps it>]}
 *
 * or null when the subscriber has no USS entry. Answers other than 200
 * carry ub_json.h's error body:
 *
 *	400 bad-request		the body is not a Zh request (detail says why)
 *	403 forbidden		the client's certificate is not in hss.clients
 *	403 resync-failed	AUTS does not verify (the SQN is unchanged)
 *	404 unknown-subscriber	no subscriber has that IMPI
 *	404 not-found		another path
 *	405 method-not-allowed	another method than POST
 *	415 unsupported-media-type	a Content-Type other than JSON
 *	500 internal-error	the store failed, SQN exhausted, ...
 *
 * Nothing is stored for a request refused before the AuC runs. Each
 * vector is logged (event=av-issued impi= sqn= peer=), never its keys.
 */
#ifndef E2MD_ROLE_HSS_H
#define E2MD_ROLE_HSS_H

#include <stdbool.h>

#include "hss_config.h"
#include "net/http_server.h"
#include "daemon/roles.h"

#define ZH_ERR_FORBIDDEN		"forbidden"
#define ZH_ERR_NOT_FOUND		HTTP_ERR_NOT_FOUND
#define ZH_ERR_METHOD_NOT_ALLOWED	HTTP_ERR_METHOD_NOT_ALLOWED
#define ZH_ERR_UNSUPPORTED_MEDIA_TYPE	HTTP_ERR_UNSUPPORTED_MEDIA_TYPE

extern const struct role_ops role_hss;

/* The log line of hss_refuse(), for one item of a batch. */
void hss_log_refusal(struct http_exchange *ex, const char *event,
		     int status, const char *token, const char *detail,
		     const char *id_key, const char *id);

/*
 * Logs the refusal (event, status, error, the subscriber as id_key=id
 * when id is not NULL, detail, peer, remote) and answers with the error
 * body. For Zh and BEST alike.
 */
void hss_refuse(struct http_exchange *ex, const char *event, int status,
		const char *token, const char *detail, const char *id_key,
		const char *id);

/* The detail of a 500 for a store or AuC error. */
const char *hss_error_detail(int err);

#endif /* E2MD_ROLE_HSS_H */
