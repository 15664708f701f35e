/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_KS_LOCAL_H
#define _E2M_KS_LOCAL_H

#include <linux/key-type.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/e2m.h>

struct e2m_fresh;

/*
 * The payload of a "ks_local" key, as the kernel keeps it: the key and
 * the identifiers it was derived for, each NUL-terminated in ids[] so that
 * describe can print them. Same lifetime rules as struct e2m_keyset,
 * COUNT state included: a ks_local key bound to a flow is a key set whose
 * K_enc and K_int the module derives (ks_link.h).
 */
struct e2m_ks_local {
	struct rcu_head rcu;
	struct e2m_fresh *fresh;
	u8 kind;
	u8 key[E2M_KS_LOCAL_KEY_LEN];
	const char *btid;
	const char *naf_fqdn;
	const char *device_id;
	u8 naf_ua_id[E2M_UA_PROTO_ID_LEN];
	char ids[];
};

extern struct key_type e2m_ks_local_key_type;

int e2m_ks_local_payload_check(const void *data, size_t len, const char **why);

int e2m_ks_local_init(void);
void e2m_ks_local_exit(void);

#endif /* _E2M_KS_LOCAL_H */
