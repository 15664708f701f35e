/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's configuration, "roles.hse" (daemon/e2md.yaml.example):
 *
 *	hse: { triplet-listen: ADDR, clients: [NAME...],
 *	       hss-url: https://HOST[:PORT], device: IFNAME,
 *	       key-lifetime: SECONDS, instance: NAME }
 *
 * instance names this HSE in the store: the owner of the flows it keeps
 * (store.h's store_hse_flow), so that HSE instances sharing a store (two
 * gateways on one PostgreSQL) each keep, reconcile and drop only their
 * own. The host's name when not set (refused when that is no instance
 * name); two HSE instances sharing a store need two names.
 */
#ifndef E2MD_HSE_CONFIG_H
#define E2MD_HSE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"
#include "store/store.h"

struct config_hse {
	unsigned int line;		/* of "hse:" */
	struct config_listen triplet_listen;	/* from the P-GW, HTTPS */
	/* Peers allowed to send triplets (DNS names); required. */
	struct config_names clients;
	struct config_url hss_url;	/* key set pulls, to the HSS */
	char device[CONFIG_IFNAME_MAX + 1];	/* an e2m device, role hse */
	uint32_t key_lifetime;		/* seconds, the keys' timeout */
	char instance[STORE_HSE_OWNER_MAX + 1];	/* its flows' owner */
};

/* The HSE's settings in config, NULL when it has no roles.hse. */
const struct config_hse *config_hse(const struct config *config);

/* The role_ops schema of roles.hse: see roles.h. */
void hse_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void hse_config_free(void *conf);
/* Its device, for the metrics (role_ops.kernel_devices). */
size_t hse_config_devices(const void *conf, const char **out, size_t max);
size_t hse_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);

#endif /* E2MD_HSE_CONFIG_H */
