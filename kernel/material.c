// SPDX-License-Identifier: GPL-2.0
/*
 * Key material remembered beyond its keys, see material.h.
 *
 * The table is looked up when a key is added (preparse, process context)
 * and never on the packet path: a spinlock and a fixed table are enough.
 * 2^14 buckets keep the chains short for the 10^6 keys of a large
 * gateway plus the retired ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/bits.h>
#include <linux/hashtable.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "material.h"
#include "objcount.h"

#define E2M_MATERIAL_RETAIN_LIMIT BIT(24)

static DEFINE_SPINLOCK(e2m_material_lock);
static DEFINE_HASHTABLE(e2m_material_table, 14);
static LIST_HEAD(e2m_material_retired);
static unsigned int e2m_material_nretired;
static u64 e2m_material_forgotten;
static u8 e2m_material_secret[32];

static int e2m_retain_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 1 || n > E2M_MATERIAL_RETAIN_LIMIT)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops e2m_retain_param_ops = {
	.set = e2m_retain_param_set,
	.get = param_get_uint,
};

/*
 * How many retired key materials keep their COUNTs. Each costs about 200
 * octets: the default, 2^16, about 13 MiB at most. A gateway that retires
 * keys faster than that between two uses of the same bytes should raise
 * it; a lower value applies at the next retirement.
 */
static unsigned int e2m_material_retain_max = BIT(16);

module_param_cb(material_retain_max, &e2m_retain_param_ops,
		&e2m_material_retain_max, 0644);
MODULE_PARM_DESC(material_retain_max,
		 "retired key materials whose COUNTs are remembered (1..2^24, default 65536)");

static void e2m_material_fingerprint(u8 domain, const u8 *bytes,
				     unsigned int len, u8 *out)
{
	struct sha256_state s;

	sha256_init(&s);
	sha256_update(&s, e2m_material_secret, sizeof(e2m_material_secret));
	sha256_update(&s, &domain, 1);
	sha256_update(&s, bytes, len);
	sha256_final(&s, out);
	memzero_explicit(&s, sizeof(s));
}

static u32 e2m_material_hash(const u8 *digest)
{
	u32 h;

	memcpy(&h, digest, sizeof(h));
	return h;
}

/* Under e2m_material_lock. */
static struct e2m_material *e2m_material_find(const u8 *digest, u32 hash)
{
	struct e2m_material *m;

	hash_for_each_possible(e2m_material_table, m, node, hash)
		if (!crypto_memneq(m->digest, digest, SHA256_DIGEST_SIZE))
			return m;
	return NULL;
}

/*
 * The material of @len bytes of @domain, shared with every key of the same
 * bytes, alive or retired: a new one if none is remembered. NULL if out of
 * memory. Process context.
 */
struct e2m_material *e2m_material_get(enum e2m_material_domain domain,
				      const u8 *bytes, unsigned int len)
{
	struct e2m_material *m, *fresh;
	u8 digest[SHA256_DIGEST_SIZE];
	unsigned long flags;
	u32 hash;

	e2m_material_fingerprint(domain, bytes, len, digest);
	hash = e2m_material_hash(digest);
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);

	spin_lock_irqsave(&e2m_material_lock, flags);
	m = e2m_material_find(digest, hash);
	if (m && !refcount_read(&m->ref)) {
		list_del_init(&m->retired);
		e2m_material_nretired--;
		refcount_set(&m->ref, 1);
	} else if (m) {
		refcount_inc(&m->ref);
	} else if (fresh) {
		m = fresh;
		fresh = NULL;
		refcount_set(&m->ref, 1);
		INIT_LIST_HEAD(&m->retired);
		memcpy(m->digest, digest, sizeof(digest));
		hash_add(e2m_material_table, &m->node, hash);
		e2m_obj_created(E2M_OBJ_MATERIAL);
	}
	spin_unlock_irqrestore(&e2m_material_lock, flags);

	kfree(fresh);
	memzero_explicit(digest, sizeof(digest));
	return m;
}

static void e2m_material_free(struct e2m_material *m)
{
	kfree_sensitive(m);
	e2m_obj_destroyed(E2M_OBJ_MATERIAL);
}

/*
 * Drops a reference; the last one retires the material, and forgets the
 * oldest retired ones past material_retain_max. Any context.
 */
void e2m_material_put(struct e2m_material *m)
{
	struct e2m_material *old, *tmp;
	unsigned int retain, lost = 0;
	unsigned long flags;
	LIST_HEAD(forgotten);
	u64 total;

	if (!m)
		return;
	/* Not on the packet path: the lock every time keeps it simple. */
	spin_lock_irqsave(&e2m_material_lock, flags);
	if (!refcount_dec_and_test(&m->ref)) {
		spin_unlock_irqrestore(&e2m_material_lock, flags);
		return;
	}
	list_add_tail(&m->retired, &e2m_material_retired);
	e2m_material_nretired++;
	retain = READ_ONCE(e2m_material_retain_max);
	while (e2m_material_nretired > retain) {
		old = list_first_entry(&e2m_material_retired,
				       struct e2m_material, retired);
		hash_del(&old->node);
		list_move_tail(&old->retired, &forgotten);
		e2m_material_nretired--;
		lost++;
	}
	e2m_material_forgotten += lost;
	total = e2m_material_forgotten;
	spin_unlock_irqrestore(&e2m_material_lock, flags);

	if (!lost)
		return;
	list_for_each_entry_safe(old, tmp, &forgotten, retired)
		e2m_material_free(old);
	pr_warn_ratelimited("forgot the COUNTs of %u retired key(s), %llu since load: their bytes would start again at COUNT 1 (raise material_retain_max)\n",
			    lost, total);
}

int e2m_material_init(void)
{
	get_random_bytes(e2m_material_secret, sizeof(e2m_material_secret));
	return 0;
}

/*
 * At unload, once every key and slot is gone (the key types unregistered,
 * the RCU callbacks run): everything left is retired. One still referenced
 * is a leak, left for the object count to report.
 */
void e2m_material_exit(void)
{
	struct e2m_material *m, *tmp;

	list_for_each_entry_safe(m, tmp, &e2m_material_retired, retired) {
		hash_del(&m->node);
		list_del(&m->retired);
		e2m_material_free(m);
	}
	e2m_material_nretired = 0;
	memzero_explicit(e2m_material_secret, sizeof(e2m_material_secret));
}
