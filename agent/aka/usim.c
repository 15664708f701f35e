// SPDX-License-Identifier: GPL-2.0
/*
 * The software USIM; see usim.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sqn.h"
#include "usim.h"
#include "crypto/milenage.h"

/*
 * The Ks_int_NAF a GBA_U USIM keeps, most recently used first out of the
 * way: when full, the least recently used entry is overwritten (G.3).
 */
#define INT_NAF_SLOTS	4
#define NAF_ID_MAX	(253 + GBA_UA_ID_LEN)	/* FQDN || Ua id */

struct int_naf {
	bool used;
	uint64_t last_use;
	uint8_t naf_id[NAF_ID_MAX];
	size_t naf_id_len;
	char btid[STORE_BTID_MAX + 1];
	uint8_t key[GBA_KEY_LEN];	/* Ks_int_NAF */
};

struct usim {
	struct store *store;
	struct store_usim_info info;	/* as of usim_open() */
	struct int_naf int_naf[INT_NAF_SLOTS];
	uint64_t uses;
};

static void forget_int_naf(struct usim *usim)
{
	OPENSSL_cleanse(usim->int_naf, sizeof(usim->int_naf));
}

int usim_open(struct usim **out, struct store *store, const char *iccid)
{
	struct store_usim stored;
	struct usim *usim;
	int ret;

	*out = NULL;
	ret = store_usim_get(store, iccid, &stored);
	if (ret) {
		store_usim_wipe(&stored);
		return ret;
	}
	usim = calloc(1, sizeof(*usim));
	if (!usim) {
		store_usim_wipe(&stored);
		return -ENOMEM;
	}
	usim->store = store;
	usim->info = stored.pub;
	/* K and OPc are read again, in the transaction, when needed. */
	store_usim_wipe(&stored);
	*out = usim;
	return 0;
}

void usim_close(struct usim *usim)
{
	if (!usim)
		return;
	OPENSSL_cleanse(usim, sizeof(*usim));
	free(usim);
}

const char *usim_iccid(const struct usim *usim)
{
	return usim->info.iccid;
}

const char *usim_imsi(const struct usim *usim)
{
	return usim->info.imsi;
}

const char *usim_impi(const struct usim *usim)
{
	return usim->info.impi;
}

int usim_is_gba_u(const struct usim *usim)
{
	return !!(usim->info.flags & STORE_USIM_GBA_U);
}

/* One challenge, its answer, and where the answer goes. */
struct challenge {
	const uint8_t *rand;
	const uint8_t *autn;
	uint8_t *res, *ck, *ik, *auts;	/* ck and ik may be NULL */
};

/* AUTS = (SQN_MS ^ AK*) || MAC-S, SQN_MS the highest SQN accepted. */
static int sync_failure(struct milenage *m, const struct store_usim *usim,
			const struct challenge *c)
{
	uint8_t sqn_ms[AKA_SQN_LEN];
	int ret;

	sqn_ms_highest(&usim->pub.sqn, sqn_ms);
	ret = milenage_auts(m, c->rand, sqn_ms, c->auts);
	OPENSSL_cleanse(sqn_ms, sizeof(sqn_ms));
	return ret ? ret : USIM_SYNC_FAILURE;
}

/*
 * MAC-A under the keys an AUTN verifies with: the pending ones of a key
 * update first, else the current ones (Documentation/key-update.md). So
 * the USIM answers an HSS that has switched and one that has not yet.
 * 0 with m set up and *pending telling which, -EBADMSG (neither), or an
 * error.
 */
static int check_mac(struct milenage *m, const struct store_usim *usim,
		     const struct challenge *c, uint8_t sqn[AKA_SQN_LEN],
		     bool *pending)
{
	int ret;

	*pending = false;
	if (usim->pub.has_pending) {
		ret = milenage_init(m, usim->pending_k, usim->pending_opc);
		if (ret)
			return ret;
		ret = milenage_check_autn(m, c->rand, c->autn, sqn);
		if (ret != -EBADMSG) {
			*pending = !ret;
			if (ret)
				milenage_free(m);
			return ret;
		}
		milenage_free(m);
	}
	ret = milenage_init(m, usim->k, usim->opc);
	if (ret)
		return ret;
	ret = milenage_check_autn(m, c->rand, c->autn, sqn);
	if (ret)
		milenage_free(m);
	return ret;
}

/*
 * The first AKA that succeeds under the pending keys proves the HSS has
 * them: they become current, and the old ones are wiped, in the same
 * transaction as the SQN it accepted.
 */
static void switch_keys(struct store_usim *usim)
{
	memcpy(usim->k, usim->pending_k, sizeof(usim->k));
	memcpy(usim->opc, usim->pending_opc, sizeof(usim->opc));
	OPENSSL_cleanse(usim->pending_k, sizeof(usim->pending_k));
	OPENSSL_cleanse(usim->pending_opc, sizeof(usim->pending_opc));
	usim->pub.has_pending = false;
}

/*
 * Inside the store's transaction, with the keys as stored: MAC-A first
 * (TS 33.102 6.3.3), then freshness. Returns 0 to have the accepted SQN
 * (and a key switch) committed, or USIM_SYNC_FAILURE / USIM_MAC_FAILURE
 * with nothing to write.
 */
static int answer_challenge(struct store_usim *usim, void *arg)
{
	const struct challenge *c = arg;
	uint8_t sqn[AKA_SQN_LEN];
	struct milenage m;
	bool pending;
	int ret;

	ret = check_mac(&m, usim, c, sqn, &pending);
	if (ret == -EBADMSG)
		return USIM_MAC_FAILURE;
	if (ret)
		return ret;
	if (!sqn_ms_fresh(&usim->pub.sqn, sqn)) {
		ret = sync_failure(&m, usim, c);
	} else {
		sqn_ms_accept(&usim->pub.sqn, sqn);
		ret = milenage_f2345(&m, c->rand, c->res, c->ck, c->ik, NULL,
				     NULL);
		if (!ret && pending)
			switch_keys(usim);
	}
	milenage_free(&m);
	OPENSSL_cleanse(sqn, sizeof(sqn));
	return ret;
}

/*
 * Runs a challenge against the stored USIM. Whatever is not an answer
 * (the outputs of another status, or all of them after an error) is
 * zeroed.
 */
static int run_challenge(struct usim *usim, const struct challenge *c)
{
	struct store_usim stored;
	int ret;

	ret = store_usim_sqn_update(usim->store, usim->info.iccid,
				    answer_challenge, (void *)c, &stored);
	if (ret >= 0)
		usim->info.sqn = stored.pub.sqn;
	store_usim_wipe(&stored);
	if (ret != USIM_OK) {
		OPENSSL_cleanse(c->res, AKA_RES_LEN);
		if (c->ck)
			OPENSSL_cleanse(c->ck, AKA_CK_LEN);
		if (c->ik)
			OPENSSL_cleanse(c->ik, AKA_IK_LEN);
	}
	if (ret != USIM_SYNC_FAILURE)
		OPENSSL_cleanse(c->auts, AKA_AUTS_LEN);
	return ret;
}

int usim_authenticate(struct usim *usim, const uint8_t rand[AKA_RAND_LEN],
		      const uint8_t autn[AKA_AUTN_LEN],
		      uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN],
		      uint8_t ik[AKA_IK_LEN], uint8_t auts[AKA_AUTS_LEN])
{
	struct challenge c = {
		.rand = rand, .autn = autn,
		.res = res, .ck = ck, .ik = ik, .auts = auts,
	};

	return run_challenge(usim, &c);
}

/* GBA_U. */

int usim_gba_u_bootstrap(struct usim *usim, const uint8_t rand[AKA_RAND_LEN],
			 const uint8_t autn[AKA_AUTN_LEN],
			 uint8_t res[AKA_RES_LEN],
			 uint8_t auts[AKA_AUTS_LEN])
{
	struct store_usim_gba gba;
	struct challenge c = {
		.rand = rand, .autn = autn, .res = res,
		.ck = gba.ks, .ik = gba.ks + AKA_CK_LEN, .auts = auts,
	};
	int ret;

	memset(res, 0, AKA_RES_LEN);
	memset(auts, 0, AKA_AUTS_LEN);
	if (!usim_is_gba_u(usim))
		return -EOPNOTSUPP;
	memset(&gba, 0, sizeof(gba));
	ret = run_challenge(usim, &c);
	if (ret == USIM_OK) {
		/* A new bootstrap replaces the old one whole (G.1). */
		memcpy(gba.rand, rand, AKA_RAND_LEN);
		forget_int_naf(usim);
		ret = store_usim_gba_set(usim->store, usim->info.iccid, &gba);
		if (ret)
			OPENSSL_cleanse(res, AKA_RES_LEN);
	}
	store_usim_gba_wipe(&gba);
	return ret;
}

/* Whether btid is base64(RAND)@something for the RAND of the bootstrap. */
static bool btid_matches(const char *btid, const uint8_t rand[AKA_RAND_LEN])
{
	char expected[GBA_BTID_RAND_LEN + 3];

	/* "x" stands for the BSF name: only the base64(RAND)@ part counts. */
	if (gba_btid(expected, sizeof(expected), rand, "x") < 0)
		return false;
	return strncmp(btid, expected, GBA_BTID_RAND_LEN + 1) == 0 &&
	       btid[GBA_BTID_RAND_LEN + 1] != '\0';
}

int usim_gba_u_set_btid(struct usim *usim, const char *btid, int64_t expires)
{
	struct store_usim_gba gba;
	int ret;

	if (!usim_is_gba_u(usim))
		return -EOPNOTSUPP;
	if (!store_btid_valid(btid))
		return -EINVAL;
	ret = store_usim_gba_get(usim->store, usim->info.iccid, &gba);
	if (!ret && !btid_matches(btid, gba.rand))
		ret = -EINVAL;
	if (!ret) {
		strcpy(gba.btid, btid);		/* fits: store_btid_valid() */
		gba.expires = expires;
		ret = store_usim_gba_set(usim->store, usim->info.iccid, &gba);
	}
	store_usim_gba_wipe(&gba);
	return ret;
}

/* The slot for a NAF_Id: its own, a free one, or the least recently used. */
static struct int_naf *int_naf_slot(struct usim *usim, const uint8_t *naf_id,
				    size_t naf_id_len)
{
	struct int_naf *slot = &usim->int_naf[0];
	unsigned int i;

	for (i = 0; i < INT_NAF_SLOTS; i++) {
		struct int_naf *entry = &usim->int_naf[i];

		if (entry->used && entry->naf_id_len == naf_id_len &&
		    !memcmp(entry->naf_id, naf_id, naf_id_len))
			return entry;
		if (!entry->used)
			slot = entry;
		else if (slot->used && entry->last_use < slot->last_use)
			slot = entry;
	}
	return slot;
}

/* Keeps Ks_int_NAF for naf_id; the caller wipes its copy. */
static void keep_int_naf(struct usim *usim, const struct store_usim_gba *gba,
			 const uint8_t *naf_id, size_t naf_id_len,
			 const uint8_t key[GBA_KEY_LEN])
{
	struct int_naf *slot = int_naf_slot(usim, naf_id, naf_id_len);

	OPENSSL_cleanse(slot, sizeof(*slot));
	slot->used = true;
	slot->last_use = ++usim->uses;
	memcpy(slot->naf_id, naf_id, naf_id_len);
	slot->naf_id_len = naf_id_len;
	strcpy(slot->btid, gba->btid);
	memcpy(slot->key, key, GBA_KEY_LEN);
}

static int derive_naf_keys(struct usim *usim, const struct store_usim_gba *gba,
			   const uint8_t *naf_id, size_t naf_id_len,
			   uint8_t ks_ext_naf[GBA_KEY_LEN])
{
	const uint8_t *ck = gba->ks, *ik = gba->ks + AKA_CK_LEN;
	uint8_t ks_int_naf[GBA_KEY_LEN];
	int ret;

	ret = gba_ks_naf(ks_ext_naf, ck, ik, gba->rand, usim->info.impi,
			 naf_id, naf_id_len);
	if (!ret)
		ret = gba_ks_int_naf(ks_int_naf, ck, ik, gba->rand,
				     usim->info.impi, naf_id, naf_id_len);
	if (!ret)
		keep_int_naf(usim, gba, naf_id, naf_id_len, ks_int_naf);
	OPENSSL_cleanse(ks_int_naf, sizeof(ks_int_naf));
	return ret;
}

int usim_gba_u_naf_key(struct usim *usim, const uint8_t *naf_id,
		       size_t naf_id_len, int64_t now,
		       uint8_t ks_ext_naf[GBA_KEY_LEN])
{
	struct store_usim_gba gba;
	int ret;

	memset(ks_ext_naf, 0, GBA_KEY_LEN);
	if (!usim_is_gba_u(usim))
		return -EOPNOTSUPP;
	if (!naf_id || naf_id_len <= GBA_UA_ID_LEN || naf_id_len > NAF_ID_MAX)
		return -EINVAL;
	ret = store_usim_gba_get(usim->store, usim->info.iccid, &gba);
	if (!ret && !gba.btid[0])
		ret = -ENOENT;		/* the ME never finished the bootstrap */
	else if (!ret && gba.expires <= now)
		ret = -EKEYEXPIRED;
	if (!ret)
		ret = derive_naf_keys(usim, &gba, naf_id, naf_id_len,
				      ks_ext_naf);
	store_usim_gba_wipe(&gba);
	if (ret)
		OPENSSL_cleanse(ks_ext_naf, GBA_KEY_LEN);
	return ret;
}

int usim_gba_u_uicc_key(struct usim *usim, const uint8_t *naf_id,
			size_t naf_id_len, int64_t now,
			uint8_t ks_int_naf[GBA_KEY_LEN])
{
	uint8_t ks_ext_naf[GBA_KEY_LEN];
	int ret = usim_gba_u_naf_key(usim, naf_id, naf_id_len, now,
				     ks_ext_naf);

	OPENSSL_cleanse(ks_ext_naf, sizeof(ks_ext_naf));
	memset(ks_int_naf, 0, GBA_KEY_LEN);
	/* Kept by the derivation just made: naf_id's own slot. */
	if (!ret)
		memcpy(ks_int_naf, int_naf_slot(usim, naf_id, naf_id_len)->key,
		       GBA_KEY_LEN);
	return ret;
}
