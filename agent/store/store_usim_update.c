// SPDX-License-Identifier: GPL-2.0
/*
 * The store's side of a long-term key update: the USIM's staging,
 * store_usim_stage_keys(), and the HSS's switch,
 * store_subscriber_update_keys() (store.h), checked here and run by the
 * engine.
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

int store_subscriber_update_keys(struct store *store, const char *imsi,
				 uint32_t counter,
				 const uint8_t k[AKA_K_LEN],
				 const uint8_t opc[AKA_OP_LEN])
{
	if (!store_imsi_valid(imsi) || !counter)
		return -EINVAL;
	return store->ops->subscriber_update_keys(store, imsi, counter, k,
						  opc);
}
