/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl attach: the UE of BEST's HSE pull procedure
 * (Documentation/best.md), with a software USIM of a UE store
 * (ue_store.h) and an e2m device in role ue:
 *
 *   attach --store PATH --store-key-file FILE --iccid N --sgw URL
 *          --dev IFNAME --address GTPU-ADDR [--port N] --teid TEID
 *          [--keyring SPEC] [--timeout S]
 *
 * 1. POST /sgw/v1/attach {imsi, gtpu {address, port, teid}}.
 * 2. The USIM checks AUTN (usim_authenticate()); a stale SQN sends AUTS
 *    and answers the fresh challenge (once); a wrong MAC ends here. The
 *    AMF must have the e2m bit, else nothing is derived.
 * 3. The e2mKEYSET (best/e2m_aka.h: UMTS, or EPS with the challenge's SN
 *    id), then POST /sgw/v1/attach/complete with RES and the PCO {imsi,
 *    rand}.
 * 4. On 200: an "e2mkeyset" key (Key ID = KSI, no expiry), described
 *    "imsi:<IMSI> ksi:<KSI>", in the keyring (default @u); then the flow
 *    (local TEID --teid, remote the HSE's, peer the HSE's endpoint, inner
 *    the address given) with the key bound and used. If the flow exists
 *    (a re-attach, the Update: a rekey) the slot not transmitting is
 *    unbound when both are bound, the new key bound and used at once: the
 *    HSE transmits with it as soon as it sees the UE use it.
 *
 * Prints imsi=, ksi=, key_serial=, teid=, hse_teid=, hse_address=,
 * inner_ipv4=. Errors are one line, exit status 1 (2 for bad usage), and
 * nothing stays installed: a key added is revoked if a later step fails.
 */
#ifndef E2MCTL_CMD_ATTACH_H
#define E2MCTL_CMD_ATTACH_H

int cmd_attach(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ATTACH_H */
