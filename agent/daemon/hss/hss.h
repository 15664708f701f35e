/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS role (daemon/roles.h), one part a file:
 *
 *	hss_config.c	roles.hss: its schema, struct config_hss, config_hss()
 *	role_hss.c	its role_ops: start, stop, reload, status; Zh
 *			(POST /zh/v1/av) to the BSFs
 *	hss_best.c	BEST on the Zh listener: vectors to the SGWs, key
 *			set pulls by the HSEs
 *	hss_window.c	the key sets of BEST, in memory only
 *	hss_keyupdate.c	step 6 of a long-term key update: the provisioning
 *			server switches a subscriber's K and OPc
 *	hss_admin.c	subscriber-add, subscriber-list, subscriber-remove
 *
 * role_hss.h describes Zh and what the parts share; each part's header
 * describes the part.
 */
#ifndef E2MD_HSS_H
#define E2MD_HSS_H

#include "hss_admin.h"
#include "hss_config.h"
#include "role_hss.h"

#endif /* E2MD_HSS_H */
