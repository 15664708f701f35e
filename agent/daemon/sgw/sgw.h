/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW role (daemon/roles.h), one part a file:
 *
 *	sgw_config.c	roles.sgw: its schema, struct config_sgw, config_sgw()
 *	role_sgw.c	its role_ops: start, stop, reload, status; the
 *			calls to the HSS and the HSE (role_sgw.h)
 *	sgw_attach.c	the attach interface, from the UEs
 *	sgw_hse.c	the triplet to the HSE
 *	sgw_sessions.c	the attach sessions, 30 s each, in memory
 *	sgw_decoys.c	unknown IMSIs' decoys: their vectors and KSIs
 *	sgw_ues.c	per IMSI: KSI, inner address, context
 *	sgw_persist.c	that table in the store, read back at start
 *
 * role_sgw.h describes the role as a whole; each part's header describes
 * the part.
 */
#ifndef E2MD_SGW_H
#define E2MD_SGW_H

#include "role_sgw.h"
#include "sgw_config.h"

#endif /* E2MD_SGW_H */
