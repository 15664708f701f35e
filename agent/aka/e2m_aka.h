/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2m keys of one AKA run, as the HSS and the USIM both derive them
 * when the vector is marked for e2m (AMF bit 1, AUC_AMF_E2M): the
 * e2mKEYSET for the HSE, and the keys the serving network gets in place
 * of the AKA run's own (Documentation/derivations.md, Documentation/best.md
 * step 0):
 *
 *	UMTS AKA: K_e2m = KDF(CK || IK, FF E2, "e2mKEYSET", RAND)
 *		  the serving network gets CK', IK' (air.h)
 *	EPS AKA:  K_e2m = KASME = KDF(CK || IK, 10, SN id, SQN xor AK)
 *		  the serving network gets KASME' = KDF(CK' || IK', 10,
 *		  SN id, SQN xor AK), KASME computed over CK', IK'
 *	5G AKA:   K_e2m = K_HSE = KDF(CK || IK, 63, SNN, SQN xor AK)
 *		  the serving network gets the standard XRES* (the UE
 *		  answers RES*) and K_AUSF = KDF(CK || IK, 6A, SNN,
 *		  SQN xor AK)
 *
 * and from K_e2m, K_enc and K_int for the algorithm (keyset.h). In every
 * case the serving network holds only keys derived one way from CK || IK,
 * never K_e2m or what it is derived from: an MME given KASME itself could
 * compute the key set the HSE protects the device's traffic with, which is
 * why UMTS and EPS need the primed keys. 5G needs none: K_HSE and K_AUSF
 * are two different one-way derivations of CK || IK, and neither can be
 * computed from the other, so the AUSF and SEAF get exactly what 5G AKA
 * gives them (SNN is the serving network name, anchor.h).
 */
#ifndef E2M_BEST_E2M_AKA_H
#define E2M_BEST_E2M_AKA_H

#include <stdbool.h>
#include <stdint.h>

#include "aka.h"
#include "crypto/anchor.h"
#include "crypto/fc.h"
#include "crypto/keyset.h"

enum e2m_aka_kind {
	E2M_AKA_UMTS,
	E2M_AKA_EPS,
	E2M_AKA_5G,
};

/*
 * What an AKA run gives both ends. sn_id is read for EPS only, snn and res
 * for 5G only.
 */
struct e2m_aka_input {
	enum e2m_aka_kind kind;
	const uint8_t *ck;		/* AKA_CK_LEN */
	const uint8_t *ik;		/* AKA_IK_LEN */
	const uint8_t *rand;		/* AKA_RAND_LEN */
	const uint8_t *sqn_xor_ak;	/* AKA_SQN_LEN: AUTN octets 0-5 */
	const uint8_t *sn_id;		/* SN_ID_LEN, EPS */
	const char *snn;		/* serving network name, 5G */
	const uint8_t *res;		/* AKA_RES_LEN, 5G: RES or XRES */
	enum e2m_alg alg;
};

/* Every member is secret; wipe with e2m_aka_keys_wipe(). */
struct e2m_aka_keys {
	uint8_t k_enc[KEYSET_KEY_LEN];
	uint8_t k_int[KEYSET_KEY_LEN];
	/*
	 * For the serving network: CK', IK' (UMTS), KASME' (EPS), or RES*
	 * and K_AUSF (5G); the members of the other kinds are zero.
	 */
	uint8_t ck_prime[AKA_CK_LEN];		/* UMTS */
	uint8_t ik_prime[AKA_IK_LEN];		/* UMTS */
	uint8_t kasme_prime[ANCHOR_KEY_LEN];	/* EPS */
	uint8_t res_star[AKA_RES_STAR_LEN];	/* 5G: RES* (HSS: XRES*) */
	uint8_t kausf[ANCHOR_KEY_LEN];		/* 5G */
};

/*
 * Derives keys from in. 0, or -EINVAL (an unknown kind or algorithm, a
 * NULL input) or another negative errno from the KDF; keys is all zero on
 * error. K_e2m and every intermediate are wiped before the return.
 */
int e2m_aka_derive(const struct e2m_aka_input *in, struct e2m_aka_keys *keys);

void e2m_aka_keys_wipe(struct e2m_aka_keys *keys);

/*
 * What a 5G serving network gets of any run, marked for e2m or not: RES*
 * (or XRES*) and K_AUSF from in's CK, IK, RAND, RES, SQN xor AK and SNN.
 * 0 or a negative errno; both zero on error.
 */
int e2m_aka_5g_serving_keys(const struct e2m_aka_input *in,
			    uint8_t res_star[AKA_RES_STAR_LEN],
			    uint8_t kausf[ANCHOR_KEY_LEN]);

/* Whether the AMF of a vector (AUTN octets 6-7) has the e2m bit set. */
bool e2m_amf_has_e2m(const uint8_t amf[AKA_AMF_LEN]);

/* "umts", "eps", "5g"; NULL for another value. */
const char *e2m_aka_kind_name(enum e2m_aka_kind kind);
/* The kind named; -EINVAL for another name. */
int e2m_aka_kind_parse(const char *name, enum e2m_aka_kind *kind);

#endif /* E2M_BEST_E2M_AKA_H */
