// SPDX-License-Identifier: GPL-2.0
/*
 * The "e2mkeyset" key type: one e2mKEYSET (K_enc, K_int, their algorithms
 * and the Key ID) held in the kernel keyrings. See uapi/linux/e2m.h for the
 * payload. There is no ->read: the keys never go back to userspace.
 *
 * Lifetime of the payload: preparse allocates it, instantiate hands it to
 * the key. Revoke kills the key slots made from it (keyslot.c), detaches
 * it at once and frees it after an RCU grace period, because /proc/keys
 * looks at it under rcu_read_lock(); destroy frees whatever is still
 * attached, when nobody can look any more. Both wipe the key bytes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/key.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "fresh.h"
#include "keyset.h"
#include "keyslot.h"
#include "objcount.h"

static int e2m_alg_check(u8 alg, bool integrity, const char **why)
{
	switch (alg) {
	case E2M_ALG_AES:
		return 0;
	case E2M_ALG_NULL:
		if (integrity) {
			*why = "NIA0 (no integrity) is never accepted";
			return -EINVAL;
		}
		fallthrough;
	case E2M_ALG_SNOW3G:
	case E2M_ALG_ZUC:
		*why = "algorithm not implemented by this module";
		return -ENOPKG;
	default:
		*why = "unknown algorithm";
		return -EINVAL;
	}
}

/*
 * Pure validation of a user-supplied payload, shared with the self-tests.
 * Returns 0 or a negative errno, and on error points *why at the reason.
 */
int e2m_keyset_payload_check(const void *data, size_t len, const char **why)
{
	const struct e2m_keyset_payload *p = data;
	int ret;

	if (len != sizeof(*p)) {
		*why = "payload size is not sizeof(struct e2m_keyset_payload)";
		return -EINVAL;
	}
	if (p->version != E2M_KEYSET_PAYLOAD_V1) {
		*why = "unknown payload version";
		return -EINVAL;
	}
	if (p->reserved) {
		*why = "reserved field is not zero";
		return -EINVAL;
	}
	if (p->key_id > E2M_KEY_ID_MAX) {
		*why = "Key ID does not fit in 3 bits";
		return -EINVAL;
	}
	ret = e2m_alg_check(p->enc_alg, false, why);
	if (ret)
		return ret;
	return e2m_alg_check(p->int_alg, true, why);
}

static int e2m_keyset_preparse(struct key_preparsed_payload *prep)
{
	const struct e2m_keyset_payload *p = prep->data;
	struct e2m_keyset *ks;
	const char *why;
	int ret;

	ret = e2m_keyset_payload_check(prep->data, prep->datalen, &why);
	if (ret) {
		pr_info_ratelimited("e2mkeyset payload refused: %s\n", why);
		return ret;
	}

	ks = kzalloc(sizeof(*ks), GFP_KERNEL);
	if (!ks)
		return -ENOMEM;
	ks->fresh = e2m_fresh_alloc(E2M_MATERIAL_KEYSET_K_ENC, p->k_enc,
				    sizeof(p->k_enc));
	if (!ks->fresh) {
		kfree(ks);
		return -ENOMEM;
	}
	ks->enc_alg = p->enc_alg;
	ks->int_alg = p->int_alg;
	ks->key_id = p->key_id;
	memcpy(ks->k_enc, p->k_enc, sizeof(ks->k_enc));
	memcpy(ks->k_int, p->k_int, sizeof(ks->k_int));
	e2m_obj_created(E2M_OBJ_KEYSET);

	prep->payload.data[0] = ks;
	prep->quotalen = sizeof(*ks);
	if (p->lifetime)
		prep->expiry = ktime_get_real_seconds() + p->lifetime;
	return 0;
}

static void e2m_keyset_free(struct e2m_keyset *ks)
{
	if (!ks)
		return;
	e2m_fresh_put(ks->fresh);
	kfree_sensitive(ks);
	e2m_obj_destroyed(E2M_OBJ_KEYSET);
}

static void e2m_keyset_free_rcu(struct rcu_head *head)
{
	e2m_keyset_free(container_of(head, struct e2m_keyset, rcu));
}

/* Called when instantiation did not take the payload (it is then NULL). */
static void e2m_keyset_free_preparse(struct key_preparsed_payload *prep)
{
	e2m_keyset_free(prep->payload.data[0]);
}

/*
 * Called with key->sem write-locked, KEY_FLAG_REVOKED already set. The
 * slots bound to the key die here and drop what they derived from it (the
 * transforms and CMAC subkeys, freed after a grace period): a revoked key
 * leaves no usable copy of itself in the kernel.
 */
static void e2m_keyset_revoke(struct key *key)
{
	struct e2m_keyset *ks = dereference_key_locked(key);

	rcu_assign_keypointer(key, NULL);
	if (ks) {
		e2m_keyslots_kill_bound(ks->fresh, -EKEYREVOKED);
		call_rcu(&ks->rcu, e2m_keyset_free_rcu);
	}
}

static void e2m_keyset_destroy(struct key *key)
{
	e2m_keyset_free(key->payload.data[0]);
	key->payload.data[0] = NULL;
}

/* Called under rcu_read_lock(): never prints key bytes. */
static void e2m_keyset_describe(const struct key *key, struct seq_file *m)
{
	const struct e2m_keyset *ks;

	seq_puts(m, key->description);
	if (!key_is_positive(key))
		return;
	ks = dereference_key_rcu(key);
	if (!ks) {
		seq_puts(m, ": wiped");
		return;
	}
	seq_printf(m, ": key_id %u, 128-NEA%u/128-NIA%u", ks->key_id,
		   ks->enc_alg, ks->int_alg);
}

struct key_type e2m_keyset_key_type = {
	.name		= E2M_KEYSET_KEY_TYPE,
	.preparse	= e2m_keyset_preparse,
	.free_preparse	= e2m_keyset_free_preparse,
	.instantiate	= generic_key_instantiate,
	.revoke		= e2m_keyset_revoke,
	.destroy	= e2m_keyset_destroy,
	.describe	= e2m_keyset_describe,
};

int e2m_keyset_init(void)
{
	return register_key_type(&e2m_keyset_key_type);
}

/*
 * Unregistering waits for the key garbage collector to destroy every key of
 * the type; the caller then waits for pending RCU frees (rcu_barrier()).
 */
void e2m_keyset_exit(void)
{
	unregister_key_type(&e2m_keyset_key_type);
}
