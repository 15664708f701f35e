/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's admin command, over the sessions of the store (the protocol
 * is daemon/admin_cmd.h's):
 *
 *	session-list	-> "sessions": [{btid, impi, created, expires}...],
 *			   times as "YYYY-MM-DDThh:mm:ssZ"; never Ks
 */
#ifndef E2MD_BSF_ADMIN_H
#define E2MD_BSF_ADMIN_H

#include "daemon/roles.h"

/* Ended by a row whose name is NULL. */
extern const struct role_admin_command bsf_admin_commands[];

#endif /* E2MD_BSF_ADMIN_H */
