// SPDX-License-Identifier: GPL-2.0
/*
 * A store error as an HTTP refusal, see store_refusal.h.
 */
#include <errno.h>
#include <stdio.h>

#include "proto/gba/ub_json.h"
#include "store_refusal.h"

struct store_refusal store_refusal(struct http_exchange *ex, int err)
{
	char seconds[16];

	if (err != -ENOTCONN && err != -EBUSY)
		return (struct store_refusal){ 500, UB_ERR_INTERNAL };
	snprintf(seconds, sizeof(seconds), "%d", STORE_RETRY_AFTER_S);
	/* Without the header the 503 still says to come back: no failure. */
	http_exchange_add_header(ex, "Retry-After", seconds);
	return (struct store_refusal){ 503, UB_ERR_STORE_UNAVAILABLE };
}
