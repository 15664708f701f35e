// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON error answer of e2md's HTTP interfaces, see json_error.h.
 */
#include <string.h>

#include "json_error.h"
#include "proto/gba/ub_json.h"

void json_error_reply(struct http_exchange *ex, int status, const char *token,
		      const char *detail)
{
	char *text;

	http_exchange_note_refusal(ex, token);
	if (ub_error_build(token, detail, &text) == 0) {
		http_reply(ex, status, UB_JSON_CONTENT_TYPE, text,
			   strlen(text));
		ub_json_text_free(text);
	} else {
		http_reply(ex, status, NULL, NULL, 0);
	}
}
