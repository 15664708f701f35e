// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's keys in the kernel keyrings, see hse_keyring.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hse_keyring.h"
#include "kernel/e2m_keyset.h"

int hse_keyset_payload(struct e2m_keyset_payload *p, uint8_t ksi,
		       uint8_t enc_alg, uint8_t int_alg,
		       const uint8_t k_enc[E2M_ALG_KEY_LEN],
		       const uint8_t k_int[E2M_ALG_KEY_LEN],
		       uint32_t lifetime)
{
	memset(p, 0, sizeof(*p));
	if (ksi >= E2M_KEY_ID_MAX || enc_alg > E2M_ALG_ZUC ||
	    int_alg > E2M_ALG_ZUC || int_alg == E2M_ALG_NULL)
		return -EINVAL;
	e2m_keyset_payload_init(p, ksi, enc_alg, int_alg, k_enc, k_int,
				lifetime);
	return 0;
}

int hse_keyring(key_serial_t *ring)
{
	long found = keyctl_search(KEY_SPEC_USER_KEYRING, "keyring",
				   HSE_KEYRING, 0);
	key_serial_t made;

	if (found >= 0) {
		*ring = (key_serial_t)found;
		return 0;
	}
	if (errno != ENOKEY)
		return -errno;
	made = add_key("keyring", HSE_KEYRING, NULL, 0, KEY_SPEC_USER_KEYRING);
	if (made < 0)
		return -errno;
	*ring = made;
	return 0;
}

int hse_key_add(key_serial_t ring, const char *description,
		const struct e2m_keyset_payload *p, key_serial_t *serial)
{
	return e2m_keyset_add(ring, description, p, serial);
}

void hse_key_drop(key_serial_t ring, key_serial_t serial)
{
	/* Revoked first: a flow still bound to it stops using it at once. */
	keyctl_revoke(serial);
	keyctl_unlink(serial, ring);
}

/* Whether serial is an e2mkeyset key whose description ends in suffix. */
static bool described_with(key_serial_t serial, const char *suffix)
{
	static const char type[] = E2M_KEYSET_KEY_TYPE ";";
	size_t len, suffix_len = strlen(suffix);
	char *desc = NULL;
	bool match;

	/* "type;uid;gid;perm;description"; a key gone since reads -1. */
	if (keyctl_describe_alloc(serial, &desc) < 0)
		return false;
	len = strlen(desc);
	match = !strncmp(desc, type, sizeof(type) - 1) && len >= suffix_len &&
		!strcmp(desc + len - suffix_len, suffix);
	free(desc);
	return match;
}

int hse_keys_drop_teid(key_serial_t ring, uint32_t teid)
{
	char suffix[sizeof(" teid:") + 8];
	key_serial_t *serials = NULL;
	long size;
	size_t i;
	int dropped = 0;

	snprintf(suffix, sizeof(suffix), " teid:%08" PRIx32, teid);
	size = keyctl_read_alloc(ring, (void **)&serials);
	if (size < 0)
		return -errno;
	for (i = 0; i < (size_t)size / sizeof(*serials); i++) {
		if (described_with(serials[i], suffix)) {
			hse_key_drop(ring, serials[i]);
			dropped++;
		}
	}
	free(serials);
	return dropped;
}
