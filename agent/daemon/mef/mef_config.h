/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The M2M Enrolment Function's configuration, "roles.mef"
 * (daemon/e2md.yaml.example):
 *
 *	mef: { name: FQDN, listen: ADDR, key-lifetime: SECONDS,
 *	       dtls-listen: ADDR, dtls-sessions: N, km-listen: ADDR,
 *	       maf-clients: [NAME...], enrolee-b-clients: [NAME...] }
 *
 * name is the MEF's FQDN, the domain of every KeId it makes
 * (PROFILE.md 6); listen takes the Enrolees' TLS 1.2 PSK handshakes;
 * key-lifetime is a Ke's lifetime (default an hour); dtls-listen
 * (optional) a UDP address for the same over DTLS 1.2, at most
 * dtls-sessions (1..1024, default 256) at once. km-listen
 * (optional) serves Km to the MAFs over mutual TLS (the tls section,
 * mef_km.h); maf-clients names the MAFs admitted there by a DNS name of
 * their certificate, and an empty or absent list admits none;
 * enrolee-b-clients the same for the Enrolee Bs that fetch Kpsa there. A
 * change of listen, dtls-listen, dtls-sessions or km-listen needs a
 * restart; name, key-lifetime and the client lists apply from the next
 * request.
 */
#ifndef E2MD_MEF_CONFIG_H
#define E2MD_MEF_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

struct config_mef {
	unsigned int line;		/* of "mef:" */
	char *name;			/* FQDN, of the KeIds */
	struct config_listen listen;	/* TLS 1.2 PSK, from Enrolees */
	uint32_t key_lifetime;		/* seconds, a Ke's */
	struct config_listen dtls_listen;	/* UDP; line 0: none */
	size_t dtls_sessions;		/* the bound of DTLS sessions */
	struct config_listen km_listen;	/* mutual TLS; line 0: none */
	struct config_names maf_clients;	/* empty: none admitted */
	struct config_names enrolee_b_clients;	/* empty: none admitted */
};

/* The MEF's settings in config, NULL without roles.mef. */
const struct config_mef *config_mef(const struct config *config);

/* The role_ops schema of roles.mef: see roles.h. */
void mef_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void mef_config_free(void *conf);
size_t mef_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);
/* Whether the settings need the tls section: with km-listen. */
bool mef_config_needs_tls(const void *conf);

#endif /* E2MD_MEF_CONFIG_H */
