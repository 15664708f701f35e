/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server's SCP11a credentials, read from the files
 * roles.prov names (prov_config.h): the OCE's certificate and sub-CAs,
 * its static key SK.OCE (P-256), and the CA of the USIMs' SD
 * certificates. The OCE's certificate must hold the public half of the
 * key: a mismatch is refused at start rather than by every USIM's
 * receipt.
 */
#ifndef E2MD_PROV_CREDS_H
#define E2MD_PROV_CREDS_H

#include <stddef.h>

#include "proto/keyupdate/oce_session.h"
#include "prov_config.h"

/*
 * Reads them into creds (free with prov_creds_free()). 0, or -EINVAL
 * with why naming the file and what is wrong with it, -ENOMEM.
 */
int prov_creds_load(struct oce_credentials *creds,
		    const struct config_prov *conf, char *why,
		    size_t why_size);

/* Frees what prov_creds_load() read (the key wiped); zeroed after. */
void prov_creds_free(struct oce_credentials *creds);

#endif /* E2MD_PROV_CREDS_H */
