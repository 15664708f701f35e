/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's admin commands, over its tables of the store (the
 * protocol is daemon/admin_cmd.h's). Device_IDs are store_device_id_valid()
 * ones; a refused command changes nothing.
 *
 *	device-add {device-id, psk}	provisions the device's PSK: 64 hex
 *			digits (32 octets), sealed in the store; refused if
 *			the device has one. Never printed back.
 *	device-remove {device-id}	removes it: handshakes with it fail
 *			from then on
 *	device-list	-> "devices": [{device-id, added}],
 *			   "blocked": [{device-id, since}]; never a PSK
 *	device-block {device-id}	refuses the device's requests
 *			(device-blocked) before anything is pulled
 *	device-unblock {device-id}
 *	local-key-list	-> "keys": [{btid, device-id, label, naf-id (hex),
 *			   issued, expires, revoked}]; never a key
 *	local-key-revoke {btid, device-id}	marks every label's key of
 *			that pair revoked -> "revoked": N; the Key Centre
 *			then refuses to hand it out again (key-revoked)
 *
 * Times are "YYYY-MM-DDThh:mm:ssZ".
 */
#ifndef E2MD_NAFKC_ADMIN_H
#define E2MD_NAFKC_ADMIN_H

#include "daemon/roles.h"

/* Ended by a row whose name is NULL. */
extern const struct role_admin_command nafkc_admin_commands[];

#endif /* E2MD_NAFKC_ADMIN_H */
