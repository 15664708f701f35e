// SPDX-License-Identifier: GPL-2.0
/*
 * Ks_local (e2m profile).
 */
#include "fc.h"
#include "kdf.h"
#include "ks_local.h"

int ks_local_derive(uint8_t ks_local[KS_LOCAL_LEN],
		    const uint8_t ks_naf[GBA_KEY_LEN], const char *label,
		    const char *btid, const uint8_t *naf_id, size_t naf_id_len,
		    const char *device_id)
{
	struct kdf kdf;
	int ret;

	kdf_init(&kdf, FC_KS_LOCAL);
	kdf_add_string(&kdf, label);
	kdf_add_string(&kdf, btid);
	kdf_add(&kdf, naf_id, naf_id_len);
	kdf_add_string(&kdf, device_id);
	ret = kdf_derive(&kdf, ks_naf, GBA_KEY_LEN, ks_local);
	kdf_free(&kdf);
	return ret;
}
