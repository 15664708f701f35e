/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UE of BEST's HSE pull procedure (Documentation/best.md), with a
 * software USIM (aka/usim.h) and an e2m device in role ue; e2mctl attach
 * (ctl/cmd_attach.h) runs it:
 *
 * 1. POST /sgw/v1/attach {imsi, gtpu {address, port, teid}}.
 * 2. The USIM checks AUTN (usim_authenticate()); a stale SQN sends AUTS
 *    and answers the fresh challenge (once); a wrong MAC ends here. The
 *    AMF must have the e2m bit, else nothing is derived.
 * 3. The e2mKEYSET (aka/e2m_aka.h: UMTS, or EPS with the challenge's SN
 *    id), then POST /sgw/v1/attach/complete with RES and the PCO {imsi,
 *    rand}.
 * 4. On 200: an "e2mkeyset" key (Key ID = KSI, no expiry), described
 *    "imsi:<IMSI> ksi:<KSI>", in the keyring (kernel/e2m_keyset.h); then
 *    the flow (local TEID the UE's, remote the HSE's, peer the HSE's
 *    endpoint, inner the address given) with the key bound and used
 *    (kernel/e2m_flow.h). If the flow exists (a re-attach, the Update: a
 *    rekey) the slot not transmitting is unbound when both are bound, the
 *    new key bound and used at once: the HSE transmits with it as soon as
 *    it sees the UE use it.
 *
 * Nothing stays installed on a failure: a key added is revoked, a flow
 * made is removed. The HTTP exchanges run one at a time on an event loop
 * of their own, so the call blocks until the attach is done or failed.
 */
#ifndef E2M_UE_ATTACH_H
#define E2M_UE_ATTACH_H

#include <keyutils.h>

#include "aka/usim.h"
#include "daemon/config.h"
#include "proto/best/attach_msg.h"

#define UE_ATTACH_WHY_MAX	256

struct ue_attach_conf {
	struct usim *usim;
	const struct config_url *sgw;	/* http://HOST[:PORT] */
	unsigned int timeout;		/* per request, seconds; 0 default */
	const char *dev;		/* the e2m device, role ue */
	struct attach_gtpu gtpu;	/* the UE's GTP-U endpoint and TEID */
	key_serial_t keyring;
};

struct ue_attach_result {
	struct attach_accept accept;	/* what the SGW granted */
	key_serial_t serial;		/* of the key added */
	char why[UE_ATTACH_WHY_MAX];	/* one line when it failed */
};

/* Runs the attach: 0, or -1 with result->why. */
int ue_attach(const struct ue_attach_conf *conf,
	      struct ue_attach_result *result);

#endif /* E2M_UE_ATTACH_H */
