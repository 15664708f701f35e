/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_MATERIAL_H
#define _E2M_MATERIAL_H

#include <crypto/sha2.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/types.h>

/*
 * What the module remembers of a key's bytes, apart from any key: the last
 * COUNT sent under them in each DIRECTION, whether they ran out of COUNTs
 * there, and whether a forger guessed at their MAC too often. Every key
 * with the same bytes shares one: the same Ks_local handed out again under
 * one bootstrap, or the same key set added again, gets a new key serial
 * but carries on above every COUNT the bytes were ever sent with, so no
 * userspace path makes the module encrypt the same COUNT twice.
 *
 * Found by a fingerprint: SHA-256 over a secret drawn at load, the key
 * type's domain and the bytes (an e2mkeyset's K_enc, a ks_local key's
 * Ks_local). The bytes themselves are not kept, and the fingerprint never
 * leaves the module.
 *
 * Lifetime: each key's COUNT state (fresh.h) holds a reference. When the
 * last is dropped the material is retired, not freed: it stays in the
 * table, so that the bytes added again find it, at the end of a list of
 * retired material, oldest first. It is forgotten (freed) only when more
 * than material_retain_max were retired after it, or at unload; each such
 * loss is counted and logged, since those bytes would start again from
 * COUNT 1. Locking: e2m_material_lock guards the table, the list and @ref
 * going to and from zero; irqsave, as the last put may come from an RCU
 * callback.
 */
struct e2m_material {
	refcount_t ref;			/* 0 while retired */
	unsigned long flags;		/* enum e2m_material_flag */
	atomic64_t tx_count[2];		/* the last COUNT sent, per direction */
	struct hlist_node node;		/* in the table, until forgotten */
	struct list_head retired;	/* in the retired list while @ref is 0 */
	u8 digest[SHA256_DIGEST_SIZE];
};

enum e2m_material_flag {
	E2M_MATERIAL_F_EXHAUSTED,	/* + direction: past a COUNT limit */
	E2M_MATERIAL_F_FORGED = 2,	/* a slot hit the MAC-failure limit */
};

/* Domains of the fingerprint: the same bytes as two kinds of key differ. */
enum e2m_material_domain {
	E2M_MATERIAL_KEYSET_K_ENC = 1,
	E2M_MATERIAL_KS_LOCAL = 2,
};

struct e2m_material *e2m_material_get(enum e2m_material_domain domain,
				      const u8 *bytes, unsigned int len);
void e2m_material_put(struct e2m_material *m);

int e2m_material_init(void);
void e2m_material_exit(void);

#endif /* _E2M_MATERIAL_H */
