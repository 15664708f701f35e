/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's keys (Documentation/best.md, "The HSE"): "e2mkeyset" keys in
 * the keyring "e2m-hse", linked into root's user keyring, each with the
 * kernel timeout hse.key-lifetime (set in the payload, so the key never
 * lives without one) and described "imsi:<IMSI> ksi:<KSI> teid:<hex>".
 * The key bytes go from the pulled key set into the payload and from
 * there into the kernel; every copy is wiped. The payload and add_key(2)
 * are kernel/e2m_keyset.h's, the writer e2mctl uses too; what is kept here
 * is the HSE's policy.
 */
#ifndef E2MD_HSE_KEYRING_H
#define E2MD_HSE_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <keyutils.h>
#include <linux/e2m.h>

#define HSE_KEYRING	"e2m-hse"

/*
 * The payload of a key set: version 1, the algorithms, Key ID ksi, the
 * lifetime in seconds. -EINVAL for a Key ID over E2M_KEY_ID_MAX - 1 (7
 * is "no key") or an algorithm e2m does not know (NIA0 included).
 */
int hse_keyset_payload(struct e2m_keyset_payload *p, uint8_t ksi,
		       uint8_t enc_alg, uint8_t int_alg,
		       const uint8_t k_enc[E2M_ALG_KEY_LEN],
		       const uint8_t k_int[E2M_ALG_KEY_LEN],
		       uint32_t lifetime);

/* Finds "e2m-hse" in root's user keyring, or makes it there. */
int hse_keyring(key_serial_t *ring);

/* Adds the key (payload wiped by the caller); 0 and *serial, or -errno. */
int hse_key_add(key_serial_t ring, const char *description,
		const struct e2m_keyset_payload *p, key_serial_t *serial);

/* Revokes the key and unlinks it from ring: undoes hse_key_add(). */
void hse_key_drop(key_serial_t ring, key_serial_t serial);

/* A key of the ring described for the flow of teid. */
struct hse_key_ref {
	uint32_t teid;
	key_serial_t serial;
};

/*
 * The TEID of a key from its keyctl_describe() ("type;uid;gid;perm;
 * description"): true for an e2mkeyset key whose description ends in
 * " teid:" and 8 lowercase hex digits, as hse_install.c writes them.
 */
bool hse_key_teid(const char *described, uint32_t *teid);

/*
 * Reads ring once and describes each key in it (a keyctl call a key):
 * those hse_key_teid() takes, in *keys (free() it), their number in *n.
 * 0, or -errno when the ring cannot be read (a key gone meanwhile is
 * left out).
 */
int hse_keys_list(key_serial_t ring, struct hse_key_ref **keys, size_t *n);

#endif /* E2MD_HSE_KEYRING_H */
