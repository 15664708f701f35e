// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/e2m.h>

#include "keys.h"
#include "rng.h"

struct key_pool keys;

/* A key set; the key bytes follow the Key ID, so both ends of a flow match. */
key_serial_t add_keyset(void)
{
	struct e2m_keyset_payload p = {
		.version = E2M_KEYSET_PAYLOAD_V1,
		.enc_alg = chance(80) ? E2M_ALG_AES : E2M_ALG_NULL,
		.int_alg = E2M_ALG_AES,
		.key_id = below(E2M_KEY_ID_MAX + 1),
		.lifetime = chance(10) ? 1 + below(3) : 0,
	};
	char desc[64];
	key_serial_t k;

	memset(p.k_enc, 0x40 + p.key_id, sizeof(p.k_enc));
	memset(p.k_int, 0x60 + p.key_id, sizeof(p.k_int));
	snprintf(desc, sizeof(desc), "nlfuzz kid:%u", p.key_id);
	k = add_key(E2M_KEYSET_KEY_TYPE, desc, &p, sizeof(p), KEY_SPEC_USER_KEYRING);
	if (k > 0)
		atomic_fetch_add(&keys.added, 1);
	return k;
}

/* Now and then a fresh key in place of one of the pool's (unlinked). */
void keys_refresh(void)
{
	int i = below(KEY_POOL);
	key_serial_t old = atomic_load(&keys.serial[i]), k = add_keyset();

	if (k <= 0)
		return;
	atomic_store(&keys.serial[i], k);
	if (old > 0)
		keyctl_unlink(old, KEY_SPEC_USER_KEYRING);
}

/* A random key of the user keyring (the traffic's keys among them). */
static key_serial_t user_keyring_key(uint64_t r)
{
	key_serial_t ring[256];
	long n = keyctl_read(KEY_SPEC_USER_KEYRING, (char *)ring, sizeof(ring));

	if (n < (long)sizeof(key_serial_t))
		return 0;
	if (n > (long)sizeof(ring))
		n = sizeof(ring);
	return ring[r % (n / sizeof(key_serial_t))];
}

void *revoker(void *arg)
{
	uint64_t r = *(uint64_t *)arg;

	while (!atomic_load(&keys.stop)) {
		struct timespec ts = { .tv_nsec = 1000000L * (1 + r % 20) };
		key_serial_t k;

		nanosleep(&ts, NULL);
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		if (r % 20 == 0) {
			k = user_keyring_key(r >> 8);
			if (k > 0 && !keyctl_revoke(k))
				atomic_fetch_add(&keys.foreign, 1);
			continue;
		}
		k = atomic_load(&keys.serial[(r >> 8) % KEY_POOL]);
		if (k <= 0)
			continue;
		switch ((r >> 16) % 4) {
		case 0:
			if (!keyctl_revoke(k))
				atomic_fetch_add(&keys.revoked, 1);
			break;
		case 1:
			if (!keyctl_invalidate(k))
				atomic_fetch_add(&keys.invalidated, 1);
			break;
		case 2:
			if (!keyctl_set_timeout(k, 1))
				atomic_fetch_add(&keys.expiring, 1);
			break;
		default:
			if (!keyctl_unlink(k, KEY_SPEC_USER_KEYRING))
				atomic_fetch_add(&keys.unlinked, 1);
			break;
		}
	}
	return NULL;
}
