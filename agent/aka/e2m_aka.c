// SPDX-License-Identifier: GPL-2.0
/*
 * The e2m keys of an AKA run: see e2m_aka.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/air.h"
#include "auc.h"
#include "e2m_aka.h"

static bool input_complete(const struct e2m_aka_input *in)
{
	if (!in->ck || !in->ik || !in->rand || !in->sqn_xor_ak)
		return false;
	switch (in->kind) {
	case E2M_AKA_UMTS:
		return true;
	case E2M_AKA_EPS:
		return in->sn_id != NULL;
	case E2M_AKA_5G:
		return in->snn != NULL && in->res != NULL;
	}
	return false;
}

int e2m_aka_5g_serving_keys(const struct e2m_aka_input *in,
			    uint8_t res_star[AKA_RES_STAR_LEN],
			    uint8_t kausf[ANCHOR_KEY_LEN])
{
	int ret = res_star_derive(res_star, in->ck, in->ik, in->snn, in->rand,
				  in->res);

	if (!ret)
		ret = kausf_derive(kausf, in->ck, in->ik, in->snn,
				   in->sqn_xor_ak);
	if (ret) {
		OPENSSL_cleanse(res_star, AKA_RES_STAR_LEN);
		OPENSSL_cleanse(kausf, ANCHOR_KEY_LEN);
	}
	return ret;
}

/* 5G: K_e2m is K_HSE; the serving network's keys are 5G AKA's own. */
static int anchor_keys_5g(const struct e2m_aka_input *in,
			  uint8_t k_e2m[K_E2M_LEN], struct e2m_aka_keys *keys)
{
	int ret = k_hse_derive(k_e2m, in->ck, in->ik, in->snn,
			       in->sqn_xor_ak);

	if (!ret)
		ret = e2m_aka_5g_serving_keys(in, keys->res_star, keys->kausf);
	return ret;
}

/* K_e2m and what the serving network gets, for the kind of AKA. */
static int anchor_keys(const struct e2m_aka_input *in,
		       uint8_t k_e2m[K_E2M_LEN], struct e2m_aka_keys *keys)
{
	int ret;

	if (in->kind == E2M_AKA_5G)
		return anchor_keys_5g(in, k_e2m, keys);
	ret = air_keys_derive(keys->ck_prime, keys->ik_prime, in->ck, in->ik,
			      in->rand);
	if (ret)
		return ret;
	if (in->kind == E2M_AKA_UMTS)
		return k_e2m_derive(k_e2m, in->ck, in->ik, in->rand);
	ret = kasme_derive(k_e2m, in->ck, in->ik, in->sn_id, in->sqn_xor_ak);
	if (!ret)
		ret = kasme_derive(keys->kasme_prime, keys->ck_prime,
				   keys->ik_prime, in->sn_id, in->sqn_xor_ak);
	/* EPS hands the MME KASME' only: CK', IK' stay inside. */
	OPENSSL_cleanse(keys->ck_prime, sizeof(keys->ck_prime));
	OPENSSL_cleanse(keys->ik_prime, sizeof(keys->ik_prime));
	return ret;
}

int e2m_aka_derive(const struct e2m_aka_input *in, struct e2m_aka_keys *keys)
{
	uint8_t k_e2m[K_E2M_LEN];
	int ret;

	memset(keys, 0, sizeof(*keys));
	if (!in || !input_complete(in) || (unsigned int)in->alg > E2M_ALG_MAX)
		return -EINVAL;
	ret = anchor_keys(in, k_e2m, keys);
	if (!ret)
		ret = keyset_derive(keys->k_enc, keys->k_int, k_e2m, in->alg);
	OPENSSL_cleanse(k_e2m, sizeof(k_e2m));
	if (ret)
		e2m_aka_keys_wipe(keys);
	return ret;
}

void e2m_aka_keys_wipe(struct e2m_aka_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}

bool e2m_amf_has_e2m(const uint8_t amf[AKA_AMF_LEN])
{
	uint16_t value = (uint16_t)(amf[0] << 8 | amf[1]);

	return value & AUC_AMF_E2M;
}

const char *e2m_aka_kind_name(enum e2m_aka_kind kind)
{
	switch (kind) {
	case E2M_AKA_UMTS:
		return "umts";
	case E2M_AKA_EPS:
		return "eps";
	case E2M_AKA_5G:
		return "5g";
	}
	return NULL;
}

int e2m_aka_kind_parse(const char *name, enum e2m_aka_kind *kind)
{
	if (!strcmp(name, "umts"))
		*kind = E2M_AKA_UMTS;
	else if (!strcmp(name, "eps"))
		*kind = E2M_AKA_EPS;
	else if (!strcmp(name, "5g"))
		*kind = E2M_AKA_5G;
	else
		return -EINVAL;
	return 0;
}
