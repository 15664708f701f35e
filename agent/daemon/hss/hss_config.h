/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's configuration, "roles.hss" (daemon/e2md.yaml.example):
 *
 *	hss: { listen: ADDR, clients: [NAME...], sn-clients: [NAME...],
 *	       hse-clients: [NAME...], prov-clients: [NAME...],
 *	       e2m: { window: SECONDS, algorithm: aes } }
 */
#ifndef E2MD_HSS_CONFIG_H
#define E2MD_HSS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

#define HSS_E2M_WINDOW_DEFAULT	120u		/* seconds */
#define HSS_E2M_WINDOW_MAX	3600u		/* an hour */

/* BEST at the HSS (Documentation/best.md): the window of key sets. */
struct config_hss_e2m {
	uint32_t window;		/* seconds a key set is kept */
	uint8_t algorithm;		/* enum e2m_alg: E2M_ALG_AES only */
};

struct config_hss {
	unsigned int line;		/* of "hss:" */
	struct config_listen listen;	/* Zh and BEST, HTTPS */
	/* Peers allowed on Zh (a DNS name of the certificate); required. */
	struct config_names clients;
	/*
	 * The same for the AV request (SGWs, required) and the key set
	 * pull (HSEs, optional: empty admits none, see hss_best.h).
	 */
	struct config_names sn_clients;
	struct config_names hse_clients;
	/*
	 * The provisioning servers that may switch a subscriber's K and
	 * OPc (hss_keyupdate.h); optional, empty admits none.
	 */
	struct config_names prov_clients;
	struct config_hss_e2m e2m;
};

/* The HSS's settings in config, NULL when it has no roles.hss. */
const struct config_hss *config_hss(const struct config *config);

/* The role_ops schema of roles.hss: see roles.h. */
void hss_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void hss_config_free(void *conf);
/* role_ops.workers_refused: see roles.h. */
const char *hss_workers_refused(const void *conf);
size_t hss_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);

#endif /* E2MD_HSS_CONFIG_H */
