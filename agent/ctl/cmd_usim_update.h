/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl usim update: the USIM of a UE store takes the long-term key
 * update a provisioning server has queued for it
 * (ue/key_update_client.h):
 *
 *   usim update --store PATH --store-key-file FILE --iccid N
 *		 --server http://HOST[:PORT] [--timeout S]
 *
 * The USIM's static key SK.SD, its certificate and CA-KLOC (the CA the
 * OCE's chain must reach) come from its row in the store, put there by
 * e2mctl usim sd-set (cmd_usim_sd.h); a USIM without them is refused
 * before anything is sent. Prints iccid= commands= pending=yes
 * update-counter=; never a key.
 * Exit 1 when the server or the USIM refused (the reason on stderr).
 */
#ifndef E2MCTL_CMD_USIM_UPDATE_H
#define E2MCTL_CMD_USIM_UPDATE_H

int cmd_usim_update(int argc, char *argv[]);

#endif /* E2MCTL_CMD_USIM_UPDATE_H */
