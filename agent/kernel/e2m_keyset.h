/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one writer of "e2mkeyset" keys (E2M_KEYSET_KEY_TYPE, uapi/linux/e2m.h):
 * the payload made from a Key ID, the algorithms, K_enc, K_int and a
 * lifetime, added to a keyring with add_key(2). e2mctl (keyset add,
 * attach) and the HSE (daemon/hse/hse_keyring.c, which keeps its own
 * description, keyring and lifetime) add their keys through it; the flow
 * is then bound to the key by serial (e2m_flow.h).
 *
 * Nothing here checks the Key ID or the algorithms beyond what the payload
 * can hold: the kernel says which it takes (add_key fails with EINVAL or
 * ENOPKG), and e2m_keyset_strerror() says what that means.
 */
#ifndef E2M_KERNEL_E2M_KEYSET_H
#define E2M_KERNEL_E2M_KEYSET_H

#include <stdint.h>

#include <keyutils.h>
#include <linux/e2m.h>

/* The payload of version 1, every other octet 0. */
void e2m_keyset_payload_init(struct e2m_keyset_payload *p, uint8_t key_id,
			     uint8_t enc_alg, uint8_t int_alg,
			     const uint8_t k_enc[E2M_ALG_KEY_LEN],
			     const uint8_t k_int[E2M_ALG_KEY_LEN],
			     uint32_t lifetime);

/*
 * Adds the key described description to ring: 0 and its serial in
 * *serial, or -errno. The caller wipes its payload.
 */
int e2m_keyset_add(key_serial_t ring, const char *description,
		   const struct e2m_keyset_payload *p, key_serial_t *serial);

/*
 * What an errno of e2m_keyset_add() means, as one line; NULL where
 * strerror() says as much.
 */
const char *e2m_keyset_strerror(int err);

/*
 * A keyring named the keyctl(1) way: @t, @p, @s, @u, @us. 0 with *ring,
 * or -ENOENT when text is none of them.
 */
int e2m_keyring_special(const char *text, key_serial_t *ring);

#endif /* E2M_KERNEL_E2M_KEYSET_H */
