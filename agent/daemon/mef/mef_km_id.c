// SPDX-License-Identifier: GPL-2.0
/*
 * The scan for the Ke of a Km-Id, see mef_km_id.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/onem2m.h"
#include "mef_km_id.h"

/* The KeIds of the peer's Kes, collected: the list cannot be re-entered. */
struct candidates {
	const struct tls_peer *peer;
	char (*ke_ids)[STORE_ONEM2M_KE_ID_MAX + 1];
	size_t n, size;
};

static int collect(const struct store_onem2m_ke_info *info, void *arg)
{
	struct candidates *c = arg;
	void *more;

	if (info->config.target_kind != STORE_ONEM2M_MAF ||
	    !tls_peer_is(c->peer, info->config.target_id))
		return 0;
	if (c->n == c->size) {
		more = realloc(c->ke_ids, (c->size ? 2 * c->size : 16) *
				       sizeof(*c->ke_ids));
		if (!more)
			return -ENOMEM;
		c->ke_ids = more;
		c->size = c->size ? 2 * c->size : 16;
	}
	strcpy(c->ke_ids[c->n++], info->ke_id);
	return 0;
}

/* Whether ke's Km, for the MAF named by fqdn, has the Km-Id km_id. */
static bool matches(const struct store_onem2m_ke *ke, const char *km_id,
		    const char *fqdn)
{
	uint8_t km[ONEM2M_KEY_LEN];
	char id[ONEM2M_KEY_ID_MAX + 1];
	bool same;

	if (onem2m_km(km, ke->ke, ke->pub.config.target_id,
		      ke->pub.config.enrolee_id) ||
	    onem2m_km_id(id, sizeof(id), km, fqdn)) {
		OPENSSL_cleanse(km, sizeof(km));
		return false;
	}
	OPENSSL_cleanse(km, sizeof(km));
	same = strlen(id) == strlen(km_id) &&
	       !CRYPTO_memcmp(id, km_id, strlen(id));
	return same;
}

int mef_km_id_find(struct store *store, const struct tls_peer *peer,
		   const char *km_id, struct store_onem2m_ke *ke)
{
	struct candidates c = { .peer = peer };
	const char *at = strchr(km_id, '@');
	int ret = at ? store_onem2m_ke_list(store, collect, &c) : -ENOENT;
	size_t i;

	for (i = 0; !ret && i < c.n; i++) {
		ret = store_onem2m_ke_get(store, c.ke_ids[i], ke);
		if (ret == -ENOENT) {	/* purged since the list */
			ret = 0;
			continue;
		}
		if (!ret && matches(ke, km_id, at + 1)) {
			free(c.ke_ids);
			return 0;
		}
		store_onem2m_ke_wipe(ke);
	}
	free(c.ke_ids);
	return ret ? ret : -ENOENT;
}
