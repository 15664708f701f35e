// SPDX-License-Identifier: GPL-2.0
/*
 * e2m: end-to-middle protection of the user traffic of 3GPP devices.
 *
 * This file only brings the parts up in order and takes them down in
 * reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "keyset.h"
#include "ks_local.h"
#include "objcount.h"
#include "version.h"

static int __init e2m_init(void)
{
	int ret;

	ret = e2m_keyset_init();
	if (ret)
		goto err_keyset;
	ret = e2m_ks_local_init();
	if (ret)
		goto err_ks_local;

	pr_info("e2m " E2M_VERSION " loaded\n");
	return 0;

err_ks_local:
	e2m_keyset_exit();
err_keyset:
	return ret;
}

static void __exit e2m_exit(void)
{
	e2m_ks_local_exit();
	e2m_keyset_exit();
	/* Payloads freed on revoke are still waiting for their grace period. */
	rcu_barrier();
	e2m_obj_check_leaks();
	pr_info("e2m unloaded\n");
}

module_init(e2m_init);
module_exit(e2m_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("e2m: end-to-middle protection of 3GPP device traffic");
MODULE_AUTHOR("The e2m developers");
MODULE_VERSION(E2M_VERSION);
MODULE_ALIAS("key-type-" E2M_KEYSET_KEY_TYPE);
MODULE_ALIAS("key-type-" E2M_KS_LOCAL_KEY_TYPE);
