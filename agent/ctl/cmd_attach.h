/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl attach: the UE of BEST's HSE pull procedure (ue/attach.h) with a
 * software USIM of a UE store (ue_store.h) and an e2m device in role ue:
 *
 *   attach --store PATH --store-key-file FILE --iccid N --sgw URL
 *          --dev IFNAME --address GTPU-ADDR [--port N] --teid TEID
 *          [--keyring SPEC] [--timeout S]
 *
 * Prints imsi=, ksi=, key_serial=, teid=, hse_teid=, hse_address=,
 * inner_ipv4=. Errors are one line, exit status 1 (2 for bad usage), and
 * nothing stays installed.
 */
#ifndef E2MCTL_CMD_ATTACH_H
#define E2MCTL_CMD_ATTACH_H

int cmd_attach(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ATTACH_H */
