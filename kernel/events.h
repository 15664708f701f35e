/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_EVENTS_H
#define _E2M_EVENTS_H

#include <linux/types.h>
#include <linux/e2m.h>

struct e2m_device;
struct e2m_flow;
struct e2m_keyslot;

void e2m_event_key(struct e2m_flow *flow, struct e2m_keyslot *slot,
		   enum e2m_event_reason reason);
void e2m_event_key_dead(struct e2m_flow *flow, struct e2m_keyslot *slot, int err);
void e2m_event_no_key(struct e2m_device *e2m, u32 teid,
		      enum e2m_event_reason reason);

#endif /* _E2M_EVENTS_H */
