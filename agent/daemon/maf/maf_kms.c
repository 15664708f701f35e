// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Kms in its store, the bound: see maf_kms.h.
 */
#include <errno.h>
#include <string.h>

#include "maf_kms.h"

/* Whether a listed Km is the one km would replace. */
static int replaced_by(const struct store_onem2m_km_info *info, void *arg)
{
	const struct store_onem2m_km_info *km = arg;

	return !strcmp(info->km_id, km->km_id) ||
	       (!strcmp(info->ke_id, km->ke_id) &&
		!strcmp(info->enrolee_id, km->enrolee_id));
}

int maf_kms_put(struct store *store, const struct store_onem2m_km *km,
		int64_t now)
{
	int ret = store_onem2m_km_purge(store, now);

	if (ret >= 0)
		ret = store_onem2m_km_count(store, now);
	if (ret >= MAF_KMS_MAX) {
		/* Full: only a Km that takes a row's place goes in. */
		ret = store_onem2m_km_list(store, replaced_by,
					   (void *)&km->pub);
		if (!ret)
			return -ENOSPC;
	}
	if (ret < 0)
		return ret;
	return store_onem2m_km_put(store, km);
}
