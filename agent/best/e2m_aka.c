// SPDX-License-Identifier: GPL-2.0
/*
 * The e2m keys of an AKA run: see e2m_aka.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "air.h"
#include "aka/auc.h"
#include "e2m_aka.h"

static bool input_complete(const struct e2m_aka_input *in)
{
	if (!in->ck || !in->ik || !in->rand || !in->sqn_xor_ak)
		return false;
	if (in->kind == E2M_AKA_EPS)
		return in->sn_id != NULL;
	return in->kind == E2M_AKA_UMTS;
}

/* K_e2m and what the serving network gets, for the kind of AKA. */
static int anchor_keys(const struct e2m_aka_input *in,
		       uint8_t k_e2m[K_E2M_LEN], struct e2m_aka_keys *keys)
{
	int ret = air_keys_derive(keys->ck_prime, keys->ik_prime, in->ck,
				  in->ik, in->rand);

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
	}
	return NULL;
}

int e2m_aka_kind_parse(const char *name, enum e2m_aka_kind *kind)
{
	if (!strcmp(name, "umts"))
		*kind = E2M_AKA_UMTS;
	else if (!strcmp(name, "eps"))
		*kind = E2M_AKA_EPS;
	else
		return -EINVAL;
	return 0;
}
