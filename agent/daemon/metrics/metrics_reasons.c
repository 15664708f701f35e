// SPDX-License-Identifier: GPL-2.0
/*
 * The refusal reasons metrics know, see metrics_reasons.h. The table
 * names the tokens by their macros, so that it follows a renamed token;
 * a token two interfaces share is one row (the first).
 */
#include <string.h>

#include "metrics_reasons.h"
#include "daemon/bsf/bsf_ub.h"
#include "daemon/hss/role_hss.h"
#include "daemon/sgw/role_sgw.h"
#include "net/http_server.h"
#include "proto/best/attach_msg.h"
#include "proto/best/av_msg.h"
#include "proto/best/triplet_msg.h"
#include "proto/gba/ub_json.h"
#include "proto/nafkc/ks_local_msg.h"

static const char *const reasons[] = {
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
	ZH_ERR_FORBIDDEN,
	BSF_UB_ERR_UNKNOWN_USER,
	BSF_UB_ERR_AUTH_FAILED,
	BSF_UB_ERR_NETWORK_AUTH_FAILED,
	BSF_UB_ERR_REPLAY,
	BSF_UB_ERR_HSS_UNAVAILABLE,
	BSF_UB_ERR_BUSY,
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
	SGW_ERR_BUSY,
	KS_LOCAL_ERR_DEVICE_MISMATCH,
	KS_LOCAL_ERR_BTID_MISMATCH,
	KS_LOCAL_ERR_DEVICE_BLOCKED,
	KS_LOCAL_ERR_NOT_ALLOWED,
	KS_LOCAL_ERR_KEY_REVOKED,
	KS_LOCAL_ERR_BSF_UNAVAILABLE,
	METRICS_REASON_OTHER,		/* last */
};

#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))

_Static_assert(N_REASONS <= METRICS_REASONS_MAX, "METRICS_REASONS_MAX");

size_t metrics_reason_count(void)
{
	return N_REASONS;
}

size_t metrics_reason_index(const char *token)
{
	size_t i;

	for (i = 0; token && i < N_REASONS - 1; i++) {
		if (!strcmp(reasons[i], token))
			return i;
	}
	return N_REASONS - 1;
}

const char *metrics_reason_name(size_t index)
{
	return index < N_REASONS ? reasons[index] : METRICS_REASON_OTHER;
}
