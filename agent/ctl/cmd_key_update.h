/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl key-update: the long-term key updates a provisioning server
 * (role prov) runs, over its admin socket (daemon/prov/prov_admin.h):
 *
 *   key-update add --iccid N --imsi N --keys FILE --counter N
 *	queues one: FILE holds k= and opc= (key_input.h)
 *   key-update list [-j]
 *	one 'iccid= imsi= counter= state=' line each (-j: the JSON list);
 *	never K or OPc
 */
#ifndef E2MCTL_CMD_KEY_UPDATE_H
#define E2MCTL_CMD_KEY_UPDATE_H

int cmd_key_update(int argc, char *argv[]);

#endif /* E2MCTL_CMD_KEY_UPDATE_H */
