/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_SEND_H
#define _E2M_SEND_H

#include <linux/netdevice.h>

struct e2m_flow;

netdev_tx_t e2m_xmit(struct sk_buff *skb, struct net_device *dev);
bool e2m_xmit_staged(struct e2m_flow *flow, struct sk_buff *skb);

#endif /* _E2M_SEND_H */
