// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW instances' one pool, see sgw_pool.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "sgw_pool.h"

#define ROLE	"sgw"

/* From the parsed values: "10.45.0.0/16" however the file wrote it. */
void sgw_pool_text(const struct config_ipv4_pool *pool,
		   char text[STORE_SGW_POOL_SIZE])
{
	struct in_addr addr = { .s_addr = htonl(pool->network) };
	char quad[INET_ADDRSTRLEN] = "";

	inet_ntop(AF_INET, &addr, quad, sizeof(quad));
	snprintf(text, STORE_SGW_POOL_SIZE, "%s/%u", quad, pool->prefix);
}

static void log_recorded(const char *event, const char *pool,
			 const char *before)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, event))
		return;
	log_str(&line, "pool", pool);
	if (before)
		log_str(&line, "before", before);
	log_end(&line);
}

static int store_failed(struct store *store, int ret, const char *doing)
{
	log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "store: %s: %s", doing,
		store_errmsg(store));
	return ret;
}

/* The store records another pool than ours. */
static int other_pool(struct store *store, const char *ours,
		      const char *recorded)
{
	int ret;

	if (store_shared(store)) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed",
			"roles.sgw.inner-ipv4-pool is %s, but the SGW"
			" instances sharing this store hand out %s (its"
			" record sgw_pool): every instance must have the one"
			" pool; to change it, stop every SGW instance and"
			" delete the record (Documentation/deploy.md)", ours,
			recorded);
		return -EEXIST;
	}
	ret = store_sgw_pool_set(store, ours);
	if (ret)
		return store_failed(store, ret, "recording the SGW pool");
	log_recorded("pool-changed", ours, recorded);
	return 0;
}

int sgw_pool_claim(struct store *store, const struct config_ipv4_pool *pool)
{
	char ours[STORE_SGW_POOL_SIZE], recorded[STORE_SGW_POOL_SIZE];
	int ret;

	sgw_pool_text(pool, ours);
	ret = store_sgw_pool_add(store, ours);
	if (!ret) {
		log_recorded("pool-recorded", ours, NULL);
		return 0;
	}
	if (ret != -EEXIST)
		return store_failed(store, ret, "recording the SGW pool");
	ret = store_sgw_pool_get(store, recorded);
	if (ret)
		return store_failed(store, ret, "reading the SGW pool");
	if (!strcmp(ours, recorded))
		return 0;
	return other_pool(store, ours, recorded);
}
