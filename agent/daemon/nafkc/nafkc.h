/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre role (daemon/roles.h), one part a file:
 *
 *	nafkc_config.c	roles.nafkc: its schema, struct config_nafkc,
 *			config_nafkc()
 *	role_nafkc.c	its role_ops: start, stop, reload, status; the
 *			devices' PSK lookup; the state the parts share
 *			(role_nafkc.h)
 *	nafkc_request.c	the devices' Ks_local requests, with the Zn pull
 *	nafkc_gba.c	its side of the GBA PSK-TLS listener
 *			(daemon/gba_listener.h): NAF_Id, Zn cache, route
 *	nafkc_zn_cache.c  the Zn answers kept for their key lifetime
 *	nafkc_admin.c	device-add/remove/list/block/unblock,
 *			local-key-list/revoke
 *
 * role_nafkc.h describes the role as a whole; each part's header
 * describes the part.
 */
#ifndef E2MD_NAFKC_H
#define E2MD_NAFKC_H

#include "nafkc_admin.h"
#include "nafkc_config.h"
#include "nafkc_gba.h"
#include "nafkc_request.h"
#include "nafkc_zn_cache.h"
#include "role_nafkc.h"

#endif /* E2MD_NAFKC_H */
