// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Kms in memory, see maf_kms.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "maf_kms.h"

static int live(const struct maf_km *km, int64_t now)
{
	return km->km_id[0] && km->expires > now;
}

static struct maf_km *slot_for(struct maf_kms *kms, const struct maf_km *km,
			       int64_t now)
{
	struct maf_km *free_slot = NULL;
	size_t i;

	for (i = 0; i < MAF_KMS_MAX; i++) {
		struct maf_km *s = &kms->slot[i];

		if (s->km_id[0] && (!strcmp(s->km_id, km->km_id) ||
				    (!strcmp(s->ke_id, km->ke_id) &&
				     !strcmp(s->enrolee_id, km->enrolee_id))))
			return s;
		if (!free_slot && !live(s, now))
			free_slot = s;
	}
	return free_slot;
}

int maf_kms_put(struct maf_kms *kms, const struct maf_km *km, int64_t now)
{
	struct maf_km *s = slot_for(kms, km, now);

	if (!s)
		return -ENOSPC;
	OPENSSL_cleanse(s, sizeof(*s));
	*s = *km;
	return 0;
}

const struct maf_km *maf_kms_find(const struct maf_kms *kms,
				  const char *km_id, int64_t now)
{
	size_t i;

	for (i = 0; i < MAF_KMS_MAX; i++) {
		if (live(&kms->slot[i], now) &&
		    !strcmp(kms->slot[i].km_id, km_id))
			return &kms->slot[i];
	}
	return NULL;
}

size_t maf_kms_count(const struct maf_kms *kms, int64_t now)
{
	size_t i, n = 0;

	for (i = 0; i < MAF_KMS_MAX; i++)
		n += live(&kms->slot[i], now) ? 1 : 0;
	return n;
}

void maf_kms_wipe(struct maf_kms *kms)
{
	OPENSSL_cleanse(kms, sizeof(*kms));
}
