/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server role (daemon/roles.h), one part a file:
 *
 *	prov_config.c	roles.prov: its schema, struct config_prov
 *	prov_creds.c	the OCE's certificate, key and the USIM CA, read
 *	role_prov.c	its role_ops; the USIMs' sessions over HTTP
 *	prov_sessions.c	those sessions, kept in the store
 *	prov_hss.c	step 6: the HSS switched, retried until it is
 *	prov_hss_plan.c	the HSS's back-off and what of it is logged
 *	prov_metrics.c	its series on the metrics listener
 *	prov_admin.c	key-update-add, key-update-list
 *
 * role_prov.h describes the interface; each part's header the part.
 */
#ifndef E2MD_PROV_H
#define E2MD_PROV_H

#include "prov_admin.h"
#include "prov_config.h"
#include "role_prov.h"

#endif /* E2MD_PROV_H */
