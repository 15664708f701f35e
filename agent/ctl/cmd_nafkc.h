/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2mctl commands for an e2md NAF Key Centre (daemon/nafkc), over its
 * admin socket (admin_client.h), as root:
 *
 *   device add --device-id ID --keys FILE
 *                              the device's PSK, 32 octets, as psk=HEX in
 *                              FILE (key_input.h: mode 0600 or 0400, - or
 *                              /dev/fd/N); --psk HEX on the command line
 *                              is refused (bad usage)
 *   device remove ID
 *   device block ID
 *   device unblock ID
 *   device list [-j]           "device=ID added=T" and "blocked=ID since=T"
 *   local-key list [-j]        "btid= device= label= naf_id= issued=
 *                              expires= revoked=" per issued key
 *   local-key revoke --btid B-TID --device-id ID     -> revoked=N
 *
 * Exit status and errors as cmd_admin.h's commands: 0, 1 when e2md
 * refused or could not be reached, 2 for bad usage. A PSK or Ks_local is
 * never printed: the daemon never sends one.
 */
#ifndef E2MCTL_CMD_NAFKC_H
#define E2MCTL_CMD_NAFKC_H

int cmd_device(int argc, char *argv[]);
int cmd_local_key(int argc, char *argv[]);

#endif /* E2MCTL_CMD_NAFKC_H */
