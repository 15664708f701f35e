// SPDX-License-Identifier: GPL-2.0
/* The Enrolee's association key, see onem2m_assoc_key.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "crypto/gba.h"
#include "onem2m_assoc_key.h"
#include "options.h"
#include "ue/naf_key.h"
#include "ue_store.h"
#include "util/dns_name.h"

/* Km or Kpsa of the Ke, and its id at the target. */
static int derive(const char *command, struct onem2m_assoc_key *k)
{
	const struct store_onem2m_config *c = &k->ke.pub.config;
	int ret;

	if (c->target_kind == STORE_ONEM2M_MAF) {
		ret = onem2m_km(k->key, k->ke.ke, c->target_id, c->enrolee_id);
		if (!ret)
			ret = onem2m_km_id(k->key_id, sizeof(k->key_id), k->key,
					   k->target);
	} else {
		ret = onem2m_kpsa(k->key, k->ke.ke, c->target_id,
				  c->enrolee_id);
		if (!ret)
			ret = onem2m_kpsa_id(k->key_id, sizeof(k->key_id),
					     k->key, k->target);
	}
	OPENSSL_cleanse(k->ke.ke, sizeof(k->ke.ke));
	return ret ? report(EXIT_FAILURE, command, "cannot derive the key") :
		     0;
}

static int from_ke(const char *command, struct store *store,
		   const char *ke_id, struct onem2m_assoc_key *k)
{
	int ret = store_onem2m_ke_get(store, ke_id, &k->ke);

	if (ret == -ENOENT || ret == -EINVAL)
		return report(EXIT_FAILURE, command,
			      "no Ke of KeId %s in the store", ke_id);
	if (ret)
		return report(EXIT_FAILURE, command, "store: %s",
			      store_strerror(ret));
	if (k->ke.pub.expires <= (int64_t)time(NULL))
		return report(EXIT_FAILURE, command,
			      "the Ke of KeId %s has expired", ke_id);
	return derive(command, k);
}

/*
 * The GBA-based framework: the NAF key of the USIM's bootstrap for the
 * target, KeId the B-TID, MAF-ID (or Enrolee-B-ID) the target's FQDN.
 */
static int from_bootstrap(const char *command, struct store *store,
			  const char *iccid, struct onem2m_assoc_key *k)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_ONEM2M;
	struct store_onem2m_config *c = &k->ke.pub.config;
	uint8_t naf_id[DNS_NAME_MAX + GBA_UA_ID_LEN];
	struct ue_naf_key nk;
	struct usim *usim = NULL;
	int len, ret = ue_usim_open(command, store, iccid, &usim);

	if (ret)
		return ret;
	len = gba_naf_id(naf_id, sizeof(naf_id), k->target, ua_id);
	if (len < 0)
		ret = len;
	else if (k->uicc)	/* computed in the USIM, for its own client */
		ret = ue_naf_key_uicc(store, usim, naf_id, (size_t)len,
				      (int64_t)time(NULL), &nk);
	else
		ret = ue_naf_key(store, usim, naf_id, (size_t)len,
				 (int64_t)time(NULL), &nk);
	usim_close(usim);
	if (ret == -EOPNOTSUPP)
		return report(EXIT_FAILURE, command,
			      "--uicc: USIM %s is GBA_ME: no client in its UICC, no Ks_int_NAF",
			      iccid);
	if (ret == -ENOENT || ret == -EKEYEXPIRED)
		return report(EXIT_FAILURE, command,
			      "no bootstrap in its lifetime (e2mctl bootstrap)");
	if (ret)
		return report(EXIT_FAILURE, command, "%s", store_strerror(ret));
	memcpy(k->key, nk.key, sizeof(k->key));
	snprintf(k->ke.pub.ke_id, sizeof(k->ke.pub.ke_id), "%s", nk.btid);
	k->ke.pub.expires = nk.expires;
	ue_naf_key_wipe(&nk);
	snprintf(c->target_id, sizeof(c->target_id), "%s", k->target);
	if (k->enrolee_b) {
		c->target_kind = STORE_ONEM2M_ENROLEE_B;
		ret = onem2m_kpsa_id(k->key_id, sizeof(k->key_id), k->key,
				     k->target);
	} else {
		c->target_kind = STORE_ONEM2M_MAF;
		ret = onem2m_km_id(k->key_id, sizeof(k->key_id), k->key,
				   k->target);
	}
	if (ret)
		return report(EXIT_FAILURE, command, "cannot derive the key");
	snprintf(k->btid_identity, sizeof(k->btid_identity), "%s%s",
		 k->uicc ? TLS_GBA_HINT_UICC : TLS_GBA_HINT, k->ke.pub.ke_id);
	return 0;
}

int onem2m_assoc_key_load(const char *command, struct store *store,
			  const char *ke_id, const char *iccid,
			  struct onem2m_assoc_key *k)
{
	k->gba = iccid != NULL;
	return k->gba ? from_bootstrap(command, store, iccid, k) :
			from_ke(command, store, ke_id, k);
}

void onem2m_assoc_key_wipe(struct onem2m_assoc_key *k)
{
	store_onem2m_ke_wipe(&k->ke);
	OPENSSL_cleanse(k->key, sizeof(k->key));
}
