// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's life: start, the loop, signals, reload, status. See
 * daemon.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "admin_cmd.h"
#include "config_check.h"
#include "daemon.h"
#include "store/store_group.h"
#include "log.h"
#include "net/listen_fds.h"
#include "net/resolver.h"
#include "service_manager.h"
#include "workers.h"

#define DRAIN_POLL_MS	20

/* ---- start ------------------------------------------------------------- */

static int open_store(struct daemon *d)
{
	const struct config_store *store = &d->config->store;
	struct store_key key;
	char why[256];
	int ret;

	ret = config_store_key(store, &key, why, sizeof(why));
	if (!ret && !strcmp(store->engine, "postgresql"))
		ret = store_open_postgresql(&d->store, store->connection,
					    store->password_file.path, &key,
					    why, sizeof(why));
	else if (!ret)
		ret = store_open(&d->store, store->file.path, &key, why,
				 sizeof(why));
	store_key_wipe(&key);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "store-failed", "%s", why);
	return ret;
}

static int load_tls(struct daemon *d)
{
	enum tls_file file;
	char why[256];
	int ret = tls_new(&d->tls, &d->config->tls, &file, why, sizeof(why));

	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "tls-failed", "%s", why);
	return ret;
}

static int start_resolver(struct daemon *d)
{
	char why[256] = "";
	int ret = resolver_new(&d->dns, d->base, why, sizeof(why));

	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "resolver-failed", "%s",
			why[0] ? why : "out of memory");
	return ret;
}

static int start_roles(struct daemon *d)
{
	const struct role_ops *const *table;
	size_t n, i;
	int ret;

	table = roles_table(&n);
	for (i = 0; i < n && d->n_roles < DAEMON_ROLES_MAX; i++) {
		struct daemon_role *role = &d->roles[d->n_roles];

		if (!config_role(d->config, table[i]))
			continue;
		ret = table[i]->start(d, &role->state);
		if (ret)
			return ret;
		role->ops = table[i];
		d->n_roles++;
	}
	return 0;
}

/* How many listeners the configured roles open. */
static size_t count_listeners(const struct config *config)
{
	struct role_config_listen listens[ROLE_LISTENERS_MAX];
	const struct role_ops *const *table;
	size_t n, i, count = 0;
	const void *conf;

	table = roles_table(&n);
	for (i = 0; i < n; i++) {
		conf = config_role(config, table[i]);
		if (conf && table[i]->config_listens)
			count += table[i]->config_listens(conf, listens,
							  ROLE_LISTENERS_MAX);
	}
	return count;
}

/*
 * Each listener may keep listeners.max-connections sockets open: the soft
 * limit of open files goes up to the hard one (LimitNOFILE=), and a limit
 * still too low for them all, with room for the rest, is said at start.
 */
#define FILES_BESIDE_LISTENERS	64

static void raise_file_limit(const struct config *config)
{
	size_t want = count_listeners(config) *
		      config->listeners.max_connections +
		      FILES_BESIDE_LISTENERS;
	struct rlimit limit;
	struct log_line line;

	if (getrlimit(RLIMIT_NOFILE, &limit))
		return;
	if (limit.rlim_cur < limit.rlim_max) {
		limit.rlim_cur = limit.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &limit))
			getrlimit(RLIMIT_NOFILE, &limit);
	}
	if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= want)
		return;
	if (log_begin(&line, LOG_LEVEL_WARNING, NULL, "file-limit")) {
		log_u64(&line, "nofile", limit.rlim_cur);
		log_u64(&line, "wanted", want);
		log_str(&line, "msg", "listeners.max-connections times the listeners is above the open-file limit: raise LimitNOFILE= or lower it");
		log_end(&line);
	}
}

/*
 * Roles the configuration has but this e2md cannot run: a row of
 * roles_table() with a schema and no runtime.
 */
static int check_roles_known(const struct config *config)
{
	const struct role_ops *const *table;
	size_t n, i;

	table = roles_table(&n);
	for (i = 0; i < n; i++) {
		if (config_role(config, table[i]) && !table[i]->start) {
			log_msg(LOG_LEVEL_ERROR, table[i]->name, "start-failed",
				"this e2md cannot run the %s role yet",
				table[i]->name);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static int start_metrics(struct daemon *d)
{
	if (!d->config->metrics.present)
		return 0;
	return metrics_server_start(&d->metrics, d);
}

static int start_admin(struct daemon *d)
{
	char why[256];
	int ret = admin_new(&d->admin, d->base, &d->config->admin,
			    admin_cmd_handle, d, why, sizeof(why));

	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "admin-failed", "%s", why);
	return ret;
}

/* ---- the ready file and line ------------------------------------------- */

static void write_listeners(FILE *out, struct daemon *d)
{
	struct role_listener listeners[ROLE_LISTENERS_MAX];
	size_t i, j, n;

	for (i = 0; i < d->n_roles; i++) {
		n = d->roles[i].ops->listeners(d->roles[i].state, listeners,
					       ROLE_LISTENERS_MAX);
		for (j = 0; j < n; j++)
			fprintf(out, "%s.%s=%s\n", d->roles[i].ops->name,
				listeners[j].name, listeners[j].address);
	}
}

/* Written whole under a temporary name, then renamed: never half there. */
static int write_ready_file(struct daemon *d)
{
	char tmp[4096];
	FILE *out;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", d->ready_file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	fprintf(out, "pid=%ld\nadmin=%s\n", (long)getpid(),
		d->config->admin.socket);
	write_listeners(out, d);
	if (d->metrics)
		fprintf(out, "metrics=%s\n", metrics_server_address(d->metrics));
	if (fclose(out) || rename(tmp, d->ready_file))
		goto fail;
	d->ready_written = true;
	return 0;
fail:
	log_msg(LOG_LEVEL_ERROR, NULL, "ready-file-failed", "%s: %s",
		d->ready_file, strerror(errno));
	unlink(tmp);
	return -EIO;
}

static void log_ready(struct daemon *d)
{
	struct role_listener listeners[ROLE_LISTENERS_MAX];
	struct log_line line;
	char key[64];
	size_t i, j, n;

	if (!log_begin(&line, LOG_LEVEL_INFO, NULL, "ready"))
		return;
	log_str(&line, "version", E2M_VERSION);
	log_str(&line, "admin", d->config->admin.socket);
	if (d->metrics)
		log_str(&line, "metrics", metrics_server_address(d->metrics));
	for (i = 0; i < d->n_roles; i++) {
		n = d->roles[i].ops->listeners(d->roles[i].state, listeners,
					       ROLE_LISTENERS_MAX);
		for (j = 0; j < n; j++) {
			snprintf(key, sizeof(key), "%s.%s",
				 d->roles[i].ops->name, listeners[j].name);
			log_str(&line, key, listeners[j].address);
		}
	}
	log_end(&line);
}

/* What `systemctl status` shows once e2md serves: its roles. */
static void notify_ready(struct daemon *d, const char *what)
{
	char status[256];
	size_t i, used;

	used = (size_t)snprintf(status, sizeof(status), "%s:", what);
	for (i = 0; i < d->n_roles && used < sizeof(status); i++)
		used += (size_t)snprintf(status + used, sizeof(status) - used,
					 " %s", d->roles[i].ops->name);
	service_manager_ready(status);
}

/* ---- stopping ------------------------------------------------------------ */

static bool roles_busy(struct daemon *d)
{
	size_t i;

	if (metrics_server_busy(d->metrics))
		return true;
	for (i = 0; i < d->n_roles; i++) {
		if (d->roles[i].ops->busy(d->roles[i].state))
			return true;
	}
	return false;
}

static bool drain_expired(const struct daemon *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->drain_until.tv_sec ||
	       (now.tv_sec == d->drain_until.tv_sec &&
		now.tv_nsec >= d->drain_until.tv_nsec);
}

/* Polls until no request is in flight, or the drain time is up. */
static void drain(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval poll = { 0, DRAIN_POLL_MS * 1000 };

	(void)fd;
	(void)what;
	if (!roles_busy(d)) {
		event_base_loopexit(d->base, NULL);
	} else if (drain_expired(d)) {
		log_msg(LOG_LEVEL_WARNING, NULL, "drain-timeout",
			"requests still in flight after %d s, stopping",
			DAEMON_DRAIN_SECONDS);
		event_base_loopexit(d->base, NULL);
	} else {
		evtimer_add(d->drain, &poll);
	}
}

static void begin_stop(struct daemon *d, const char *signal_name)
{
	size_t i;

	if (d->stopping) {
		log_msg(LOG_LEVEL_WARNING, NULL, "stopping-now",
			"second %s: not waiting for requests in flight",
			signal_name);
		event_base_loopbreak(d->base);
		return;
	}
	d->stopping = true;
	log_msg(LOG_LEVEL_INFO, NULL, "stopping", "on %s", signal_name);
	if (!d->worker)
		service_manager_stopping("draining requests in flight");
	admin_stop(d->admin);
	metrics_server_stop(d->metrics);
	for (i = 0; i < d->n_roles; i++)
		d->roles[i].ops->stop(d->roles[i].state);
	clock_gettime(CLOCK_MONOTONIC, &d->drain_until);
	d->drain_until.tv_sec += DAEMON_DRAIN_SECONDS;
	d->drain = evtimer_new(d->base, drain, d);
	if (!d->drain) {
		event_base_loopexit(d->base, NULL);
		return;
	}
	drain(-1, 0, d);
}

void daemon_stop(struct daemon *d, const char *why)
{
	if (!d->stopping)
		begin_stop(d, why);
}

/* ---- reload ---------------------------------------------------------------- */

static bool same_string(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/*
 * The processes running stay as they are: a new workers: that differs
 * needs a restart, and so does a default that falls to 1 (a setting
 * that cannot run on several, hss.hse-clients say) under several. A
 * default that rises keeps the one running.
 */
static bool workers_change(const struct config *old,
			   const struct config *new_config)
{
	if (new_config->workers.line)
		return new_config->workers.count != old->workers.count;
	return old->workers.count > 1 && new_config->workers.count == 1;
}

/* The first setting that changed and cannot change without a restart. */
static const char *restart_key(const struct daemon *d,
			       const struct config *new_config)
{
	const struct config *old = d->config;
	const char *old_roles[DAEMON_ROLES_MAX], *new_roles[DAEMON_ROLES_MAX];
	size_t n_old, n_new, i;
	const char *key;

	if (old->store.present != new_config->store.present ||
	    !same_string(old->store.file.path, new_config->store.file.path))
		return "store.path";
	if (old->store.present &&
	    (strcmp(old->store.engine, new_config->store.engine) ||
	     !same_string(old->store.connection, new_config->store.connection) ||
	     !same_string(old->store.password_file.path,
			  new_config->store.password_file.path)))
		return "store.engine";
	if (!same_string(old->store.key_file.path,
			 new_config->store.key_file.path) ||
	    old->store.key_serial != new_config->store.key_serial)
		return "store.key-file or store.key-serial";
	if (!same_string(old->admin.socket, new_config->admin.socket))
		return "admin.socket";
	if (old->admin.has_group != new_config->admin.has_group ||
	    old->admin.group != new_config->admin.group)
		return "admin.group";
	if (old->tls.present != new_config->tls.present)
		return "tls";
	if (old->metrics.present != new_config->metrics.present ||
	    strcmp(old->metrics.listen.text, new_config->metrics.listen.text))
		return "metrics.listen";
	if (workers_change(old, new_config))
		return "workers";
	if (old->listeners.max_connections !=
	    new_config->listeners.max_connections ||
	    old->listeners.request_deadline !=
	    new_config->listeners.request_deadline)
		return "listeners";
	n_old = config_roles(old, old_roles, DAEMON_ROLES_MAX);
	n_new = config_roles(new_config, new_roles, DAEMON_ROLES_MAX);
	if (n_old != n_new)
		return "roles";
	for (i = 0; i < n_old; i++) {
		if (strcmp(old_roles[i], new_roles[i]))
			return "roles";
	}
	for (i = 0; i < d->n_roles; i++) {
		key = d->roles[i].ops->restart_key(old, new_config);
		if (key)
			return key;
	}
	return NULL;
}

static void log_config_errors(const char *event,
			      const struct config_errors *errors)
{
	size_t i;

	for (i = 0; i < errors->count; i++)
		log_msg(LOG_LEVEL_ERROR, NULL, event, "%s", errors->text[i]);
	if (errors->dropped)
		log_msg(LOG_LEVEL_ERROR, NULL, event, "%zu more errors",
			errors->dropped);
}

/* The new TLS material, the log level, the roles' settings. */
static int apply_config(struct daemon *d, struct config *new_config)
{
	enum tls_file file;
	char why[256];
	size_t i;

	if (d->tls && tls_reload(d->tls, &new_config->tls, &file, why,
				 sizeof(why))) {
		log_msg(LOG_LEVEL_ERROR, NULL, "reload-failed",
			"TLS material: %s; keeping the old configuration", why);
		return -EINVAL;
	}
	log_set_level(new_config->log_level);
	for (i = 0; i < d->n_roles; i++)
		d->roles[i].ops->reload(d->roles[i].state, new_config);
	return 0;
}

static void reload(struct daemon *d)
{
	struct config_errors *errors = malloc(sizeof(*errors));
	struct config *new_config = NULL;
	bool reloaded = false;
	const char *key;
	int ret;

	if (!errors)
		return;
	service_manager_reloading();
	ret = config_load(d->config_path, &new_config, errors);
	if (!ret)
		ret = config_check_files(new_config, errors);
	if (ret) {
		log_config_errors("reload-failed", errors);
		log_msg(LOG_LEVEL_ERROR, NULL, "reload-failed",
			"keeping the old configuration");
	} else if ((key = restart_key(d, new_config))) {
		log_msg(LOG_LEVEL_ERROR, NULL, "reload-failed",
			"%s changed: restart e2md to apply it; keeping the old configuration",
			key);
	} else if (!apply_config(d, new_config)) {
		new_config->workers.count = d->config->workers.count;
		config_free(d->config);
		d->config = new_config;
		new_config = NULL;
		reloaded = true;
		log_msg(LOG_LEVEL_INFO, NULL, "reloaded", "%s",
			d->config_path);
	}
	/* READY=1 either way: a failed reload keeps serving the old one. */
	if (!d->worker)
		notify_ready(d, reloaded ? "serving" :
			     "serving, the reload failed");
	config_free(new_config);
	free(errors);
}

/* ---- signals --------------------------------------------------------------- */

static void on_signal(evutil_socket_t signo, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	if (signo == SIGCHLD) {
		/* A worker gone while serving: stop the whole (workers.h). */
		if (workers_reap(d->workers, d->stopping)) {
			d->failed = true;
			workers_signal(d->workers, SIGTERM);
			begin_stop(d, "a worker's death");
		}
		return;
	}
	/* Each worker reloads or stops as the first does. */
	workers_signal(d->workers, (int)signo);
	if (signo == SIGHUP) {
		if (!d->stopping)
			reload(d);
		return;
	}
	begin_stop(d, signo == SIGTERM ? "SIGTERM" : "SIGINT");
}

static int watch_signals(struct daemon *d)
{
	static const int signos[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	size_t i;

	for (i = 0; i < sizeof(signos) / sizeof(signos[0]); i++) {
		d->signals[i] = evsignal_new(d->base, signos[i], on_signal, d);
		if (!d->signals[i] || evsignal_add(d->signals[i], NULL))
			return -ENOMEM;
	}
	return 0;
}

/* ---- the daemon ------------------------------------------------------------ */

/*
 * The first process (worker 0): the workers once its roles listen, then
 * the admin socket and the ready file. A worker: its channel.
 */
static int start_serving(struct daemon *d)
{
	int ret;

	if (d->worker) {
		ret = worker_channel_start(d);
		if (!ret)
			log_msg(LOG_LEVEL_INFO, NULL, "worker-ready",
				"worker %u serves", d->worker);
		return ret;
	}
	ret = workers_start(&d->workers, d);
	if (!ret)
		ret = start_admin(d);
	if (!ret && d->ready_file)
		ret = write_ready_file(d);
	if (!ret) {
		log_ready(d);
		notify_ready(d, "serving");
	}
	return ret;
}

static int start(struct daemon *d, struct config *config,
		 const char *config_path, const char *ready_file,
		 unsigned int worker, int channel)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->config = config;
	d->config_path = config_path;
	d->ready_file = ready_file;
	d->worker = worker;
	d->channel = channel;
	clock_gettime(CLOCK_MONOTONIC, &d->started);
	log_set_level(config->log_level);
	/* A peer gone mid-write must be an error, not the end of us. */
	signal(SIGPIPE, SIG_IGN);
	d->base = event_base_new();
	/*
	 * Three priorities, every event at the middle one (libevent's
	 * default) but the store's group commit, last (store_group.h).
	 */
	if (!d->base || event_base_priority_init(d->base, 3)) {
		if (d->base)
			event_base_free(d->base);
		d->base = NULL;
		return -ENOMEM;
	}
	ret = check_roles_known(config);
	if (!ret && config->store.present)
		ret = open_store(d);
	/* Writes that wait for the disk share a commit a loop turn. */
	if (!ret && d->store)
		ret = store_group_attach(d->store, d->base);
	if (!ret && config->tls.present)
		ret = load_tls(d);
	if (!ret)
		ret = start_resolver(d);
	if (!ret)
		ret = watch_signals(d);
	if (!ret && !worker)
		ret = start_metrics(d);
	if (!ret) {
		raise_file_limit(config);
		/* The first's listeners, for its workers' twins to join. */
		listen_fds_reuseport(!worker && config->workers.count > 1);
		ret = start_roles(d);
	}
	if (!ret)
		ret = start_serving(d);
	return ret;
}

int daemon_start(struct daemon *d, struct config *config,
		 const char *config_path, const char *ready_file)
{
	return start(d, config, config_path, ready_file, 0, -1);
}

int daemon_start_worker(struct daemon *d, struct config *config,
			const char *config_path, unsigned int index,
			int channel)
{
	return start(d, config, config_path, NULL, index, channel);
}

int daemon_run(struct daemon *d)
{
	if (event_base_dispatch(d->base) < 0) {
		log_msg(LOG_LEVEL_ERROR, NULL, "loop-failed",
			"event_base_dispatch failed");
		return 1;
	}
	return d->failed ? 1 : 0;
}

void daemon_fini(struct daemon *d)
{
	size_t i;

	/*
	 * Every worker ends before the first closes its store; a stop has
	 * told them already (a second SIGTERM would end one mid-close).
	 */
	workers_free(d->workers, !d->stopping);
	d->workers = NULL;
	worker_channel_free(d);
	/* A worker closing its store is not to be cut short by a late one. */
	if (d->worker)
		signal(SIGTERM, SIG_IGN);
	/* The group's waiters answer while their roles are still there. */
	if (d->store)
		store_group_detach(d->store);
	admin_free(d->admin);
	metrics_server_free(d->metrics);
	for (i = d->n_roles; i-- > 0;)
		d->roles[i].ops->free(d->roles[i].state);
	if (d->drain)
		event_free(d->drain);
	for (i = 0; i < sizeof(d->signals) / sizeof(d->signals[0]); i++) {
		if (d->signals[i])
			event_free(d->signals[i]);
	}
	tls_free(d->tls);
	/*
	 * Lookups still running fail, their connections already gone: one
	 * turn of the loop runs their callbacks, which free what they held.
	 */
	if (d->dns) {
		evdns_base_free(d->dns, 1);
		event_base_loop(d->base, EVLOOP_NONBLOCK);
	}
	if (d->ready_written)
		unlink(d->ready_file);
	if (d->store) {
		store_close(d->store);
		log_msg(LOG_LEVEL_INFO, NULL, "stopped", "store closed");
	}
	if (d->base)
		event_base_free(d->base);
	config_free(d->config);
	memset(d, 0, sizeof(*d));
}

long long daemon_uptime(const struct daemon *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - d->started.tv_sec);
}

static json_t *role_status(struct daemon_role *role)
{
	struct role_listener listeners[ROLE_LISTENERS_MAX];
	json_t *obj = json_pack("{s:s}", "name", role->ops->name);
	json_t *listen = json_object();
	size_t i, n;

	if (!obj || !listen)
		goto fail;
	n = role->ops->listeners(role->state, listeners, ROLE_LISTENERS_MAX);
	for (i = 0; i < n; i++) {
		if (json_object_set_new(listen, listeners[i].name,
					json_string(listeners[i].address)))
			goto fail;
	}
	if (json_object_set_new(obj, "listen", listen))
		goto fail_obj;
	if (role->ops->status(role->state, obj))
		goto fail_obj;
	return obj;
fail:
	json_decref(listen);
fail_obj:
	json_decref(obj);
	return NULL;
}

json_t *daemon_status(struct daemon *d)
{
	json_t *status, *roles = json_array();
	int subscribers = 0, sessions = 0;
	size_t i;

	/* A worker's status is for its first, which counts these itself. */
	if (d->store && !d->worker) {
		subscribers = store_subscriber_list(d->store, NULL, NULL);
		sessions = store_session_list(d->store, NULL, NULL);
	}
	for (i = 0; roles && i < d->n_roles; i++) {
		if (json_array_append_new(roles, role_status(&d->roles[i]))) {
			json_decref(roles);
			roles = NULL;
		}
	}
	if (!roles)
		return NULL;
	status = json_pack("{s:s, s:I, s:I, s:s, s:s, s:o}",
			   "version", E2M_VERSION,
			   "pid", (json_int_t)getpid(),
			   "uptime", (json_int_t)daemon_uptime(d),
			   "log-level", log_level_name(log_get_level()),
			   "admin", d->config->admin.socket,
			   "roles", roles);
	if (status && d->workers && workers_status(d->workers, status)) {
		json_decref(status);
		return NULL;
	}
	if (status && d->store && !d->worker &&
	    (json_object_set_new(status, "subscribers",
				 subscribers < 0 ? json_null() :
				 json_integer(subscribers)) ||
	     json_object_set_new(status, "sessions",
				 sessions < 0 ? json_null() :
				 json_integer(sessions)))) {
		json_decref(status);
		return NULL;
	}
	return status;
}
