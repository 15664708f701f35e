/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's Ks_local on its local link's e2m flow (the device's e2m
 * device has the role ue: DIRECTION 0 is device to MT): the ks_local key
 * of serial bound with E2M_CMD_KEY_BIND, the flow moved to it make before
 * break as local_key_plan_bind() says (the new key bound at the link's
 * other Key ID, transmitted with, the old slot unbound); a key kept
 * (the same bytes again) as local_key_plan_rebind() says; where the MT
 * said at which Key ID it bound its copy, as local_key_plan_at() says.
 * Revoking the key
 * it replaced is the caller's, after this. For the e2md role device and
 * e2mctl local-key establish --flow.
 */
#ifndef E2M_UE_LOCAL_LINK_H
#define E2M_UE_LOCAL_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/genl.h"
#include "local_key_plan.h"

struct local_link_flow {
	const char *ifname;
	uint32_t teid;
	uint8_t key_id;			/* the first of the link's two */
	uint8_t alg;			/* enum e2m_alg */
	/*
	 * The key is the link's own, kept (local_key_plan_keep(): the same
	 * bytes again): local_key_plan_rebind(), no move to the other Key ID.
	 */
	bool kept;
	/*
	 * The MT's end: a move binds with E2M_KEY_F_TX_ON_RX and leaves the
	 * old slot (local_key_plan_tx_on_rx(), result->plan.keep_old).
	 */
	bool tx_on_rx;
	/*
	 * The device's end, told by the MT where it bound its copy (the btid
	 * answer's key-id): local_key_plan_at(), the key bound there.
	 */
	bool has_peer_key_id;
	uint8_t peer_key_id;
};

struct local_link_result {
	bool bound;			/* the key is bound (now or before) */
	bool already;			/* it was before: nothing done */
	struct local_key_bind plan;	/* what was done; key_id: its slot */
};

/*
 * 0, or -errno with nl->error set (the kernel's message). A failure after
 * the bind (KEY_USE, the old slot's unbind) still has result->bound.
 */
int local_link_bind(struct genl_conn *nl, const struct local_link_flow *flow,
		    int32_t serial, struct local_link_result *result);

#endif /* E2M_UE_LOCAL_LINK_H */
