/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's end of each device's local link (roles.mt.flows; issue 13
 * part 3: the MT takes the network side of the flow, the device the UE
 * side): each new Ks_local of a device with a flow is bound to it as
 * the device binds its own (ue/local_link.h, local_key_plan_bind()):
 * make before break, the new key under the link's other Key ID, the
 * kernel deriving the link's K_enc and K_int from the ks_local key
 * itself. Unlike the device, the MT binds a new key at step 9, before the
 * device has it (steps 10-17; never, when the Key Centre refuses): it
 * binds it with E2M_KEY_F_TX_ON_RX (local_key_plan_tx_on_rx()) and
 * leaves the old slot bound, so that it transmits with the old key until
 * the device's first packet under the new one; then, within
 * MT_SWITCH_POLL seconds, it unbinds the old slot (mt_plan_switch(),
 * logged key-switched, counted flow-switches). The key it replaced is
 * revoked by the caller only after this. A key wiped (another UICC,
 * expiry) is unbound from its flow before it is revoked.
 *
 * With flows configured the e2m module is needed: the role does not
 * start without it.
 */
#ifndef E2MD_MT_FLOW_H
#define E2MD_MT_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "role_mt.h"

/* Opens the kernel client when flows are configured: 0 or -errno. */
int mt_flow_open(struct mt *mt, char *why, size_t why_size);
void mt_flow_close(struct mt *mt);

/* The flow of device_id, NULL: none. */
const struct config_mt_flow *mt_flow_of(const struct mt *mt,
					const char *device_id);

/*
 * Binds serial, device_id's new key, to its flow: 0 (bound, or no flow
 * or no key to bind), or -errno (logged and counted). kept: serial is the
 * link's key kept (mt_keyring_keep()): it stays where it is bound, no
 * move (ue/local_link.h). *key_id: the Key ID the key is bound at on the
 * flow (now or before), which the btid answer tells the device; -1 when
 * it is not bound (no flow, no key, a failure).
 */
int mt_flow_bind(struct mt *mt, const char *device_id, int32_t serial,
		 bool kept, int *key_id);

#define MT_SWITCH_POLL	1	/* seconds */

/* Unbinds serial from device_id's flow where it is bound there. */
void mt_flow_unbind(struct mt *mt, const char *device_id, int32_t serial);

#endif /* E2MD_MT_FLOW_H */
