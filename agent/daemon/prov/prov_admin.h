/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Role prov's admin commands, over its record of key updates in the store
 * (the protocol is daemon/admin_cmd.h's; store.h, store_prov_update_*):
 *
 *	key-update-add	iccid, imsi: strings; k, opc: 32 hex digits;
 *			counter: 1 .. 2^32 - 1 -> "update": as in the list.
 *			Refused while the USIM's last update is not
 *			hss-done, or for a counter not above its.
 *	key-update-list	-> "updates": [{iccid, imsi, counter, state,
 *			   created, updated}...]; never K or OPc
 */
#ifndef E2MD_PROV_ADMIN_H
#define E2MD_PROV_ADMIN_H

#include "daemon/roles.h"

/* Ended by a row whose name is NULL. */
extern const struct role_admin_command prov_admin_commands[];

#endif /* E2MD_PROV_ADMIN_H */
