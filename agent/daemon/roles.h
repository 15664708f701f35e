/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network roles e2md can run, each a struct role_ops in the table
 * of roles.c, its code in a folder of its own (daemon/<role>/, the
 * role's <role>.h maps its parts to files). The daemon starts every role
 * its configuration has, in the order of the table, and drives them
 * through its life:
 *
 *	start	 listen and serve; the daemon has the store, TLS and the loop
 *	stop	 (SIGTERM) stop accepting; work in flight goes on
 *	busy	 whether work is still in flight; the daemon waits for it
 *	free	 after the loop has ended
 *
 * and, on SIGHUP, with a new configuration that passed the schema:
 *
 *	restart_key  which of the role's settings changed that it cannot
 *		     apply while running (a listen address), or NULL; the
 *		     daemon then refuses the reload as a whole
 *	reload	     take the new configuration; the old one is freed right
 *		     after, so drop every pointer into it
 *
 * A role adds itself to "status" with listeners() and status(), and its
 * listeners go into the ready file.
 *
 * The configuration of a role is its own (role_ops.parse_config): the
 * key "roles.<name>" is read by its schema into its own struct, kept in
 * struct config at the role's position in the table and read through the
 * role's accessor (config_role()). The core checks across roles what the
 * ops say: the sections each needs, no two listen addresses on one port.
 * A role's admin commands are looked up with the daemon's own.
 *
 * Adding a role: a folder daemon/<role>/ with
 *	<role>_config.c/.h  its struct, schema (CONFIG_KEY() rows over the
 *			    value parsers of config_values.h), free, listen
 *			    addresses (and e2m devices), and accessor
 *			    config_<role>()
 *	role_<role>.c/.h    its struct role_ops (the life above, the
 *			    config members, store_keeps, needs_tls,
 *			    admin_commands, its own error tokens)
 *	<role>.h	    the map of its parts to files
 * and a row (and its include) in roles.c. Nothing else names it.
 */
#ifndef E2MD_ROLES_H
#define E2MD_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "config.h"
#include "yaml_walk.h"

struct daemon;
struct prom_text;

/* One listening socket of a role: "zh" on 127.0.0.1:8443. */
struct role_listener {
	const char *name;
	const char *address;
};

#define ROLE_LISTENERS_MAX	4

/* A listen address in a role's settings: key under "roles.<name>". */
struct role_config_listen {
	const char *key;
	const struct config_listen *listen;
};

/*
 * An admin command a role brings (the protocol is admin_cmd.h's): run
 * answers request, a JSON object whose members besides "command" are
 * among members (NULL-ended); needs_store: refused without a store.
 * A role's commands are there whenever the daemon has what they need,
 * whether or not the role runs: they work on the store.
 */
struct role_admin_command {
	const char *name;
	json_t *(*run)(struct daemon *d, json_t *request);
	const char *const *members;
	bool needs_store;
};

struct role_ops {
	const char *name;

	/* ---- configuration, "roles.<name>" (config.h) ---- */
	/*
	 * The role's schema: a yaml_parse_fn whose dest is a void **, where
	 * it puts the role's own struct (allocated even when a key is
	 * wrong, so that free_config frees what was read).
	 */
	yaml_parse_fn parse_config;
	void (*free_config)(void *conf);
	/* Its listen addresses, for the check that no two share a port. */
	size_t (*config_listens)(const void *conf,
				 struct role_config_listen *out, size_t max);
	/*
	 * Why it needs the store section ("subscribers and sessions"), or
	 * NULL when it needs none; whether it needs the tls section.
	 */
	const char *store_keeps;
	/*
	 * The families of store ops it calls (store.h's STORE_FAMILY_*),
	 * its admin commands' included: a store engine that lacks one
	 * cannot serve it (role_store_served()). 0 with store_keeps set:
	 * not said, taken as all of them.
	 */
	unsigned int store_families;
	bool needs_tls;
	/*
	 * Optional: whether these settings need the tls section, for a role
	 * whose mutual-TLS interface is optional (needs_tls says nothing
	 * then).
	 */
	bool (*tls_needed)(const void *conf);

	/*
	 * Optional: why these settings cannot run on several workers
	 * (config.h's workers, daemon/workers.h), or NULL when they can:
	 * the role keeps nothing between requests in one process's memory
	 * that another process would need. Absent: one worker only.
	 */
	const char *(*workers_refused)(const void *conf);
	/*
	 * Runs on several workers only where "workers: N" says so: absent,
	 * e2md runs one process (what several cost the role, e.g. a
	 * store write per request, is the operator's choice to make).
	 */
	bool workers_explicit;

	/* ---- admin commands: ended by a row whose name is NULL ---- */
	const struct role_admin_command *admin_commands;

	/* ---- metrics (daemon/metrics/), both optional ---- */
	/*
	 * The error tokens its HTTP answers use that proto/ and the
	 * http_server do not define, NULL-ended: the only refusal reasons
	 * the metrics may show besides those (metrics_reasons.h).
	 */
	const char *const *refusal_tokens;
	/* The e2m devices its settings name, for their kernel counters. */
	size_t (*kernel_devices)(const void *conf, const char **out,
				 size_t max);
	/*
	 * Its own series (prom_text.h), written at each scrape from the
	 * running role's state: names e2m_<role>_*, labels from code only.
	 */
	void (*metrics)(void *state, struct prom_text *text);

	/* ---- running ---- */
	/* 0, or a negative errno after logging why. */
	int (*start)(struct daemon *daemon, void **state);
	void (*stop)(void *state);
	bool (*busy)(void *state);
	const char *(*restart_key)(const struct config *old,
				   const struct config *new_config);
	void (*reload)(void *state, const struct config *new_config);
	size_t (*listeners)(void *state, struct role_listener *out,
			    size_t max);
	/* Adds the role's counters to obj; 0 or -ENOMEM. */
	int (*status)(void *state, json_t *obj);
	void (*free)(void *state);
};

/* Every role this e2md has, in start order. */
const struct role_ops *const *roles_table(size_t *count);

/*
 * Whether the store engine by name ("sqlite", "postgresql") implements
 * every store op the role calls (store_families): a role that needs no
 * store is served by any.
 */
bool role_store_served(const struct role_ops *role, const char *engine);

#endif /* E2MD_ROLES_H */
