// SPDX-License-Identifier: GPL-2.0
/*
 * The refusal reasons metrics know, see metrics_reasons.h: the tokens of
 * proto/'s messages and of the http_server, named by their macros so
 * that the table follows a renamed token, then each role's own
 * (role_ops.refusal_tokens), then "other". A token two interfaces share
 * is one row.
 */
#include <stdbool.h>
#include <string.h>

#include "metrics_reasons.h"
#include "daemon/roles.h"
#include "net/http_server.h"
#include "proto/best/attach_msg.h"
#include "proto/best/av_msg.h"
#include "proto/best/triplet_msg.h"
#include "proto/gba/ub_json.h"
#include "proto/nafkc/ks_local_msg.h"

static const char *const common[] = {
	HTTP_ERR_NOT_FOUND,
	HTTP_ERR_METHOD_NOT_ALLOWED,
	HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
	HTTP_ERR_SERVICE_UNAVAILABLE,
	UB_ERR_BAD_REQUEST,
	UB_ERR_UNKNOWN_SUBSCRIBER,
	UB_ERR_RESYNC_FAILED,
	UB_ERR_UNKNOWN_BTID,
	UB_ERR_EXPIRED_BTID,
	UB_ERR_NAF_NOT_AUTHORISED,
	UB_ERR_INTERNAL,
	UB_ERR_STORE_UNAVAILABLE,
	BEST_ERR_FORBIDDEN,
	BEST_ERR_NO_KEYSET,
	TRIPLET_ERR_TEID_IN_USE,
	TRIPLET_ERR_STALE_RUN,
	TRIPLET_ERR_KSI_IN_USE,
	TRIPLET_ERR_KEYSET_UNAVAILABLE,
	TRIPLET_ERR_HSS_UNAVAILABLE,
	TRIPLET_ERR_KERNEL,
	ATTACH_ERR_AUTH_FAILED,
	ATTACH_ERR_UNKNOWN_SESSION,
	ATTACH_ERR_HSE_REFUSED,
	ATTACH_ERR_HSS_UNAVAILABLE,
	ATTACH_ERR_HSE_UNAVAILABLE,
	KS_LOCAL_ERR_DEVICE_MISMATCH,
	KS_LOCAL_ERR_BTID_MISMATCH,
	KS_LOCAL_ERR_DEVICE_BLOCKED,
	KS_LOCAL_ERR_NOT_ALLOWED,
	KS_LOCAL_ERR_KEY_REVOKED,
	KS_LOCAL_ERR_BSF_UNAVAILABLE,
};

#define N_COMMON (sizeof(common) / sizeof(common[0]))

_Static_assert(N_COMMON < METRICS_REASONS_MAX, "METRICS_REASONS_MAX");

/* Built once, on first use; "other" last. One loop thread: no lock. */
static const char *reasons[METRICS_REASONS_MAX];
static size_t n_reasons;

static bool known(const char *token)
{
	size_t i;

	for (i = 0; i < n_reasons; i++) {
		if (!strcmp(reasons[i], token))
			return true;
	}
	return false;
}

/* A token beyond the table's room is left out: it counts as "other". */
static void add(const char *token)
{
	if (!known(token) && n_reasons < METRICS_REASONS_MAX - 1)
		reasons[n_reasons++] = token;
}

static void build(void)
{
	const struct role_ops *const *table;
	const char *const *token;
	size_t count, i;

	if (n_reasons)
		return;
	for (i = 0; i < N_COMMON; i++)
		add(common[i]);
	table = roles_table(&count);
	for (i = 0; i < count; i++) {
		for (token = table[i]->refusal_tokens; token && *token; token++)
			add(*token);
	}
	reasons[n_reasons++] = METRICS_REASON_OTHER;
}

size_t metrics_reason_count(void)
{
	build();
	return n_reasons;
}

size_t metrics_reason_index(const char *token)
{
	size_t i;

	build();
	for (i = 0; token && i < n_reasons - 1; i++) {
		if (!strcmp(reasons[i], token))
			return i;
	}
	return n_reasons - 1;
}

const char *metrics_reason_name(size_t index)
{
	build();
	return index < n_reasons ? reasons[index] : METRICS_REASON_OTHER;
}
