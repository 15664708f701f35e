// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Kms in its store (daemon/maf/maf_kms.h): the bound of
 * MAF_KMS_MAX live Kms, a Km that replaces one (by Km-Id, by KeId and
 * Enrolee-ID) still taken when full, and the expired ones purged to make
 * room.
 */
#include <errno.h>
#include <string.h>

#include "crypto/onem2m.h"
#include "daemon/maf/maf_kms.h"
#include "store_fixture.h"

#define KE_ID	"vbil5qy0yhIdG0p1WqDHRQ==@mef.test"

/* Km number n: Km all n, its Km-Id derived, Enrolee-ID "CAE-n". */
static void km_of(struct store_onem2m_km *km, unsigned int n,
		  int64_t expires)
{
	memset(km, 0, sizeof(*km));
	memset(km->km, (int)(n & 0xff), sizeof(km->km));
	km->km[1] = (uint8_t)(n >> 8);
	if (onem2m_km_id(km->pub.km_id, sizeof(km->pub.km_id), km->km,
			 "maf.test"))
		bail("onem2m_km_id");
	strcpy(km->pub.ke_id, KE_ID);
	snprintf(km->pub.enrolee_id, sizeof(km->pub.enrolee_id), "CAE-%u", n);
	km->pub.created = 100;
	km->pub.expires = expires;
}

int main(void)
{
	struct store_key key;
	struct store_onem2m_km km, got;
	struct store *store;
	unsigned int n;
	int ret = 0;

	scratch_make("maf_kms_test");
	test_key(&key, 0x17);
	store = open_store(scratch_path("maf.db"), &key);
	/* Half of them expire at 1000, half at 5000. */
	for (n = 0; !ret && n < MAF_KMS_MAX; n++) {
		km_of(&km, n, n % 2 ? 5000 : 1000);
		ret = maf_kms_put(store, &km, 500);
	}
	ok(!ret && store_onem2m_km_count(store, 500) == MAF_KMS_MAX,
	   "%d Kms taken", MAF_KMS_MAX);
	km_of(&km, MAF_KMS_MAX, 5000);
	ok(maf_kms_put(store, &km, 500) == -ENOSPC &&
	   store_onem2m_km_get(store, km.pub.km_id, 500, &got) == -ENOENT,
	   "one more: -ENOSPC, not stored");
	km_of(&km, 7, 6000);
	ok(!maf_kms_put(store, &km, 500) &&
	   !store_onem2m_km_get(store, km.pub.km_id, 500, &got) &&
	   got.pub.expires == 6000 &&
	   store_onem2m_km_count(store, 500) == MAF_KMS_MAX,
	   "full: the same Km-Id again is taken, in its row's place");
	km_of(&km, 9, 6000);
	km.km[2] = 0xee;	/* another Km (Km-Id) of KeId and CAE-9 */
	if (onem2m_km_id(km.pub.km_id, sizeof(km.pub.km_id), km.km,
			 "maf.test"))
		bail("onem2m_km_id");
	ok(!maf_kms_put(store, &km, 500) &&
	   !store_onem2m_km_get(store, km.pub.km_id, 500, &got) &&
	   got.km[2] == 0xee &&
	   store_onem2m_km_count(store, 500) == MAF_KMS_MAX,
	   "full: a new Km of the same KeId and Enrolee-ID replaces the old");
	km_of(&km, MAF_KMS_MAX, 5000);
	ok(!maf_kms_put(store, &km, 1000) &&
	   store_onem2m_km_list(store, NULL, NULL) == MAF_KMS_MAX / 2 + 1 &&
	   store_onem2m_km_count(store, 1000) == MAF_KMS_MAX / 2 + 1,
	   "at 1000 the %d expired are purged and the new one taken",
	   MAF_KMS_MAX / 2);
	store_onem2m_km_wipe(&km);
	store_onem2m_km_wipe(&got);
	store_close(store);
	scratch_remove();
	return done_testing();
}
