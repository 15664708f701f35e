// SPDX-License-Identifier: GPL-2.0
/*
 * The e2m network device: `ip link add e2m0 type e2m`. A layer-3,
 * point-to-point, queue-less device; what it transmits goes out protected in
 * GTP-U (send.c), what arrives on its UDP port comes in through receive.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "device.h"
#include "flow.h"
#include "gtpu.h"
#include "send.h"
#include "socket.h"

/* Outer IPv6 + UDP + GTP-U with options + the e2m header. */
#define E2M_HEADROOM (sizeof(struct ipv6hdr) + sizeof(struct udphdr) + \
		      sizeof(struct e2m_gtpu_hdr) + E2M_GTPU_OPT_LEN + \
		      E2M_PDU_HDR_LEN)
/*
 * What the stack may hand e2m_xmit(): packets in page fragments
 * (scatter-gather, in high memory too: only copies read them), their
 * transport checksum left to us (CHECKSUM_PARTIAL, any protocol), and GSO
 * packets of every kind software can cut, which e2m_xmit() cuts itself so
 * that each segment has its own COUNT (send.c). Each can be turned off
 * (ethtool -K): the stack then does that work before e2m_xmit(). The same
 * for packets that are themselves tunnels (hw_enc_features): a GSO type
 * of theirs (e.g. SKB_GSO_UDP_TUNNEL) is not here, so the stack cuts
 * those.
 */
#define E2M_FEATURES (NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM | \
		      NETIF_F_GSO | NETIF_F_GSO_SOFTWARE)
/* The largest inner packet an Ethernet underlay carries whole: 1431. */
#define E2M_DEFAULT_MTU (ETH_DATA_LEN - E2M_HEADROOM - E2M_PDU_MAC_LEN)

/*
 * Under the RTNL: publishes @sock4 and @sock6 (NULL: none) and releases
 * the sockets they replace once no packet can hold them.
 */
static void e2m_device_swap_sockets(struct e2m_device *e2m,
				    struct socket *sock4, struct socket *sock6)
{
	struct socket *old4 = rtnl_dereference(e2m->sock4);
	struct socket *old6 = rtnl_dereference(e2m->sock6);

	rcu_assign_pointer(e2m->sock4, sock4);
	rcu_assign_pointer(e2m->sock6, sock6);
	e2m_socket_close(old4, old6);
}

static int e2m_open(struct net_device *dev)
{
	struct e2m_device *e2m = netdev_priv(dev);
	struct socket *sock4, *sock6;
	int ret;

	ret = e2m_socket_open(e2m, e2m->port, &sock4, &sock6);
	if (ret)
		return ret;
	e2m_device_swap_sockets(e2m, sock4, sock6);
	return 0;
}

/* Also on the way to ndo_uninit: a device is closed before it goes. */
static int e2m_stop(struct net_device *dev)
{
	e2m_device_swap_sockets(netdev_priv(dev), NULL, NULL);
	return 0;
}

/* Under the RTNL. While the device is up, new sockets first, then the swap. */
int e2m_device_set_port(struct e2m_device *e2m, u16 port)
{
	struct socket *sock4, *sock6;
	int ret;

	ASSERT_RTNL();
	if (port == e2m->port)
		return 0;
	if (netif_running(e2m->dev)) {
		ret = e2m_socket_open(e2m, port, &sock4, &sock6);
		if (ret)
			return ret;
		e2m_device_swap_sockets(e2m, sock4, sock6);
	}
	WRITE_ONCE(e2m->port, port);
	return 0;
}

static int e2m_dev_init(struct net_device *dev)
{
	struct e2m_device *e2m = netdev_priv(dev);
	int ret;

	e2m->dev = dev;
	e2m->role = E2M_ROLE_HSE;
	e2m->port = E2M_GTPU_PORT;
	e2m->replay_window = E2M_REPLAY_WINDOW_DEFAULT;
	e2m->count_limit = U32_MAX;
	e2m->count_notify = U32_MAX - (1U << 20);
	ratelimit_state_init(&e2m->event_ratelimit, HZ, 10);
	ratelimit_set_flags(&e2m->event_ratelimit, RATELIMIT_MSG_ON_RELEASE);

	/*
	 * A failed ndo_init is followed by free_netdev() without the
	 * destructor, so undo everything here.
	 */
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	ret = -ENOMEM;
	e2m->stats = e2m_stats_alloc();
	if (!e2m->stats)
		goto err_tstats;
	e2m->totals = e2m_stats_alloc();
	if (!e2m->totals)
		goto err_stats;
	ret = gro_cells_init(&e2m->gro_cells, dev);
	if (ret)
		goto err_totals;
	ret = e2m_flow_table_init(e2m);
	if (ret)
		goto err_gro;
	e2m_stages_init(&e2m->stages);
	return 0;

err_gro:
	gro_cells_destroy(&e2m->gro_cells);
err_totals:
	e2m_stats_free(e2m->totals);
err_stats:
	e2m_stats_free(e2m->stats);
err_tstats:
	free_percpu(dev->tstats);
	return ret;
}

static void e2m_dev_uninit(struct net_device *dev)
{
	struct e2m_device *e2m = netdev_priv(dev);

	/* No socket since ndo_stop: the steered packets are the last. */
	e2m_steer_destroy(e2m);
	e2m_flow_remove_all(e2m);
	e2m_stages_destroy(&e2m->stages);
	e2m_flow_table_destroy(e2m);
	/* Nothing delivers any more: no socket, no flow, no stage to drain. */
	gro_cells_destroy(&e2m->gro_cells);
}

static void e2m_destruct(struct net_device *dev)
{
	struct e2m_device *e2m = netdev_priv(dev);

	free_percpu(dev->tstats);
	e2m_stats_free(e2m->stats);
	e2m_stats_free(e2m->totals);
}

static const struct net_device_ops e2m_netdev_ops = {
	.ndo_init		= e2m_dev_init,
	.ndo_uninit		= e2m_dev_uninit,
	.ndo_open		= e2m_open,
	.ndo_stop		= e2m_stop,
	.ndo_start_xmit		= e2m_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void e2m_setup(struct net_device *dev)
{
	dev->netdev_ops = &e2m_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + E2M_HEADROOM;
	dev->needed_tailroom = E2M_PDU_MAC_LEN;
	dev->features |= E2M_FEATURES;
	dev->hw_features |= E2M_FEATURES;
	dev->hw_enc_features |= E2M_FEATURES;
	/* GSO segments fit it too: TCP's MSS and UDP_SEGMENT's size follow it. */
	dev->mtu = E2M_DEFAULT_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - E2M_HEADROOM - E2M_PDU_MAC_LEN;
	dev->needs_free_netdev = true;
	dev->priv_destructor = e2m_destruct;
	e2m_compat_dev_lltx_netns_local(dev);
}

/*
 * GRO starts off, as veth's does: with it, a lone datagram pays for GRO's
 * look at it and is merged with nothing, a cost every N-PDU of a small
 * device would bear (testing.md measures it). `ethtool -K e2m0 gro on`
 * turns it on where the tunnel carries TCP streams (datapath.md, "Large
 * receives"); receive.c then delivers through the device's GRO cells.
 */
static int e2m_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	int ret = register_netdevice(dev);

	if (ret)
		return ret;
	dev->features &= ~NETIF_F_GRO;
	dev->wanted_features &= ~NETIF_F_GRO;
	netdev_update_features(dev);
	return 0;
}

struct rtnl_link_ops e2m_link_ops __read_mostly = {
	.kind		= "e2m",
	.priv_size	= sizeof(struct e2m_device),
	.setup		= e2m_setup,
	.newlink	= e2m_newlink,
};

int e2m_device_init(void)
{
	return rtnl_link_register(&e2m_link_ops);
}

/* Deletes every e2m device in every namespace. */
void e2m_device_exit(void)
{
	rtnl_link_unregister(&e2m_link_ops);
}
