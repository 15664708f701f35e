/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the tests of the software USIM: the network's side of one AKA, made
 * here with Milenage under a given K and OPc, put to the USIM in a store.
 */
#ifndef E2M_TESTS_USIM_CHALLENGE_H
#define E2M_TESTS_USIM_CHALLENGE_H

#include <errno.h>
#include <string.h>

#include "aka/usim.h"
#include "crypto/milenage.h"
#include "tap.h"

/*
 * An AUTN under k/opc for SEQ @seq with IND 0 (5 IND bits), AMF 8000 and
 * a RAND of @seq's low octet repeated, answered by USIM @iccid of @store:
 * the USIM's verdict (enum usim_result), or a negative errno when
 * Milenage or opening the USIM fails.
 */
static inline int usim_aka_once(struct store *store, const char *iccid,
				const char *k_hex, const char *opc_hex,
				uint64_t seq)
{
	uint8_t k[16], opc[16], sqn[AKA_SQN_LEN] = { 0 }, amf[2] = { 0x80, 0 };
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], res[AKA_RES_LEN];
	uint8_t auts[AKA_AUTS_LEN];
	struct milenage m;
	struct usim *usim;
	int ret;

	unhex(k, 16, k_hex);
	unhex(opc, 16, opc_hex);
	sqn[4] = (uint8_t)(seq >> 3);
	sqn[5] = (uint8_t)(seq << 5);
	memset(rand, (int)seq, sizeof(rand));
	if (milenage_init(&m, k, opc) ||
	    milenage_autn(&m, rand, sqn, amf, autn))
		return -EIO;
	milenage_free(&m);
	ret = usim_open(&usim, store, iccid);
	if (ret)
		return ret;
	ret = usim_authenticate(usim, rand, autn, res, NULL, NULL, auts);
	usim_close(usim);
	return ret;
}

#endif /* E2M_TESTS_USIM_CHALLENGE_H */
