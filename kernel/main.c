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
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "crypto.h"
#include "deferred.h"
#include "device.h"
#include "flow.h"
#include "keyset.h"
#include "ks_local.h"
#include "material.h"
#include "netlink.h"
#include "objcount.h"
#include "selftest.h"
#include "version.h"

static int __init e2m_init(void)
{
	int ret;

	ret = e2m_crypto_global_init();
	if (ret)
		return ret;
	if (!e2m_selftests()) {
		ret = -ENOTRECOVERABLE;
		goto err_keyset;
	}

	ret = e2m_material_init();
	if (ret)
		goto err_keyset;
	ret = e2m_keyset_init();
	if (ret)
		goto err_material;
	ret = e2m_ks_local_init();
	if (ret)
		goto err_ks_local;
	ret = e2m_deferred_init();
	if (ret)
		goto err_deferred;
	ret = e2m_flow_cache_init();
	if (ret)
		goto err_flow_cache;
	ret = e2m_netlink_init();
	if (ret)
		goto err_netlink;
	ret = e2m_device_init();
	if (ret)
		goto err_device;

	pr_info("e2m " E2M_VERSION " loaded\n");
	return 0;

err_device:
	e2m_netlink_exit();
err_netlink:
	e2m_flow_cache_exit();
err_flow_cache:
	e2m_deferred_exit();
err_deferred:
	e2m_ks_local_exit();
err_ks_local:
	e2m_keyset_exit();
err_material:
	e2m_material_exit();
err_keyset:
	e2m_crypto_global_exit();
	return ret;
}

/*
 * The devices go before the netlink family. Deleting them (under the RTNL,
 * which every changing netlink operation also takes, and with dumps under
 * RCU, which a device's free waits for) stops their traffic and with it
 * the events it sends through the family; an operation that comes after
 * finds no device. Only then is the family unregistered, which waits for
 * the operations still running. The other way round, a device's last
 * packets could send events through a family no longer registered.
 */
static void __exit e2m_exit(void)
{
	e2m_device_exit();
	e2m_netlink_exit();
	/* Flows and key slots of the deleted devices, then the key types. */
	e2m_deferred_exit();
	/* Every flow was freed there (or at once, never linked). */
	e2m_flow_cache_exit();
	e2m_ks_local_exit();
	e2m_keyset_exit();
	e2m_crypto_global_exit();
	/* Payloads freed on revoke are still waiting for their grace period. */
	rcu_barrier();
	/* Only then is every key material retired, and forgotten here. */
	e2m_material_exit();
	e2m_obj_check_leaks();
	pr_info("e2m unloaded\n");
}

module_init(e2m_init);
module_exit(e2m_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("e2m: end-to-middle protection of 3GPP device traffic");
MODULE_AUTHOR("The e2m developers");
MODULE_VERSION(E2M_VERSION);
MODULE_ALIAS_RTNL_LINK("e2m");
MODULE_ALIAS_GENL_FAMILY(E2M_GENL_NAME);
MODULE_ALIAS("key-type-" E2M_KEYSET_KEY_TYPE);
MODULE_ALIAS("key-type-" E2M_KS_LOCAL_KEY_TYPE);
