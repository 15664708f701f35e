/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes of the UMTS AKA parameters (TS 33.102 6.3), shared by Milenage and
 * by every key derived from an AKA run.
 */
#ifndef E2M_AKA_H
#define E2M_AKA_H

#define AKA_K_LEN	16
#define AKA_OP_LEN	16	/* OP and OPc */
#define AKA_RAND_LEN	16
#define AKA_SQN_LEN	6	/* SQN, SQN_MS, and SQN xor AK */
#define AKA_AMF_LEN	2
#define AKA_MAC_LEN	8	/* MAC-A, MAC-S */
#define AKA_RES_LEN	8
#define AKA_RES_STAR_LEN	16	/* RES*, XRES*: TS 33.501 A.4 */
#define AKA_CK_LEN	16
#define AKA_IK_LEN	16
#define AKA_AK_LEN	6	/* AK, AK* */
#define AKA_AUTN_LEN	16	/* SQN ^ AK || AMF || MAC-A */
#define AKA_AUTS_LEN	14	/* SQN_MS ^ AK* || MAC-S */

#endif /* E2M_AKA_H */
