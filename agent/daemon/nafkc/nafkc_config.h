/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's configuration, "roles.nafkc"
 * (daemon/e2md.yaml.example):
 *
 *	nafkc: { name: FQDN, listen: ADDR, bsf-url: https://HOST[:PORT],
 *		 key-lifetime: SECONDS }
 *
 * name is its FQDN: its NAF_Id is name || FF 00 00 00 01 (PROFILE.md 5),
 * and the tls section's certificate must name it (the BSF checks that on
 * Zn). listen takes the devices' PSK-TLS; key-lifetime caps a Ks_local's
 * lifetime (the bootstrap's remaining lifetime caps it too).
 */
#ifndef E2MD_NAFKC_CONFIG_H
#define E2MD_NAFKC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

struct config_nafkc {
	unsigned int line;		/* of "nafkc:" */
	char *name;			/* FQDN, of the NAF_Id */
	struct config_listen listen;	/* PSK-TLS, from devices */
	struct config_url bsf_url;	/* Zn, to the BSF */
	uint32_t key_lifetime;		/* seconds, the most a key gets */
};

/* The NAF Key Centre's settings in config, NULL without roles.nafkc. */
const struct config_nafkc *config_nafkc(const struct config *config);

/* The role_ops schema of roles.nafkc: see roles.h. */
void nafkc_config_parse(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest);
void nafkc_config_free(void *conf);
size_t nafkc_config_listens(const void *conf, struct role_config_listen *out,
			    size_t max);

#endif /* E2MD_NAFKC_CONFIG_H */
