/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's configuration, "roles.bsf" (daemon/e2md.yaml.example):
 *
 *	bsf: { name: FQDN, ub-listen: ADDR, zn-listen: ADDR,
 *	       hss-url: https://HOST[:PORT] | hlr: gsup://ADDRESS:PORT,
 *	       key-lifetime: SECONDS,
 *	       ub-source-rate: N, ub-impi-window: SECONDS,
 *	       nafs: [{ name: FQDN }...] }
 *
 * The vectors come from one source (vector_source.h): e2m's HSS over Zh
 * (hss-url) or an HLR over GSUP (hlr, an IPv4 or [IPv6] address, no
 * name); one of the two is required, both is an error.
 */
#ifndef E2MD_BSF_CONFIG_H
#define E2MD_BSF_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

struct config_naf {
	char *name;		/* FQDN, matched against the NAF's certificate */
	unsigned int line;
};

/* bsf.hlr: gsup://ADDRESS:PORT. */
struct config_hlr {
	char *text;			/* NULL when not configured */
	char address[CONFIG_IP_TEXT_MAX];
	uint16_t port;
};

#define BSF_HLR_SCHEME	"gsup://"

struct config_bsf {
	unsigned int line;		/* of "bsf:" */
	char *name;			/* FQDN, the domain of B-TIDs */
	struct config_listen ub_listen;	/* Ub, HTTP, from UEs */
	struct config_listen zn_listen;	/* Zn, HTTPS, from NAFs */
	struct config_url hss_url;	/* Zh, to the HSS (text NULL: none) */
	struct config_hlr hlr;		/* or GSUP, to an HLR */
	unsigned int sources;		/* keys of the two given, valid or not */
	uint32_t key_lifetime;		/* seconds */
	/* bsf_limits.h: first requests a second from an address (burst:
	 * twice), and seconds between Zh calls for one IMPI (0: none). */
	uint32_t ub_source_rate;
	uint32_t ub_impi_window;
	struct config_naf *nafs;
	size_t n_nafs;
};

/* The BSF's settings in config, NULL when it has no roles.bsf. */
const struct config_bsf *config_bsf(const struct config *config);

/* The role_ops schema of roles.bsf: see roles.h. */
void bsf_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void bsf_config_free(void *conf);
size_t bsf_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);
/* role_ops.workers_refused: see roles.h. */
const char *bsf_workers_refused(const void *conf);

#endif /* E2MD_BSF_CONFIG_H */
