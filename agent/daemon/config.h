/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2md's configuration: one YAML file, described key by key in
 * daemon/e2md.yaml.example. config_load() reads it, checks every key
 * against the schema and returns either a struct config or the list of
 * what is wrong, each as "FILE:LINE: message":
 *
 *	log:	level: debug | info | warning | error	(default info)
 *	store:	engine: sqlite | postgresql	(default sqlite)
 *		path: ABSOLUTE-PATH		(sqlite)
 *		connection: LIBPQ-CONNECTION-STRING	(postgresql, no password)
 *		password-file: ABSOLUTE-PATH	(postgresql, optional)
 *		key-file: ABSOLUTE-PATH | key-serial: N	(exactly one)
 *	admin:	socket: ABSOLUTE-PATH		(default /run/e2m/e2md.sock)
 *		group: GROUP-NAME		(optional: its members may use it)
 *	tls:	certificate:, private-key:, ca: ABSOLUTE-PATH
 *	metrics: listen: ADDR		(optional: the Prometheus endpoint)
 *	listeners: max-connections: N	(each listener; default 1024)
 *		request-deadline: SECONDS	(each request whole; default 10)
 *	roles:	<role>: { its keys }	(at least one role)
 *
 * Each role's keys are its own schema, in daemon/<role>/<role>_config.h,
 * read by the value parsers of config_values.h.
 *
 * ADDR is IPv4:PORT or [IPv6]:PORT; port 0 takes any free port (tests).
 * Unknown keys, wrong types and values out of range are errors, and so is
 * a role without the sections it needs (a role serving HTTPS needs tls,
 * one with subscribers or sessions needs store). Checking that the files
 * named exist and load is config_check.h's job.
 *
 * A role's settings are in the slot of struct config_roles that its
 * position in roles_table() gives; its header has the typed accessor.
 */
#ifndef E2MD_CONFIG_H
#define E2MD_CONFIG_H

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "log.h"

#define CONFIG_DEFAULT_SOCKET	"/run/e2m/e2md.sock"
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
	const char *engine;	/* "sqlite" (default) or "postgresql" */
	unsigned int engine_line;
	struct config_file file;	/* "path", the database (sqlite) */
	char *connection;	/* libpq's connection string (postgresql) */
	unsigned int connection_line;
	struct config_file password_file;	/* its password (postgresql) */
	struct config_file key_file;
	int32_t key_serial;	/* 0: not given */
	unsigned int key_serial_line;
};

struct config_admin {
	char *socket;		/* CONFIG_DEFAULT_SOCKET when not given */
	bool has_group;		/* group: given, and a group of this host */
	gid_t group;
};

struct config_tls {
	bool present;
	unsigned int line;	/* of "tls:" */
	struct config_file certificate;	/* PEM, our chain, leaf first */
	struct config_file private_key;	/* PEM */
	struct config_file ca;		/* PEM, the CA peers must chain to */
};

/* The metrics endpoint (daemon/metrics/metrics_server.h); off if absent. */
struct config_metrics {
	bool present;
	struct config_listen listen;
};

/*
 * The bounds of every listener of the roles (net/http_conns.h): how many
 * connections each keeps open at once, and how long a connection may take
 * to bring a whole request.
 */
#define CONFIG_MAX_CONNECTIONS_DEFAULT	1024
#define CONFIG_MAX_CONNECTIONS_MAX	65536
#define CONFIG_REQUEST_DEADLINE_DEFAULT	10	/* seconds */
#define CONFIG_REQUEST_DEADLINE_MAX	300

struct config_listeners {
	size_t max_connections;
	unsigned int request_deadline;	/* seconds */
};

/*
 * How many processes serve the roles (daemon/workers.h): "workers: N",
 * 1..CONFIG_WORKERS_MAX. Absent, the number of CPUs e2md may run on
 * when every configured role can run on several workers without being
 * told so (role_ops.workers_explicit: the BSF) and metrics are off, else
 * 1.
 */
#define CONFIG_WORKERS_MAX	64

struct config_workers {
	unsigned int count;
	unsigned int line;		/* of "workers:"; 0 when absent */
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

#define CONFIG_POOL_PREFIX_MIN	8
#define CONFIG_POOL_PREFIX_MAX	30
#define CONFIG_IP_TEXT_MAX	46	/* INET6_ADDRSTRLEN */
#define CONFIG_GTPU_PORT	2152	/* TS 29.281, and e2mctl's default */

/* An IPv4 prefix, host order. */
struct config_ipv4_pool {
	char text[CONFIG_ADDR_TEXT_MAX];
	uint32_t network;
	unsigned int prefix;
};

/* The most roles roles_table() may have. */
#define CONFIG_ROLES_MAX	16

struct role_ops;

/* One row of roles_table() and its settings. */
struct config_role_slot {
	const struct role_ops *ops;
	unsigned int line;	/* of "<name>:" */
	/*
	 * The role's own struct, as its schema made it; NULL when not
	 * configured. Read through the role's accessor (config_role()).
	 */
	void *conf;
};

struct config_roles {
	unsigned int line;		/* of "roles:" */
	/* At the positions of roles_table(). */
	struct config_role_slot role[CONFIG_ROLES_MAX];
};

struct config {
	char *file;			/* as given to config_load() */
	enum log_level log_level;
	struct config_store store;
	struct config_admin admin;
	struct config_tls tls;
	struct config_metrics metrics;
	struct config_listeners listeners;
	struct config_workers workers;
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

/* The settings of role in config, or NULL when it is not configured. */
const void *config_role(const struct config *config,
			const struct role_ops *role);

/* The names of the configured roles, in the order of roles_table(). */
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
/* The same for http:// (port 80 when not given), for the UE side. */
int config_parse_http_url(const char *text, struct config_url *out);
/* IPV4/PREFIX, host bits zero, prefix 8..30; 0 or -EINVAL. */
int config_parse_ipv4_pool(const char *text, struct config_ipv4_pool *out);

#endif /* E2MD_CONFIG_H */
