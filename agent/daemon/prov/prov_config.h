/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server's configuration, "roles.prov"
 * (daemon/e2md.yaml.example):
 *
 *	prov: { listen: ADDR, certificate: FILE, private-key: FILE,
 *		usim-ca: FILE, hss-url: https://HOST[:PORT],
 *		session-max-age: SECONDS }
 *
 * listen serves the UEs' sessions over plain HTTP (SCP11a protects
 * them); certificate is the OCE's (PEM, its own first, then its sub-CAs
 * up to CA-KLOC, at most 3), private-key its P-256 key SK.OCE, usim-ca
 * the CA the USIMs' SD certificates must chain to; hss-url the HSS of
 * step 6, reached with mutual TLS under the tls section.
 * session-max-age (1..PROV_SESSION_MAX_AGE_MAX, default
 * PROV_SESSION_MAX_AGE_DEFAULT) is how long a session row the UE stopped
 * answering is kept after its last step: older ones are purged at start
 * and before each new session.
 */
#ifndef E2MD_PROV_CONFIG_H
#define E2MD_PROV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

#define PROV_SESSION_MAX_AGE_DEFAULT	3600u		/* one hour */
#define PROV_SESSION_MAX_AGE_MAX	(7u * 86400u)	/* one week */

struct config_prov {
	unsigned int line;		/* of "prov:" */
	struct config_listen listen;	/* the UEs, plain HTTP */
	struct config_file certificate;
	struct config_file private_key;
	struct config_file usim_ca;
	struct config_url hss_url;
	uint32_t session_max_age;	/* seconds */
};

/* The provisioning server's settings, NULL when it has no roles.prov. */
const struct config_prov *config_prov(const struct config *config);

/* The role_ops schema of roles.prov: see roles.h. */
void prov_config_parse(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest);
void prov_config_free(void *conf);
size_t prov_config_listens(const void *conf, struct role_config_listen *out,
			   size_t max);

#endif /* E2MD_PROV_CONFIG_H */
