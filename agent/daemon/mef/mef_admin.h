/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MEF's admin commands, over its tables of the store (the protocol is
 * daemon/admin_cmd.h's). Ids are store_onem2m_id_valid() ones; a refused
 * command changes nothing.
 *
 *	kpm-add {kpm-id, kpm, enrolee-id, maf-id | enrolee-b-id}
 *			provisions a Kpm (64 hex digits, 32 octets) sealed in
 *			the store, with its Bootstrap Instruction
 *			Configuration; refused if the KpmId has one. Never
 *			printed back.
 *	kpm-remove {kpm-id}	handshakes with it fail from then on
 *	kpm-list	-> "kpms": [{kpm-id, enrolee-id, maf-id |
 *			   enrolee-b-id, added}]; never a Kpm
 *	ke-list		-> "kes": [{ke-id, kpm-id, enrolee-id, maf-id |
 *			   enrolee-b-id, issued, expires}]; never a Ke
 *
 * Times are "YYYY-MM-DDThh:mm:ssZ".
 */
#ifndef E2MD_MEF_ADMIN_H
#define E2MD_MEF_ADMIN_H

#include "daemon/roles.h"

extern const struct role_admin_command mef_admin_commands[];

#endif /* E2MD_MEF_ADMIN_H */
