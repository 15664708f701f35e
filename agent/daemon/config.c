// SPDX-License-Identifier: GPL-2.0
/*
 * e2md's configuration schema, see config.h: one table of keys per
 * mapping, one function per kind of value (the roles' in
 * config_values.c), the roles each read by their own schema, then the
 * checks that span sections (what each role needs, addresses taken
 * twice).
 */
#define _GNU_SOURCE		/* sched_getaffinity(), CPU_COUNT() */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config.h"
#include "config_values.h"
#include "roles.h"
#include "store/store.h"
#include "yaml_walk.h"

#define KEY CONFIG_KEY
#define N_KEYS CONFIG_N_KEYS

void config_error(struct config_errors *errors, const char *file,
		  unsigned int line, const char *fmt, ...)
{
	char *text;
	int len;
	va_list ap;

	if (errors->count == CONFIG_ERRORS_MAX) {
		errors->dropped++;
		return;
	}
	text = errors->text[errors->count++];
	len = line ? snprintf(text, CONFIG_ERROR_LEN, "%s:%u: ", file, line) :
		     snprintf(text, CONFIG_ERROR_LEN, "%s: ", file);
	if (len < 0 || len >= CONFIG_ERROR_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(text + len, CONFIG_ERROR_LEN - (size_t)len, fmt, ap);
	va_end(ap);
}

/* ---- values of the core sections ----------------------------------- */

static void parse_level(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const char *const names[] = {
		"debug", "info", "warning", "error", NULL
	};
	enum log_level *level = dest;
	unsigned int index;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &index))
		log_level_parse(names[index], level);
}

/*
 * Absolute paths only: the daemon's working directory is nobody's
 * business, and a reload must mean the same files as the start.
 */
static bool path_value(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, char **out)
{
	if (!yaml_string(walk, path, value, out))
		return false;
	if ((*out)[0] != '/') {
		yaml_error(walk, yaml_line(value), path,
			   "must be an absolute path, not '%s'", *out);
		return false;
	}
	if (strlen(*out) >= PATH_MAX) {
		yaml_error(walk, yaml_line(value), path, "path too long");
		return false;
	}
	return true;
}

static void parse_file(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_file *file = dest;

	file->line = key_line;
	path_value(walk, path, value, &file->path);
}

void config_value_file(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	parse_file(walk, path, value, key_line, dest);
}

static void parse_socket(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	char **socket = dest;
	struct sockaddr_un sun;

	(void)key_line;
	if (path_value(walk, path, value, socket) &&
	    strlen(*socket) >= sizeof(sun.sun_path))
		yaml_error(walk, yaml_line(value), path,
			   "longer than the %zu octets a socket path may have",
			   sizeof(sun.sun_path) - 1);
}

/* A group of this host, by name, resolved now: --check-config says so. */
static void parse_group(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_admin *admin = dest;
	const char *name;
	struct group *group;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &name))
		return;
	group = *name ? getgrnam(name) : NULL;
	if (!group) {
		yaml_error(walk, yaml_line(value), path, "%s: no such group",
			   name);
		return;
	}
	admin->has_group = true;
	admin->group = group->gr_gid;
}

static void parse_key_serial(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	struct config_store *store = dest;
	uint64_t serial;

	store->key_serial_line = key_line;
	if (yaml_uint(walk, path, value, 1, INT32_MAX, &serial))
		store->key_serial = (int32_t)serial;
}

static void parse_engine(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const char *const names[] = { "sqlite", "postgresql", NULL };
	struct config_store *store = dest;
	unsigned int index;

	store->engine_line = key_line;
	if (yaml_enum(walk, path, value, names, &index))
		store->engine = names[index];
}

/* Checked now: a password in it would be in this file, and in logs. */
static void parse_connection(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	struct config_store *store = dest;
	char why[256];

	store->connection_line = key_line;
	if (!yaml_string(walk, path, value, &store->connection))
		return;
	if (store_postgresql_conninfo_check(store->connection, why,
					    sizeof(why)))
		yaml_error(walk, yaml_line(value), path, "%s", why);
}

/* ---- sections ------------------------------------------------------ */

static void parse_log(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		{ .key = "level", .parse = parse_level },
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

static void parse_store(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		{ .key = "engine", .parse = parse_engine },
		KEY("path", parse_file, struct config_store, file, 0),
		{ .key = "connection", .parse = parse_connection },
		KEY("password-file", parse_file, struct config_store,
		    password_file, 0),
		KEY("key-file", parse_file, struct config_store, key_file, 0),
		{ .key = "key-serial", .parse = parse_key_serial },
	};
	struct config_store *store = dest;

	store->present = true;
	store->line = key_line;
	store->engine = "sqlite";
	if (!yaml_walk_mapping(walk, path, value, key_line, keys,
			       N_KEYS(keys), store))
		return;
	if (!strcmp(store->engine, "sqlite")) {
		if (!store->file.line)
			yaml_error(walk, key_line, path, "needs path (the"
				   " SQLite database)");
		if (store->connection_line || store->password_file.line)
			yaml_error(walk, store->connection_line ?
				   store->connection_line :
				   store->password_file.line, path,
				   "connection and password-file are for"
				   " engine: postgresql");
	} else {
		if (!store->connection_line)
			yaml_error(walk, key_line, path, "needs connection"
				   " (engine: postgresql)");
		if (store->file.line)
			yaml_error(walk, store->file.line, path,
				   "path is for engine: sqlite");
	}
	if (!store->key_file.line && !store->key_serial_line)
		yaml_error(walk, key_line, path,
			   "needs key-file or key-serial (the store key)");
	else if (store->key_file.line && store->key_serial_line)
		yaml_error(walk, store->key_serial_line, path,
			   "key-file and key-serial exclude each other");
}

static void parse_admin(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("socket", parse_socket, struct config_admin, socket, 0),
		{ .key = "group", .parse = parse_group },
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

static void parse_tls(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("certificate", parse_file, struct config_tls, certificate,
		    YAML_KEY_REQUIRED),
		KEY("private-key", parse_file, struct config_tls, private_key,
		    YAML_KEY_REQUIRED),
		KEY("ca", parse_file, struct config_tls, ca,
		    YAML_KEY_REQUIRED),
	};
	struct config_tls *tls = dest;

	tls->present = true;
	tls->line = key_line;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  tls);
}

static void parse_listeners(struct yaml_walk *walk, const char *path,
			    yaml_node_t *value, unsigned int key_line,
			    void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_NUMBER("max-connections", struct config_listeners,
			      max_connections, 1, CONFIG_MAX_CONNECTIONS_MAX,
			      0),
		CONFIG_NUMBER("request-deadline", struct config_listeners,
			      request_deadline, 1, CONFIG_REQUEST_DEADLINE_MAX,
			      0),
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

/* ---- roles ------------------------------------------------------------ */

/* One role's mapping, read by its own schema into its slot. */
static void parse_role(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_role_slot *slot = dest;

	slot->line = key_line;
	slot->ops->parse_config(walk, path, value, key_line, &slot->conf);
}

/* One key per row of roles_table(), in its order. */
static void parse_roles(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	const struct role_ops *const *table;
	struct yaml_key keys[CONFIG_ROLES_MAX];
	struct config_roles *roles = dest;
	size_t n, i;

	table = roles_table(&n);
	for (i = 0; i < n; i++) {
		roles->role[i].ops = table[i];
		keys[i] = (struct yaml_key){
			.key = table[i]->name, .parse = parse_role,
			.offset = offsetof(struct config_roles, role) +
				  i * sizeof(roles->role[0]),
		};
	}
	roles->line = key_line;
	if (yaml_walk_mapping(walk, path, value, key_line, keys, n, roles) &&
	    value->data.mapping.pairs.top == value->data.mapping.pairs.start)
		yaml_error(walk, key_line, path, "no role configured");
}

static void parse_metrics(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("listen", config_value_listen, struct config_metrics,
		    listen, YAML_KEY_REQUIRED),
	};
	struct config_metrics *metrics = dest;

	metrics->present = true;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  metrics);
}

static void parse_workers(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_workers *workers = dest;
	uint64_t n;

	if (!yaml_uint(walk, path, value, 1, CONFIG_WORKERS_MAX, &n))
		return;
	workers->count = (unsigned int)n;
	workers->line = key_line;
}

static const struct yaml_key top_keys[] = {
	KEY("log", parse_log, struct config, log_level, 0),
	KEY("store", parse_store, struct config, store, 0),
	KEY("admin", parse_admin, struct config, admin, 0),
	KEY("tls", parse_tls, struct config, tls, 0),
	KEY("metrics", parse_metrics, struct config, metrics, 0),
	KEY("listeners", parse_listeners, struct config, listeners, 0),
	KEY("workers", parse_workers, struct config, workers, 0),
	KEY("roles", parse_roles, struct config, roles, YAML_KEY_REQUIRED),
};

/* ---- checks across sections ---------------------------------------- */

/* What a role needs of the other sections (its role_ops say). */
static void check_role_needs(struct yaml_walk *walk, const struct config *c,
			     const struct config_role_slot *slot)
{
	char path[YAML_PATH_MAX];

	yaml_path_key(path, sizeof(path), "roles", slot->ops->name);
	if (slot->ops->store_keeps && !c->store.present)
		yaml_error(walk, slot->line, path,
			   "needs a store section (%s)",
			   slot->ops->store_keeps);
	else if (c->store.present && !role_store_served(slot->ops,
							c->store.engine))
		yaml_error(walk, slot->line, path,
			   "the %s store engine does not serve role %s yet"
			   " (%s); use engine: sqlite for it",
			   c->store.engine, slot->ops->name,
			   slot->ops->store_keeps);
	if ((slot->ops->tls_needed ? slot->ops->tls_needed(slot->conf) :
				     slot->ops->needs_tls) &&
	    !c->tls.present)
		yaml_error(walk, slot->line, path,
			   "needs a tls section (its peers use mutual TLS)");
}

struct named_listen {
	char path[YAML_PATH_MAX];
	const struct config_listen *listen;
};

/* The roles' and the metrics endpoint's. */
#define CONFIG_LISTENS_MAX	(CONFIG_ROLES_MAX * ROLE_LISTENERS_MAX + 1)

/* The listeners of the configured roles that parsed, in table order. */
static size_t role_listens(const struct config *c, struct named_listen *all)
{
	struct role_config_listen listens[ROLE_LISTENERS_MAX];
	char role_path[YAML_PATH_MAX];
	size_t n = 0, i, j, count;

	for (i = 0; i < CONFIG_ROLES_MAX; i++) {
		const struct config_role_slot *slot = &c->roles.role[i];

		if (!slot->conf || !slot->ops->config_listens)
			continue;
		yaml_path_key(role_path, sizeof(role_path), "roles",
			      slot->ops->name);
		count = slot->ops->config_listens(slot->conf, listens,
						  ROLE_LISTENERS_MAX);
		for (j = 0; j < count; j++) {
			if (!listens[j].listen->addr_len)
				continue;
			yaml_path_key(all[n].path, sizeof(all[n].path),
				      role_path, listens[j].key);
			all[n++].listen = listens[j].listen;
		}
	}
	return n;
}

/* No two listeners on one port: the second bind would fail at start. */
static void check_listeners(struct yaml_walk *walk, const struct config *c)
{
	struct named_listen all[CONFIG_LISTENS_MAX];
	size_t n = role_listens(c, all), i, j;

	if (c->metrics.present && c->metrics.listen.addr_len) {
		snprintf(all[n].path, sizeof(all[n].path), "metrics.listen");
		all[n++].listen = &c->metrics.listen;
	}

	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (config_listen_overlap(all[i].listen, all[j].listen))
				yaml_error(walk, all[i].listen->line,
					   all[i].path,
					   "%s takes the port of %s (%s)",
					   all[i].listen->text, all[j].path,
					   all[j].listen->text);
		}
	}
}

/*
 * Why the configured roles cannot run on several workers, or NULL: the
 * first role that says so (role_ops.workers_refused), or the metrics,
 * which would count one worker's requests only.
 */
static const char *workers_refused(const struct config *c,
				   const char **role)
{
	const struct config_role_slot *slot;
	const char *why;
	size_t i;

	*role = NULL;
	for (i = 0; i < CONFIG_ROLES_MAX; i++) {
		slot = &c->roles.role[i];
		if (!slot->conf)
			continue;
		why = slot->ops->workers_refused ?
		      slot->ops->workers_refused(slot->conf) :
		      "its state between requests is in one process's memory";
		if (why) {
			*role = slot->ops->name;
			return why;
		}
	}
	if (c->metrics.present)
		return "metrics.listen would count one worker's requests only";
	return NULL;
}

/* The CPUs e2md may run on (its affinity, as taskset or systemd set it). */
static unsigned int cpus_allowed(void)
{
	cpu_set_t set;
	int n = 0;

	if (!sched_getaffinity(0, sizeof(set), &set))
		n = CPU_COUNT(&set);
	if (n < 1)
		n = 1;
	return n > CONFIG_WORKERS_MAX ? CONFIG_WORKERS_MAX : (unsigned int)n;
}

/* Whether a configured role runs on several workers only when told so. */
static bool workers_explicit(const struct config *c)
{
	size_t i;

	for (i = 0; i < CONFIG_ROLES_MAX; i++)
		if (c->roles.role[i].conf &&
		    c->roles.role[i].ops->workers_explicit)
			return true;
	return false;
}

static void check_workers(struct yaml_walk *walk, struct config *c)
{
	const char *role, *why = workers_refused(c, &role);

	if (!c->workers.line) {
		c->workers.count = why || workers_explicit(c) ? 1 :
			cpus_allowed();
		return;
	}
	if (c->workers.count < 2 || !why)
		return;
	if (role)
		yaml_error(walk, c->workers.line, "workers",
			   "%u: role %s runs on one worker only (%s); use workers: 1",
			   c->workers.count, role, why);
	else
		yaml_error(walk, c->workers.line, "workers",
			   "%u: %s; use workers: 1", c->workers.count, why);
}

static void check_config(struct yaml_walk *walk, struct config *c)
{
	size_t i;

	for (i = 0; i < CONFIG_ROLES_MAX; i++) {
		if (c->roles.role[i].conf)
			check_role_needs(walk, c, &c->roles.role[i]);
	}
	check_listeners(walk, c);
	check_workers(walk, c);
}

/* ---- loading --------------------------------------------------------- */

static struct config *config_new(const char *file)
{
	struct config *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->log_level = LOG_LEVEL_INFO;
	c->listeners.max_connections = CONFIG_MAX_CONNECTIONS_DEFAULT;
	c->listeners.request_deadline = CONFIG_REQUEST_DEADLINE_DEFAULT;
	c->file = strdup(file);
	if (!c->file) {
		free(c);
		return NULL;
	}
	return c;
}

int config_load(const char *file, struct config **config,
		struct config_errors *errors)
{
	struct yaml_walk walk;
	struct config *c;
	yaml_node_t *root;
	int ret;

	memset(errors, 0, sizeof(*errors));
	*config = NULL;
	c = config_new(file);
	if (!c)
		return -ENOMEM;
	ret = yaml_walk_load(&walk, file, errors);
	root = yaml_walk_root(&walk);
	if (!ret && root) {
		yaml_walk_mapping(&walk, "", root, yaml_line(root), top_keys,
				  N_KEYS(top_keys), c);
		check_config(&walk, c);
	}
	yaml_walk_free(&walk);
	if (!ret && !errors->count && !c->admin.socket) {
		c->admin.socket = strdup(CONFIG_DEFAULT_SOCKET);
		if (!c->admin.socket)
			ret = -ENOMEM;
	}
	if (ret == -ENOMEM || errors->count) {
		config_free(c);
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	*config = c;
	return 0;
}

void config_free(struct config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->file);
	free(c->store.file.path);
	free(c->store.connection);
	free(c->store.password_file.path);
	free(c->store.key_file.path);
	free(c->admin.socket);
	free(c->tls.certificate.path);
	free(c->tls.private_key.path);
	free(c->tls.ca.path);
	for (i = 0; i < CONFIG_ROLES_MAX; i++) {
		if (c->roles.role[i].conf)
			c->roles.role[i].ops->free_config(c->roles.role[i].conf);
	}
	free(c);
}

const void *config_role(const struct config *c, const struct role_ops *role)
{
	size_t i;

	for (i = 0; i < CONFIG_ROLES_MAX; i++) {
		if (c->roles.role[i].ops == role)
			return c->roles.role[i].conf;
	}
	return NULL;
}

size_t config_roles(const struct config *c, const char **names, size_t max)
{
	size_t n = 0, i;

	for (i = 0; i < CONFIG_ROLES_MAX && n < max; i++) {
		if (c->roles.role[i].conf)
			names[n++] = c->roles.role[i].ops->name;
	}
	return n;
}
