// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP encapsulation sockets of a device: one IPv4 and, where the
 * namespace has IPv6, one IPv6-only socket on the device's GTP-U port, in
 * the device's network namespace. The device cannot change namespace
 * (netns_local), so the sockets always live in the namespace of the device.
 */
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ipv6_stubs.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "receive.h"
#include "socket.h"

static int e2m_socket_open_one(struct e2m_device *e2m, u16 port, bool ipv6,
			       struct socket **out)
{
	struct udp_tunnel_sock_cfg tunnel = {
		.sk_user_data = e2m,
		.encap_type = 1,
		.encap_rcv = e2m_receive,
	};
	struct udp_port_cfg cfg = {
		.local_udp_port = htons(port),
	};
	struct net *net = dev_net(e2m->dev);
	struct socket *sock;
	int ret;

	if (ipv6) {
		cfg.family = AF_INET6;
		cfg.local_ip6 = in6addr_any;
		cfg.ipv6_v6only = 1;
	} else {
		cfg.family = AF_INET;
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
	}
	ret = udp_sock_create(net, &cfg, &sock);
	if (ret)
		return ret;
	setup_udp_tunnel_sock(net, sock, &tunnel);
	*out = sock;
	return 0;
}

int e2m_socket_open(struct e2m_device *e2m, u16 port, struct socket **sock4,
		    struct socket **sock6)
{
	int ret;

	*sock6 = NULL;
	ret = e2m_socket_open_one(e2m, port, false, sock4);
	if (ret)
		return ret;
	if (!ipv6_mod_enabled())
		return 0;
	ret = e2m_socket_open_one(e2m, port, true, sock6);
	if (ret) {
		udp_tunnel_sock_release(*sock4);
		*sock4 = NULL;
	}
	return ret;
}

/*
 * Releases sockets the device published no longer (device.c, under the
 * RTNL). Transmit reads them under RCU: one grace period first, so that
 * none still sends on them (as WireGuard's socket reinit does). Receive
 * ends in udp_tunnel_sock_release(), which unhooks e2m_receive() and waits
 * for the packets already in it before the socket goes.
 */
void e2m_socket_close(struct socket *sock4, struct socket *sock6)
{
	if (!sock4 && !sock6)
		return;
	synchronize_net();
	if (sock4)
		udp_tunnel_sock_release(sock4);
	if (sock6)
		udp_tunnel_sock_release(sock6);
}
