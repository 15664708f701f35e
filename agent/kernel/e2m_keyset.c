// SPDX-License-Identifier: GPL-2.0
/*
 * "e2mkeyset" keys, see e2m_keyset.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "e2m_keyset.h"

void e2m_keyset_payload_init(struct e2m_keyset_payload *p, uint8_t key_id,
			     uint8_t enc_alg, uint8_t int_alg,
			     const uint8_t k_enc[E2M_ALG_KEY_LEN],
			     const uint8_t k_int[E2M_ALG_KEY_LEN],
			     uint32_t lifetime)
{
	memset(p, 0, sizeof(*p));
	p->version = E2M_KEYSET_PAYLOAD_V1;
	p->enc_alg = enc_alg;
	p->int_alg = int_alg;
	p->key_id = key_id;
	p->lifetime = lifetime;
	memcpy(p->k_enc, k_enc, E2M_ALG_KEY_LEN);
	memcpy(p->k_int, k_int, E2M_ALG_KEY_LEN);
}

int e2m_keyset_add(key_serial_t ring, const char *description,
		   const struct e2m_keyset_payload *p, key_serial_t *serial)
{
	key_serial_t key = add_key(E2M_KEYSET_KEY_TYPE, description, p,
				   sizeof(*p), ring);

	if (key < 0)
		return -errno;
	*serial = key;
	return 0;
}

const char *e2m_keyset_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ENODEV:
		return "e2m kernel module not loaded (key type \""
		       E2M_KEYSET_KEY_TYPE "\" unknown)";
	case EINVAL:
		return "the kernel refused the keyset (Key ID, algorithm or description; see the kernel log)";
	case ENOPKG:
		return "algorithm not implemented by this e2m module";
	case EDQUOT:
		return "key quota exceeded";
	case ENOKEY:
		return "no such keyring";
	case EACCES:
		return "permission denied on the keyring";
	}
	return NULL;
}

int e2m_keyring_special(const char *text, key_serial_t *ring)
{
	static const struct {
		const char *name;
		key_serial_t id;
	} specials[] = {
		{ "@t", KEY_SPEC_THREAD_KEYRING },
		{ "@p", KEY_SPEC_PROCESS_KEYRING },
		{ "@s", KEY_SPEC_SESSION_KEYRING },
		{ "@u", KEY_SPEC_USER_KEYRING },
		{ "@us", KEY_SPEC_USER_SESSION_KEYRING },
	};
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		if (!strcmp(text, specials[i].name)) {
			*ring = specials[i].id;
			return 0;
		}
	}
	return -ENOENT;
}
