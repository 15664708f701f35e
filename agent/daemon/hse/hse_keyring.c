// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's keys in the kernel keyrings, see hse_keyring.h.
 */
#include <errno.h>
#include <stdbool.h>
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

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool hse_key_teid(const char *described, uint32_t *teid)
{
	static const char type[] = E2M_KEYSET_KEY_TYPE ";";
	static const char tag[] = " teid:";
	size_t len = strlen(described), tag_len = sizeof(tag) - 1;
	const char *hex;
	uint32_t v = 0;
	int i, d;

	if (strncmp(described, type, sizeof(type) - 1) ||
	    len < sizeof(type) - 1 + tag_len + 8)
		return false;
	hex = described + len - 8;
	if (memcmp(hex - tag_len, tag, tag_len))
		return false;
	for (i = 0; i < 8; i++) {
		d = hex_digit(hex[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*teid = v;
	return true;
}

static int keys_add(struct hse_key_ref **keys, size_t *n, size_t *cap,
		    uint32_t teid, key_serial_t serial)
{
	struct hse_key_ref *grown;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		grown = realloc(*keys, *cap * sizeof(**keys));
		if (!grown)
			return -ENOMEM;
		*keys = grown;
	}
	(*keys)[(*n)++] = (struct hse_key_ref){ teid, serial };
	return 0;
}

int hse_keys_list(key_serial_t ring, struct hse_key_ref **keys, size_t *n)
{
	key_serial_t *serials = NULL;
	size_t i, cap = 0;
	char *desc;
	uint32_t teid;
	long size;
	int ret = 0;

	*keys = NULL;
	*n = 0;
	size = keyctl_read_alloc(ring, (void **)&serials);
	if (size < 0)
		return -errno;
	for (i = 0; !ret && i < (size_t)size / sizeof(*serials); i++) {
		/* A key gone since the read describes as -1: left out. */
		desc = NULL;
		if (keyctl_describe_alloc(serials[i], &desc) < 0)
			continue;
		if (hse_key_teid(desc, &teid))
			ret = keys_add(keys, n, &cap, teid, serials[i]);
		free(desc);
	}
	free(serials);
	if (ret) {
		free(*keys);
		*keys = NULL;
		*n = 0;
	}
	return ret;
}
