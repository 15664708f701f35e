/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_KEYSET_H
#define _E2M_KEYSET_H

#include <linux/key-type.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/e2m.h>

struct e2m_fresh;

/*
 * The payload of an "e2mkeyset" key, as the kernel keeps it. It lives from
 * preparse until the key is revoked or destroyed, whichever comes first.
 * It holds a reference to the key set's COUNT state (fresh.h), which the
 * slots bound to the key share and which outlives it while they do.
 */
struct e2m_keyset {
	struct rcu_head rcu;
	struct e2m_fresh *fresh;
	u8 enc_alg;
	u8 int_alg;
	u8 key_id;
	u8 k_enc[E2M_ALG_KEY_LEN];
	u8 k_int[E2M_ALG_KEY_LEN];
};

extern struct key_type e2m_keyset_key_type;

int e2m_keyset_payload_check(const void *data, size_t len, const char **why);

int e2m_keyset_init(void);
void e2m_keyset_exit(void);

#endif /* _E2M_KEYSET_H */
