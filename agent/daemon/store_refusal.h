/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A store error as an HTTP refusal, for the roles whose requests read or
 * write the store (the HSS's Zh, BEST AV and key update; the BSF's Ub
 * and Zn): 503 store-unavailable with Retry-After when the store cannot
 * serve now but will: its server is away (-ENOTCONN, store.h: PostgreSQL
 * unreachable or restarting, each instance connecting again on its next
 * request), or a lock stayed held past the wait (-EBUSY: another process
 * holding SQLite's write lock beyond the busy timeout, a PostgreSQL
 * serialization failure, deadlock or lock timeout). Either way the
 * transaction was rolled back, nothing of the request was done, and the
 * same request may succeed a moment later. Anything else is 500
 * internal-error.
 */
#ifndef E2MD_STORE_REFUSAL_H
#define E2MD_STORE_REFUSAL_H

#include "net/http_server.h"

/* The seconds a 503 store-unavailable asks the client to wait. */
#define STORE_RETRY_AFTER_S	1

struct store_refusal {
	int status;
	const char *token;
};

/* How to refuse err (a store call's); on a 503, its Retry-After added to ex. */
struct store_refusal store_refusal(struct http_exchange *ex, int err);

#endif /* E2MD_STORE_REFUSAL_H */
