// SPDX-License-Identifier: GPL-2.0
/*
 * "ks_local" keys, see ks_local_key.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ks_local_key.h"

int ks_local_key_add(key_serial_t ring, const char *description,
		     const struct ks_local_key *k, key_serial_t *serial)
{
	size_t btid_len = strlen(k->btid);
	size_t device_len = strlen(k->device_id);
	size_t len = sizeof(struct e2m_ks_local_payload) + btid_len +
		     k->naf_id_len + device_len;
	struct e2m_ks_local_payload *p;
	key_serial_t key;
	int ret = 0;

	if (!btid_len || btid_len > 255 || !device_len || device_len > 255 ||
	    k->naf_id_len <= E2M_UA_PROTO_ID_LEN ||
	    k->naf_id_len > E2M_NAF_ID_MAX)
		return -EINVAL;
	p = calloc(1, len);
	if (!p)
		return -ENOMEM;
	p->version = E2M_KS_LOCAL_PAYLOAD_V1;
	p->kind = k->kind;
	p->btid_len = (uint8_t)btid_len;
	p->device_id_len = (uint8_t)device_len;
	p->naf_id_len = (uint16_t)k->naf_id_len;
	p->lifetime = k->lifetime;
	memcpy(p->key, k->key, E2M_KS_LOCAL_KEY_LEN);
	memcpy(p->ids, k->btid, btid_len);
	memcpy(p->ids + btid_len, k->naf_id, k->naf_id_len);
	memcpy(p->ids + btid_len + k->naf_id_len, k->device_id, device_len);
	key = add_key(E2M_KS_LOCAL_KEY_TYPE, description, p, len, ring);
	if (key < 0)
		ret = -errno;
	else
		*serial = key;
	OPENSSL_cleanse(p, len);
	free(p);
	return ret;
}

int ks_local_key_revoke(key_serial_t serial)
{
	return keyctl_revoke(serial) < 0 ? -errno : 0;
}

int ks_local_key_set_expiry(key_serial_t serial, uint32_t lifetime)
{
	return keyctl_set_timeout(serial, lifetime ? lifetime : 1) < 0 ?
	       -errno : 0;
}
