// SPDX-License-Identifier: GPL-2.0
/*
 * The store's side of a USIM's long-term key update: store_usim_stage_keys()
 * (store.h), checked here and run by the engine.
 */
#include <errno.h>

#include "store.h"
#include "store_engine.h"

int store_usim_stage_keys(struct store *store, const char *iccid,
			  uint32_t counter, const uint8_t k[AKA_K_LEN],
			  const uint8_t opc[AKA_OP_LEN])
{
	/* 0 is the counter of a USIM never updated: no update has it. */
	if (!store_iccid_valid(iccid) || !counter)
		return -EINVAL;
	return store->ops->usim_stage_keys(store, iccid, counter, k, opc);
}
