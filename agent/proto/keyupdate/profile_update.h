/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The profile update of a long-term key update (seed 004 steps 3 and 5,
 * Documentation/key-update.md): the command the provisioning server sends
 * the USIM inside the SCP11a secure channel, and the result it answers.
 * e2m profile, APDU-like: CLA 80, INS D8, P1 00, P2 01, and the data a run
 * of TLVs (one-octet tag, one-octet length below 128), each tag once and
 * in this order:
 *
 *   request                             result (SW 9000)
 *   C0  ICCID, BCD, nibbles swapped,    C0  ICCID, as in the request
 *       F-padded (1-10 octets)          C4  update counter, as requested
 *   C1  IMSI, ASCII digits (6-15)       C8  KCV of the new K (3 octets)
 *   C2  new K under S-DEK (16)          C9  KCV of the new OPc (3 octets)
 *   C3  new OPc under S-DEK (16)
 *   C4  update counter, 4 octets BE
 *
 * A KCV is the first 3 octets of AES-128(key, 16 octets of 01), GP's key
 * check value for AES, so the server sees the USIM unwrapped the keys it
 * sent without either key leaving. A refusal is the status word alone
 * (KU_SW_*). Everything travels wrapped by scp11a_sm.h.
 */
#ifndef E2M_PROFILE_UPDATE_H
#define E2M_PROFILE_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define KU_CLA			0x80
#define KU_INS_PSO		0x2a	/* PERFORM SECURITY OPERATION */
#define KU_P2_MORE_CERTS	0x80	/* PSO: more certificates follow */
#define KU_INS_MUTUAL_AUTH	0x82	/* GP's, SCP11a */
#define KU_INS_PROFILE_UPDATE	0xd8
#define KU_P1_PROFILE_UPDATE	0x00
#define KU_P2_PROFILE_UPDATE	0x01

#define KU_TAG_ICCID		0xc0
#define KU_TAG_IMSI		0xc1
#define KU_TAG_K		0xc2
#define KU_TAG_OPC		0xc3
#define KU_TAG_COUNTER		0xc4
#define KU_TAG_KCV_K		0xc8
#define KU_TAG_KCV_OPC		0xc9

#define KU_WRAPPED_LEN		16
#define KU_KCV_LEN		3
#define KU_ICCID_BCD_MAX	10

/* Status words. */
#define KU_SW_OK		0x9000
#define KU_SW_WRONG_DATA	0x6a80	/* malformed request */
#define KU_SW_NO_PROFILE	0x6a88	/* not this USIM's ICCID and IMSI */
#define KU_SW_REPLAY		0x6982	/* counter not above the last one */
#define KU_SW_PENDING		0x6985	/* an update waits for its first AKA */
#define KU_SW_CERT_REFUSED	0x6984	/* the OCE's chain does not verify */
#define KU_SW_BAD_ORDER		0x6986	/* a command out of the session's order */
#define KU_SW_BAD_INS		0x6d00
#define KU_SW_INTERNAL		0x6f00

struct ku_update_request {
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t wrapped_k[KU_WRAPPED_LEN];
	uint8_t wrapped_opc[KU_WRAPPED_LEN];
	uint32_t counter;
};

struct ku_update_result {
	char iccid[STORE_ICCID_MAX + 1];
	uint32_t counter;
	uint8_t kcv_k[KU_KCV_LEN];
	uint8_t kcv_opc[KU_KCV_LEN];
};

/* The most data either message takes. */
#define KU_REQUEST_MAX	(2 + KU_ICCID_BCD_MAX + 2 + STORE_IMSI_MAX + \
			 2 * (2 + KU_WRAPPED_LEN) + 2 + 4)
#define KU_RESULT_MAX	(2 + KU_ICCID_BCD_MAX + 2 + 4 + 2 * (2 + KU_KCV_LEN))

/*
 * Builds into out (KU_REQUEST_MAX / KU_RESULT_MAX octets will do): 0,
 * -EINVAL (an ICCID or IMSI that is not one) or -EMSGSIZE.
 */
int ku_update_request_build(const struct ku_update_request *req, uint8_t *out,
			    size_t size, size_t *len);
int ku_update_result_build(const struct ku_update_result *res, uint8_t *out,
			   size_t size, size_t *len);

/* Parses exactly the layout above: 0 or -EPROTO, out zeroed then. */
int ku_update_request_parse(struct ku_update_request *req, const uint8_t *in,
			    size_t len);
int ku_update_result_parse(struct ku_update_result *res, const uint8_t *in,
			   size_t len);

/* The KCV of an AES-128 key: 0 or -EIO. */
int ku_kcv(const uint8_t key[16], uint8_t kcv[KU_KCV_LEN]);

#endif /* E2M_PROFILE_UPDATE_H */
