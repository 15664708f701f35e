/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_RECEIVE_H
#define _E2M_RECEIVE_H

#include <linux/types.h>

struct e2m_device;
struct e2m_flow;
struct napi_struct;
struct sock;
struct sk_buff;

int e2m_receive(struct sock *sk, struct sk_buff *skb);
/* A G-PDU steered to this CPU (steer.h), from the device's NAPI @napi. */
void e2m_receive_steered(struct e2m_device *e2m, struct sk_buff *skb,
			 struct napi_struct *napi);
bool e2m_receive_staged(struct e2m_flow *flow, struct sk_buff *skb);

#endif /* _E2M_RECEIVE_H */
