// SPDX-License-Identifier: GPL-2.0
/*
 * A UE's NAF keys, see naf_key.h.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "naf_key.h"

static int gba_me_key(struct store *store, struct usim *usim,
		      const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		      struct ue_naf_key *out)
{
	struct store_session s;
	int ret = store_session_latest(store, usim_impi(usim), now, &s);

	if (!ret)
		ret = gba_ks_naf(out->key, s.ks, s.ks + AKA_CK_LEN, s.pub.rand,
				 s.pub.impi, naf_id, naf_id_len);
	if (!ret) {
		strcpy(out->btid, s.pub.btid);
		out->expires = s.pub.expires;
	}
	store_session_wipe(&s);
	return ret;
}

/* uicc: Ks_int_NAF, for the client in the UICC; else Ks_ext_NAF. */
static int gba_u_key(struct store *store, struct usim *usim,
		     const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		     bool uicc, struct ue_naf_key *out)
{
	struct store_usim_gba gba;
	int ret = store_usim_gba_get(store, usim_iccid(usim), &gba);

	if (!ret) {
		/* What the ME reads of EF_GBABP; Ks stays in the USIM. */
		strcpy(out->btid, gba.btid);
		out->expires = gba.expires;
	}
	store_usim_gba_wipe(&gba);
	if (!ret && uicc)
		ret = usim_gba_u_uicc_key(usim, naf_id, naf_id_len, now,
					  out->key);
	else if (!ret)
		ret = usim_gba_u_naf_key(usim, naf_id, naf_id_len, now,
					 out->key);
	out->gba_u = true;
	out->uicc = uicc;
	return ret;
}

static int naf_key(struct store *store, struct usim *usim,
		   const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		   bool uicc, struct ue_naf_key *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!naf_id || naf_id_len <= GBA_UA_ID_LEN)
		return -EINVAL;
	if (uicc && !usim_is_gba_u(usim))
		return -EOPNOTSUPP;
	strcpy(out->impi, usim_impi(usim));
	if (usim_is_gba_u(usim))
		ret = gba_u_key(store, usim, naf_id, naf_id_len, now, uicc,
				out);
	else
		ret = gba_me_key(store, usim, naf_id, naf_id_len, now, out);
	if (ret)
		ue_naf_key_wipe(out);
	return ret;
}

int ue_naf_key(struct store *store, struct usim *usim, const uint8_t *naf_id,
	       size_t naf_id_len, int64_t now, struct ue_naf_key *out)
{
	return naf_key(store, usim, naf_id, naf_id_len, now, false, out);
}

int ue_naf_key_uicc(struct store *store, struct usim *usim,
		    const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		    struct ue_naf_key *out)
{
	return naf_key(store, usim, naf_id, naf_id_len, now, true, out);
}

void ue_naf_key_wipe(struct ue_naf_key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}

int ue_naf_key_for(struct store *store, struct usim *usim,
		   const char *naf_fqdn, const uint8_t ua_id[GBA_UA_ID_LEN],
		   uint8_t key[GBA_KEY_LEN])
{
	uint8_t naf_id[STORE_NAF_ID_MAX];
	struct ue_naf_key k;
	int len = gba_naf_id(naf_id, sizeof(naf_id), naf_fqdn, ua_id);
	int ret = len < 0 ? len :
		  ue_naf_key(store, usim, naf_id, (size_t)len, time(NULL), &k);

	if (!ret)
		memcpy(key, k.key, GBA_KEY_LEN);
	ue_naf_key_wipe(&k);
	return ret;
}
