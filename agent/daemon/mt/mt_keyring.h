/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's Ks_local in the kernel: each as a "ks_local" key
 * (kernel/ks_local_key.h) in mt.keyring, its expiry the Ks lifetime,
 * described
 *
 *	e2m-mt iccid:<ICC_ID> device:<Device_ID> btid:<B-TID> naf:<FQDN>
 *
 * so that `keyctl show` names what each is for; its serial is kept in
 * the key's row, and the key revoked when the row goes (another UICC,
 * expiry, a new key for the same device). Binding it to the local
 * link's flow is the kernel client's (issue 13 part 3).
 *
 * Without the e2m module the type is unknown (ENODEV): the key is then
 * kept in the store only, serial 0, and the MT says so once.
 */
#ifndef E2MD_MT_KEYRING_H
#define E2MD_MT_KEYRING_H

#include <stdbool.h>
#include <stdint.h>

#include "role_mt.h"

/* Adds k's key: its serial, or 0 when none was added (logged). */
int32_t mt_keyring_add(struct mt *mt, const struct store_mt_key *k,
		       const char *naf_fqdn, uint32_t lifetime);

/*
 * Keeps old's ks_local key for k where local_key_plan_keep() says so (k
 * is old's bytes again, the same B-TID: a new serial of them would start
 * COUNT again): its expiry moved to lifetime from now, its serial into
 * k, logged (ks-local-kept). True when kept; false: add a key.
 */
bool mt_keyring_keep(struct mt *mt, const struct store_mt_key *old,
		     struct store_mt_key *k, uint32_t lifetime);

/* Revokes serial if not 0; a key gone already is no error. */
void mt_keyring_revoke(int32_t serial);

/* A store_mt_key_fn: revokes the row's key and counts it wiped. */
int mt_keyring_wipe_row(const struct store_mt_key_info *info, void *arg);

#endif /* E2MD_MT_KEYRING_H */
