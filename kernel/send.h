/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_SEND_H
#define _E2M_SEND_H

#include <linux/netdevice.h>

netdev_tx_t e2m_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _E2M_SEND_H */
