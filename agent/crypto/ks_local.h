/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ks_local_device (TS 33.259) and Ks_local_MT (TS 33.110), the key a device
 * shares with the MT or UICC that bootstrapped for it. e2m profile: the
 * derivation in those specs could not be read (Documentation/derivations.md).
 */
#ifndef E2M_KS_LOCAL_H
#define E2M_KS_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "gba.h"

#define KS_LOCAL_LEN	32

/*
 * KDF(Ks_(ext)_NAF, FC 0xFF 0xE1, label, B-TID, NAF_Id, Device_ID), label
 * LABEL_KS_LOCAL_DEVICE or LABEL_KS_LOCAL_MT. 0 or a negative errno.
 */
int ks_local_derive(uint8_t ks_local[KS_LOCAL_LEN],
		    const uint8_t ks_naf[GBA_KEY_LEN], const char *label,
		    const char *btid, const uint8_t *naf_id, size_t naf_id_len,
		    const char *device_id);

#endif /* E2M_KS_LOCAL_H */
