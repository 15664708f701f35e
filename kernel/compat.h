/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between the kernels e2m is built and
 * tested against (Debian's 6.1 and 6.12), in one place. This is the only
 * file that tests LINUX_VERSION_CODE (checkpatch is told so).
 */
#ifndef _E2M_COMPAT_H
#define _E2M_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned access helpers from asm/ to linux/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.5 moved skb_gso_segment() from linux/netdevice.h to net/gso.h. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

static inline void e2m_compat_dev_lltx_netns_local(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
#endif
}

/* The attributes a dump request was validated into. */
static inline struct nlattr **e2m_compat_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * A crypto request's completion: 6.3 passes it the request's data, 6.1 the
 * request. E2M_COMPAT_CRYPTO_DONE(fn) defines fn_compat, the callback to
 * give the API, which calls fn(data, err).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define E2M_COMPAT_CRYPTO_DONE(fn)					\
static void fn##_compat(void *data, int err)				\
{									\
	fn(data, err);							\
}
#else
#define E2M_COMPAT_CRYPTO_DONE(fn)					\
static void fn##_compat(struct crypto_async_request *req, int err)	\
{									\
	fn(req->data, err);						\
}
#endif

#endif /* _E2M_COMPAT_H */
