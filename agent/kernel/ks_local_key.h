/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one writer of "ks_local" keys (E2M_KS_LOCAL_KEY_TYPE,
 * uapi/linux/e2m.h): the payload made from a Ks_local, its kind, B-TID,
 * NAF_Id, Device_ID and lifetime, added to a keyring with add_key(2). The
 * MT (daemon/mt/mt_keyring.c) adds the Ks_local it derives for a device;
 * binding a ks_local key to a flow is the kernel client's flow code.
 */
#ifndef E2M_KERNEL_KS_LOCAL_KEY_H
#define E2M_KERNEL_KS_LOCAL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <keyutils.h>
#include <linux/e2m.h>

struct ks_local_key {
	uint8_t kind;			/* enum e2m_ks_local_kind */
	const char *btid;		/* 1..255 printable ASCII */
	const uint8_t *naf_id;		/* FQDN || Ua id */
	size_t naf_id_len;		/* 6..E2M_NAF_ID_MAX */
	const char *device_id;		/* 1..255 printable ASCII */
	const uint8_t *key;		/* E2M_KS_LOCAL_KEY_LEN octets */
	uint32_t lifetime;		/* seconds, 0: no expiry */
};

/*
 * Adds the key described description to ring: 0 and its serial in
 * *serial, or -errno (-EINVAL for identifiers the payload cannot hold,
 * -ENODEV without the e2m module). The payload is wiped before return.
 */
int ks_local_key_add(key_serial_t ring, const char *description,
		     const struct ks_local_key *k, key_serial_t *serial);

/* Revokes the key of serial: 0 or -errno (-ENOKEY: gone already). */
int ks_local_key_revoke(key_serial_t serial);

/*
 * Sets the key of serial to expire lifetime seconds from now (at least
 * 1: KEYCTL_SET_TIMEOUT takes 0 for no expiry): 0 or -errno (-ENOKEY,
 * -EKEYREVOKED, -EKEYEXPIRED: it is gone; -EACCES: not ours to change).
 * A Ks_local derived again with the same bytes keeps its key this way:
 * a new serial of the same bytes would start its COUNT again.
 */
int ks_local_key_set_expiry(key_serial_t serial, uint32_t lifetime);

#endif /* E2M_KERNEL_KS_LOCAL_KEY_H */
