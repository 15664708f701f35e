/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF role (daemon/roles.h), one part a file:
 *
 *	bsf_config.c	roles.bsf: its schema, struct config_bsf, config_bsf()
 *	role_bsf.c	its role_ops: start, stop, reload, status; the
 *			state the parts share (role_bsf.h)
 *	bsf_ub.c	Ub: HTTP Digest AKA from the UEs
 *	bsf_zn.c	Zn: the bootstraps' keys for the NAFs
 *	bsf_challenges.c  the Digest AKA challenges in flight
 *	bsf_shared.c	those challenges in a store shared by instances
 *	bsf_admin.c	session-list
 *
 * role_bsf.h describes the role as a whole; each part's header describes
 * the part.
 */
#ifndef E2MD_BSF_H
#define E2MD_BSF_H

#include "bsf_admin.h"
#include "bsf_config.h"
#include "role_bsf.h"

#endif /* E2MD_BSF_H */
