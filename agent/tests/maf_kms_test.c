// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Kms in memory (daemon/maf/maf_kms.h): found by Km-Id while
 * live, replaced by Km-Id or by (KeId, Enrolee-ID), expired ones never
 * found and their slots reused, the bound, the wipe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "daemon/maf/maf_kms.h"

static struct maf_km km_of(unsigned int n, const char *ke_id,
			   const char *enrolee_id, int64_t expires)
{
	struct maf_km km;

	memset(&km, 0, sizeof(km));
	snprintf(km.km_id, sizeof(km.km_id), "km-%u==@maf.test", n);
	snprintf(km.ke_id, sizeof(km.ke_id), "%s", ke_id);
	snprintf(km.enrolee_id, sizeof(km.enrolee_id), "%s", enrolee_id);
	km.expires = expires;
	memset(km.km, (int)n, sizeof(km.km));
	return km;
}

int main(void)
{
	struct maf_kms *kms = calloc(1, sizeof(*kms));
	struct maf_km a = km_of(1, "ke-a", "CAE-1", 1000);
	struct maf_km b = km_of(2, "ke-a", "CAE-1", 2000);
	const struct maf_km *found;
	size_t i, zero = 0;
	int ret = 0;

	ok(!maf_kms_put(kms, &a, 500), "a Km kept");
	found = maf_kms_find(kms, "km-1==@maf.test", 500);
	ok(found && found->km[0] == 1 && found->km[31] == 1 &&
	   found->expires == 1000 && !strcmp(found->ke_id, "ke-a"),
	   "found by its Km-Id, its Km and expiry");
	ok(!maf_kms_find(kms, "km-1==@maf.test", 1000),
	   "not found at its expiry");
	ok(!maf_kms_find(kms, "km-9==@maf.test", 500), "an unknown Km-Id");
	ok(!maf_kms_put(kms, &b, 500) && maf_kms_count(kms, 500) == 1 &&
	   !maf_kms_find(kms, "km-1==@maf.test", 500) &&
	   maf_kms_find(kms, "km-2==@maf.test", 500)->km[0] == 2,
	   "a new Km of the same KeId and Enrolee-ID replaces the old one");
	for (i = 1; i < MAF_KMS_MAX && !ret; i++) {
		char ke[32];
		struct maf_km k;

		snprintf(ke, sizeof(ke), "ke-%zu", i);
		k = km_of(100 + (unsigned int)i, ke, "CAE-1", 3000);
		ret = maf_kms_put(kms, &k, 500);
	}
	ok(!ret && maf_kms_count(kms, 500) == MAF_KMS_MAX,
	   "%d Kms held at once", MAF_KMS_MAX);
	a = km_of(3, "ke-z", "CAE-9", 4000);
	ok(maf_kms_put(kms, &a, 500) == -ENOSPC, "one more: -ENOSPC");
	ok(!maf_kms_put(kms, &a, 2000) &&
	   maf_kms_find(kms, "km-3==@maf.test", 2000) &&
	   !maf_kms_find(kms, "km-2==@maf.test", 1999),
	   "an expired one's slot is reused");
	maf_kms_wipe(kms);
	for (i = 0; i < sizeof(*kms); i++)
		zero |= ((const unsigned char *)kms)[i];
	ok(!zero && maf_kms_count(kms, 0) == 0, "wiped: every octet zero");
	free(kms);
	return done_testing();
}
