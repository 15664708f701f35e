/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_RECEIVE_H
#define _E2M_RECEIVE_H

#include <linux/types.h>

struct e2m_flow;
struct sock;
struct sk_buff;

int e2m_receive(struct sock *sk, struct sk_buff *skb);
bool e2m_receive_staged(struct e2m_flow *flow, struct sk_buff *skb);

#endif /* _E2M_RECEIVE_H */
