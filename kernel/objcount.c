// SPDX-License-Identifier: GPL-2.0
/*
 * Live object counts, see objcount.h.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

#include "objcount.h"

static const char * const e2m_obj_names[E2M_OBJ__COUNT] = {
	[E2M_OBJ_KEYSET] = "keyset payload",
	[E2M_OBJ_KS_LOCAL] = "ks_local payload",
	[E2M_OBJ_KEYSLOT] = "key slot",
	[E2M_OBJ_FLOW] = "flow",
	[E2M_OBJ_PEER] = "peer",
	[E2M_OBJ_SLOT_CRYPTO] = "key slot transforms",
	[E2M_OBJ_MATERIAL] = "key material",
};

static atomic_long_t e2m_obj_counts[E2M_OBJ__COUNT];

void e2m_obj_created(enum e2m_obj obj)
{
	atomic_long_inc(&e2m_obj_counts[obj]);
}

void e2m_obj_destroyed(enum e2m_obj obj)
{
	WARN_ON_ONCE(atomic_long_dec_return(&e2m_obj_counts[obj]) < 0);
}

long e2m_obj_live(enum e2m_obj obj)
{
	return atomic_long_read(&e2m_obj_counts[obj]);
}

/* Called at unload, after every object must have gone: true if one leaked. */
bool e2m_obj_check_leaks(void)
{
	bool leaked = false;
	int i;

	for (i = 0; i < E2M_OBJ__COUNT; i++) {
		long live = atomic_long_read(&e2m_obj_counts[i]);

		if (live) {
			pr_err("leak: %ld %s object(s) still alive at unload\n",
			       live, e2m_obj_names[i]);
			leaked = true;
		}
	}
	return leaked;
}

#ifdef E2M_DEBUG
/*
 * Debug builds show the live counts in /sys/module/e2m/parameters/objects,
 * one "name=count" per object kind, so that a test can see an object go
 * (e.g. a slot's transforms at revoke) without unloading the module.
 */
static const char * const e2m_obj_keys[E2M_OBJ__COUNT] = {
	[E2M_OBJ_KEYSET] = "keyset",
	[E2M_OBJ_KS_LOCAL] = "ks_local",
	[E2M_OBJ_KEYSLOT] = "keyslot",
	[E2M_OBJ_FLOW] = "flow",
	[E2M_OBJ_PEER] = "peer",
	[E2M_OBJ_SLOT_CRYPTO] = "slot_crypto",
	[E2M_OBJ_MATERIAL] = "material",
};

static int e2m_obj_param_get(char *buf, const struct kernel_param *kp)
{
	int i, len = 0;

	for (i = 0; i < E2M_OBJ__COUNT; i++)
		len += sysfs_emit_at(buf, len, "%s%s=%ld", i ? " " : "",
				     e2m_obj_keys[i], e2m_obj_live(i));
	return len + sysfs_emit_at(buf, len, "\n");
}

static const struct kernel_param_ops e2m_obj_param_ops = {
	.get = e2m_obj_param_get,
};

module_param_cb(objects, &e2m_obj_param_ops, NULL, 0444);
MODULE_PARM_DESC(objects, "live object counts (debug builds)");
#endif
