/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's configuration, "roles.sgw" (daemon/e2md.yaml.example), what
 * it hands its UEs (Documentation/best.md):
 *
 *	sgw: { attach-listen: ADDR, hss-url: URL, hse-url: URL,
 *	       aka: umts | eps | 5g, sn-id: HEX (EPS, 5G),
 *	       hse-gtpu: { address: IP, port: N },
 *	       inner-ipv4-pool: IPV4/PREFIX }
 */
#ifndef E2MD_SGW_CONFIG_H
#define E2MD_SGW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/e2m_aka.h"
#include "daemon/config_values.h"
#include "daemon/roles.h"

#define SGW_SN_ID_LEN	3	/* PLMN id, TS 24.301 9.9.3.32 */

/* A GTP-U endpoint: an IPv4 or IPv6 address and a UDP port. */
struct config_gtpu {
	unsigned int line;
	char address[CONFIG_IP_TEXT_MAX];	/* inet_ntop() form */
	uint16_t port;				/* 2152 when not given */
};

struct config_sgw {
	unsigned int line;			/* of "sgw:" */
	struct config_listen attach_listen;	/* HTTP, from UEs */
	struct config_url hss_url;		/* AV requests */
	struct config_url hse_url;		/* triplets */
	enum e2m_aka_kind aka;			/* umts when not given */
	bool has_sn_id;
	unsigned int sn_id_line;
	uint8_t sn_id[SGW_SN_ID_LEN];		/* EPS and 5G */
	struct config_gtpu hse_gtpu;		/* the HSE's, for UEs */
	struct config_ipv4_pool inner_ipv4_pool;
};

/* The SGW's settings in config, NULL when it has no roles.sgw. */
const struct config_sgw *config_sgw(const struct config *config);

/* The role_ops schema of roles.sgw: see roles.h. */
void sgw_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void sgw_config_free(void *conf);
size_t sgw_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);

#endif /* E2MD_SGW_CONFIG_H */
