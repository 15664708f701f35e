/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT's admin commands (the protocol is daemon/admin_cmd.h's):
 *
 *	mt-rekey {device-id, naf-id}	the operator wants the MT's newest
 *			key of that device and NAF Key Centre established
 *			again: rekey-request (reason "operator") on every
 *			watch for it -> "sent": N; refused when the role
 *			mt does not run, the MT holds no such key, no
 *			device watches it (counted as the kernel's would
 *			be), or one was sent within MT_REKEY_GAP seconds.
 */
#ifndef E2MD_MT_ADMIN_H
#define E2MD_MT_ADMIN_H

#include "daemon/roles.h"

/* Ended by a row whose name is NULL. */
extern const struct role_admin_command mt_admin_commands[];

#endif /* E2MD_MT_ADMIN_H */
