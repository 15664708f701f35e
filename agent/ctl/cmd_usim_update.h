/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl usim update: the USIM of a UE store takes the long-term key
 * update a provisioning server has queued for it
 * (ue/key_update_client.h):
 *
 *   usim update --store PATH --store-key-file FILE --iccid N
 *		 --server http://HOST[:PORT] --sd-key FILE --sd-cert FILE
 *		 --ca-kloc FILE [--timeout S]
 *
 * --sd-key is the USIM's static key SK.SD (P-256, PEM), --sd-cert its
 * certificate (PEM), --ca-kloc the CA the OCE's chain must reach (PEM).
 * Prints iccid= commands= pending=yes update-counter=; never a key.
 * Exit 1 when the server or the USIM refused (the reason on stderr).
 */
#ifndef E2MCTL_CMD_USIM_UPDATE_H
#define E2MCTL_CMD_USIM_UPDATE_H

int cmd_usim_update(int argc, char *argv[]);

#endif /* E2MCTL_CMD_USIM_UPDATE_H */
