/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2md's configuration: one YAML file, described key by key in
 * daemon/e2md.yaml.example. config_load() reads it, checks every key
 * against the schema and returns either a struct config or the list of
 * what is wrong, each as "FILE:LINE: message":
 *
 *	log:	level: debug | info | warning | error	(default info)
 *	store:	path: ABSOLUTE-PATH
 *		key-file: ABSOLUTE-PATH | key-serial: N	(exactly one)
 *	admin:	socket: ABSOLUTE-PATH		(default /run/e2m/e2md.sock)
 *	tls:	certificate:, private-key:, ca: ABSOLUTE-PATH
 *	roles:	hss: { listen: ADDR, clients: [NAME...],
 *		       sn-clients: [NAME...], hse-clients: [NAME...],
 *		       e2m: { window: SECONDS, algorithm: aes } }
 *		bsf: { name: FQDN, ub-listen: ADDR, zn-listen: ADDR,
 *		       hss-url: https://HOST[:PORT], key-lifetime: SECONDS,
 *		       nafs: [{ name: FQDN }...] }
 *		sgw: { attach-listen: ADDR, hss-url: URL, hse-url: URL,
 *		       aka: umts | eps | 5g, sn-id: HEX (EPS, 5G),
 *		       hse-gtpu: { address: IP, port: N },
 *		       inner-ipv4-pool: IPV4/PREFIX }
 *		hse: { triplet-listen: ADDR, clients: [NAME...],
 *		       hss-url: https://HOST[:PORT], device: IFNAME,
 *		       key-lifetime: SECONDS }
 *
 * ADDR is IPv4:PORT or [IPv6]:PORT; port 0 takes any free port (tests).
 * Unknown keys, wrong types and values out of range are errors, and so is
 * a role without the sections it needs (a role serving HTTPS needs tls,
 * one with subscribers or sessions needs store). Checking that the files
 * named exist and load is config_check.h's job.
 *
 * A new role: its struct here, a pointer in struct config, a schema in
 * config.c's role table, and its runtime in daemon/role_*.c.
 */
#ifndef E2MD_CONFIG_H
#define E2MD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "aka/e2m_aka.h"
#include "log.h"

#define CONFIG_DEFAULT_SOCKET	"/run/e2m/e2md.sock"
#define CONFIG_KEY_LIFETIME_DEFAULT	3600u		/* one hour */
#define CONFIG_KEY_LIFETIME_MAX		(365u * 86400u)	/* one year */
#define CONFIG_E2M_WINDOW_DEFAULT	120u		/* seconds */
#define CONFIG_E2M_WINDOW_MAX		3600u		/* an hour */
#define CONFIG_NAME_MAX		253	/* a DNS name, RFC 1035 */
#define CONFIG_ADDR_TEXT_MAX	64	/* [IPv6]:port */

/* The errors of one load, "FILE:LINE: message" each, in the order found. */
#define CONFIG_ERRORS_MAX	20
#define CONFIG_ERROR_LEN	512

struct config_errors {
	char text[CONFIG_ERRORS_MAX][CONFIG_ERROR_LEN];
	size_t count;		/* kept, at most CONFIG_ERRORS_MAX */
	size_t dropped;		/* found beyond that */
};

/* A file named in the configuration, and the line that names it. */
struct config_file {
	char *path;		/* NULL when not given */
	unsigned int line;
};

/* A listening address as written, and parsed. */
struct config_listen {
	char text[CONFIG_ADDR_TEXT_MAX];
	struct sockaddr_storage addr;
	socklen_t addr_len;
	unsigned int line;
};

struct config_store {
	bool present;
	unsigned int line;	/* of "store:" */
	struct config_file file;	/* "path", the database */
	struct config_file key_file;
	int32_t key_serial;	/* 0: not given */
	unsigned int key_serial_line;
};

struct config_admin {
	char *socket;		/* CONFIG_DEFAULT_SOCKET when not given */
};

struct config_tls {
	bool present;
	unsigned int line;	/* of "tls:" */
	struct config_file certificate;	/* PEM, our chain, leaf first */
	struct config_file private_key;	/* PEM */
	struct config_file ca;		/* PEM, the CA peers must chain to */
};

struct config_names {
	char **names;
	size_t count;
};

/* An https:// URL with nothing after host and port but "/". */
struct config_url {
	char *text;
	char *host;		/* a DNS name or an IP address, no brackets */
	uint16_t port;		/* 443 when not given (80 for http://) */
};

/* BEST at the HSS (Documentation/best.md): the window of key sets. */
struct config_hss_e2m {
	uint32_t window;		/* seconds a key set is kept */
	uint8_t algorithm;		/* enum e2m_alg: E2M_ALG_AES only */
};

struct config_hss {
	unsigned int line;		/* of "hss:" */
	struct config_listen listen;	/* Zh and BEST, HTTPS */
	/* Peers allowed on Zh (certificate CN or DNS name); empty: any. */
	struct config_names clients;
	/* The same for the AV request (SGWs) and the key set pull (HSEs). */
	struct config_names sn_clients;
	struct config_names hse_clients;
	struct config_hss_e2m e2m;
};

struct config_naf {
	char *name;		/* FQDN, matched against the NAF's certificate */
	unsigned int line;
};

struct config_bsf {
	unsigned int line;		/* of "bsf:" */
	char *name;			/* FQDN, the domain of B-TIDs */
	struct config_listen ub_listen;	/* Ub, HTTP, from UEs */
	struct config_listen zn_listen;	/* Zn, HTTPS, from NAFs */
	struct config_url hss_url;	/* Zh, to the HSS */
	uint32_t key_lifetime;		/* seconds */
	struct config_naf *nafs;
	size_t n_nafs;
};

/* What the SGW hands its UEs (Documentation/best.md). */
#define CONFIG_SN_ID_LEN	3	/* PLMN id, TS 24.301 9.9.3.32 */
#define CONFIG_POOL_PREFIX_MIN	8
#define CONFIG_POOL_PREFIX_MAX	30
#define CONFIG_IP_TEXT_MAX	46	/* INET6_ADDRSTRLEN */
#define CONFIG_GTPU_PORT	2152	/* TS 29.281 */

/* A GTP-U endpoint: an IPv4 or IPv6 address and a UDP port. */
struct config_gtpu {
	unsigned int line;
	char address[CONFIG_IP_TEXT_MAX];	/* inet_ntop() form */
	uint16_t port;				/* 2152 when not given */
};

/* An IPv4 prefix, host order. */
struct config_ipv4_pool {
	char text[CONFIG_ADDR_TEXT_MAX];
	uint32_t network;
	unsigned int prefix;
};

struct config_sgw {
	unsigned int line;			/* of "sgw:" */
	struct config_listen attach_listen;	/* HTTP, from UEs */
	struct config_url hss_url;		/* AV requests */
	struct config_url hse_url;		/* triplets */
	enum e2m_aka_kind aka;			/* umts when not given */
	bool has_sn_id;
	unsigned int sn_id_line;
	uint8_t sn_id[CONFIG_SN_ID_LEN];	/* EPS and 5G */
	struct config_gtpu hse_gtpu;		/* the HSE's, for UEs */
	struct config_ipv4_pool inner_ipv4_pool;
};

#define CONFIG_IFNAME_MAX	15	/* IFNAMSIZ - 1 */

struct config_hse {
	unsigned int line;		/* of "hse:" */
	struct config_listen triplet_listen;	/* from the P-GW, HTTPS */
	/* Peers allowed to send triplets; empty: any the CA signed. */
	struct config_names clients;
	struct config_url hss_url;	/* key set pulls, to the HSS */
	char device[CONFIG_IFNAME_MAX + 1];	/* an e2m device, role hse */
	uint32_t key_lifetime;		/* seconds, the keys' timeout */
};

struct config_roles {
	unsigned int line;		/* of "roles:" */
	/* NULL when not configured. */
	struct config_hss *hss;
	struct config_bsf *bsf;
	struct config_sgw *sgw;
	struct config_hse *hse;
};

struct config {
	char *file;			/* as given to config_load() */
	enum log_level log_level;
	struct config_store store;
	struct config_admin admin;
	struct config_tls tls;
	struct config_roles roles;
};

/*
 * Reads and checks file. 0 and *config set, or -EINVAL with the errors in
 * errors (at least one), or -ENOMEM. Free with config_free().
 */
int config_load(const char *file, struct config **config,
		struct config_errors *errors);
void config_free(struct config *config);

/* Adds "FILE:LINE: message" to errors (line 0: "FILE: message"). */
void __attribute__((format(printf, 4, 5)))
config_error(struct config_errors *errors, const char *file,
	     unsigned int line, const char *fmt, ...);

/* The names of the configured roles, in a fixed order, for logs. */
size_t config_roles(const struct config *config, const char **names,
		    size_t max);

/* Value syntaxes (config_syntax.c). */

/* Whether name is a DNS name (labels of letters, digits, '-'). */
bool config_dns_name_valid(const char *name);
/* IPv4:PORT or [IPv6]:PORT into out (text, addr); 0 or -EINVAL. */
int config_parse_listen(const char *text, struct config_listen *out);
/* An address as config_parse_listen() reads it: IPv4:PORT, [IPv6]:PORT. */
void config_address_text(const struct sockaddr_storage *addr, char *buf,
			 size_t size);
/* Whether two addresses would take the same port (0.0.0.0 takes all). */
bool config_listen_overlap(const struct config_listen *a,
			   const struct config_listen *b);
/* https://HOST[:PORT][/] into out; 0, -EINVAL or -ENOMEM. */
int config_parse_url(const char *text, struct config_url *out);
/* The same for http:// (port 80 when not given), for the UE's BSF URL. */
int config_parse_http_url(const char *text, struct config_url *out);
/* IPV4/PREFIX, host bits zero, prefix 8..30; 0 or -EINVAL. */
int config_parse_ipv4_pool(const char *text, struct config_ipv4_pool *out);

#endif /* E2MD_CONFIG_H */
