/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT / UICC hosting device role (daemon/roles.h), one part a file:
 *
 *	mt_config.c	roles.mt: its schema, struct config_mt, config_mt()
 *	role_mt.c	its role_ops: start (the USIM, the wipe of another
 *			UICC's keys), stop, reload, status; the state the
 *			parts share (role_mt.h)
 *	mt_link.c	the local interface's connections and frames
 *	mt_request.c	each message done: Ub run, Ks_local, store, answer
 *	mt_plan.c	the decisions, apart (tested without a network)
 *	mt_keyring.c	each Ks_local as a ks_local key
 *	mt_flow.c	each device's key on the MT's end of its link
 *	mt_watch.c	the devices' rekey-watches and their rekey-requests
 *	mt_events.c	the MT's own kernel's key events: rekey-requests
 *	mt_admin.c	its admin command (mt-rekey)
 *
 * role_mt.h describes the role as a whole; each part's header
 * describes the part.
 */
#ifndef E2MD_MT_H
#define E2MD_MT_H

#include "mt_admin.h"
#include "mt_config.h"
#include "mt_events.h"
#include "mt_flow.h"
#include "mt_keyring.h"
#include "mt_link.h"
#include "mt_plan.h"
#include "mt_request.h"
#include "mt_watch.h"
#include "role_mt.h"

#endif /* E2MD_MT_H */
