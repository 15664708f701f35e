/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The error answer every e2m HTTP interface gives (Zh, Zn, Ub's refusals,
 * BEST's AV, key set, attach and triplet): status and the body
 * {"error": token, "detail": detail} of proto/gba/ub_json.h, or no body if even
 * that cannot be built. Also the http_server's error callback.
 */
#ifndef E2MD_JSON_ERROR_H
#define E2MD_JSON_ERROR_H

#include "http_server.h"

void json_error_reply(struct http_exchange *ex, int status, const char *token,
		      const char *detail);

#endif /* E2MD_JSON_ERROR_H */
