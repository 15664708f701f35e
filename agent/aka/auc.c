// SPDX-License-Identifier: GPL-2.0
/*
 * HSS/AuC authentication vectors and resynchronisation.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auc.h"
#include "sqn.h"
#include "crypto/milenage.h"

void auc_vector_wipe(struct auc_vector *vector)
{
	OPENSSL_cleanse(vector, sizeof(*vector));
}

/* Inside the store's transaction: takes the next SQN. */
static int take_next_sqn(struct store_subscriber *sub, void *arg)
{
	uint8_t *sqn = arg;

	return sqn_he_next(&sub->pub.sqn, sqn);
}

/* The Milenage half, once the SQN is safely stored. */
static int build_vector(const struct store_subscriber *sub,
			uint16_t amf_bits, struct auc_vector *vector)
{
	struct milenage m;
	int ret;

	vector->amf[0] = sub->pub.amf[0] | (uint8_t)(amf_bits >> 8);
	vector->amf[1] = sub->pub.amf[1] | (uint8_t)amf_bits;
	if (RAND_bytes(vector->rand, sizeof(vector->rand)) != 1)
		return -EIO;
	ret = milenage_init(&m, sub->k, sub->opc);
	if (ret)
		return ret;
	ret = milenage_f2345(&m, vector->rand, vector->xres, vector->ck,
			     vector->ik, NULL, NULL);
	if (!ret)
		ret = milenage_autn(&m, vector->rand, vector->sqn, vector->amf,
				    vector->autn);
	milenage_free(&m);
	return ret;
}

int auc_vector(struct store *store, const char *id, uint16_t amf_bits,
	       struct auc_vector *vector)
{
	struct store_subscriber sub;
	int ret;

	memset(vector, 0, sizeof(*vector));
	ret = store_subscriber_sqn_update(store, id, take_next_sqn,
					  vector->sqn, &sub);
	/* From here on the SQN is on disk: it is spent, used or not. */
	if (!ret)
		ret = build_vector(&sub, amf_bits, vector);
	store_subscriber_wipe(&sub);
	if (ret)
		auc_vector_wipe(vector);
	return ret;
}

struct resync {
	const uint8_t *rand;
	const uint8_t *auts;
};

/*
 * Inside the store's transaction, with the K and OPc read in it: checks
 * MAC-S, then adopts SEQ_MS. Returns 1 (nothing to write) when SEQ_HE is
 * already past it.
 */
static int adopt_sqn_ms(struct store_subscriber *sub, void *arg)
{
	const struct resync *resync = arg;
	uint8_t sqn_ms[AKA_SQN_LEN];
	struct milenage m;
	int ret;

	ret = milenage_init(&m, sub->k, sub->opc);
	if (ret)
		return ret;
	ret = milenage_check_auts(&m, resync->rand, resync->auts, sqn_ms);
	milenage_free(&m);
	if (ret)
		return ret;
	ret = sqn_he_adopt(&sub->pub.sqn, sqn_ms) ? 0 : 1;
	OPENSSL_cleanse(sqn_ms, sizeof(sqn_ms));
	return ret;
}

int auc_resync(struct store *store, const char *id,
	       const uint8_t rand[AKA_RAND_LEN],
	       const uint8_t auts[AKA_AUTS_LEN])
{
	struct resync resync = { rand, auts };
	struct store_subscriber sub;
	int ret;

	ret = store_subscriber_sqn_update(store, id, adopt_sqn_ms, &resync,
					  &sub);
	store_subscriber_wipe(&sub);
	return ret > 0 ? 0 : ret;
}
