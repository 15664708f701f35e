/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running daemon: its configuration, the store, TLS, the admin socket
 * and the roles, on one libevent loop in one thread.
 *
 *	daemon_start()	opens the store, loads TLS, starts the roles and the
 *			admin socket, then says it is ready: a log line
 *			event=ready and, if asked, the ready file
 *	daemon_run()	the loop, until SIGTERM or SIGINT
 *	daemon_fini()	closes everything, the store last
 *
 * With "workers: N" (workers.h), N processes of this daemon serve the
 * roles, one loop each; the first has the admin socket and the ready file.
 *
 * Signals: SIGTERM and SIGINT stop accepting (HTTP and admin), wait up to
 * DAEMON_DRAIN_SECONDS for requests in flight, then end the loop; a
 * second one ends it at once. SIGHUP reloads the configuration file: if it
 * is valid, its TLS material loads and nothing changed that needs a
 * restart (store, admin socket, roles, listen addresses), the log level,
 * TLS material and the roles' live settings are applied; else the reason
 * is logged and the old configuration stays, whole.
 *
 * The ready file, written (atomically) once every socket listens and
 * removed at exit, has one name=value line per fact a test or a
 * supervisor may want, the ports the kernel chose for port 0 included:
 *
 *	pid=1234
 *	admin=/run/e2m/e2md.sock
 *	ROLE.LISTENER=127.0.0.1:8443	(each listener of each role)
 *	metrics=127.0.0.1:9520		(when metrics.listen is set)
 */
#ifndef E2MD_DAEMON_H
#define E2MD_DAEMON_H

#include <stdbool.h>
#include <time.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <jansson.h>

#include "admin.h"
#include "config.h"
#include "roles.h"
#include "metrics/metrics_server.h"
#include "store/store.h"
#include "net/tls.h"

#define DAEMON_DRAIN_SECONDS	5
#define DAEMON_ROLES_MAX	CONFIG_ROLES_MAX

struct daemon_role {
	const struct role_ops *ops;
	void *state;
};

struct daemon {
	struct event_base *base;
	struct config *config;		/* the one in force */
	const char *config_path;
	const char *ready_file;		/* NULL: none */
	struct store *store;		/* NULL when no role needs one */
	struct tls *tls;		/* NULL without a tls section */
	struct evdns_base *dns;		/* peers' names (net/resolver.h) */
	struct admin *admin;
	struct metrics_server *metrics;	/* NULL: metrics off */
	struct daemon_role roles[DAEMON_ROLES_MAX];
	size_t n_roles;
	struct event *signals[4];	/* TERM, INT, HUP, CHLD */
	struct event *drain;
	struct timespec started;	/* CLOCK_MONOTONIC */
	struct timespec drain_until;
	bool stopping;
	bool ready_written;
	bool failed;			/* a worker died: exit status 1 */
	/* Several workers (workers.h): the first's, or a worker's. */
	struct workers *workers;	/* the first, workers > 1 */
	unsigned int worker;		/* 0: the first process */
	int channel;			/* a worker's to the first; else -1 */
	struct event *channel_event;
};

/*
 * Takes config (loaded and checked) and keeps config_path for reloads.
 * 0, or a negative errno after logging why.
 */
int daemon_start(struct daemon *daemon, struct config *config,
		 const char *config_path, const char *ready_file);
/*
 * The same for worker index (> 0, workers.h) of the first process at the
 * other end of channel: no admin socket, ready file or metrics.
 */
int daemon_start_worker(struct daemon *daemon, struct config *config,
			const char *config_path, unsigned int index,
			int channel);
/* Runs the loop; the exit status (0 after a clean stop). */
int daemon_run(struct daemon *daemon);
void daemon_fini(struct daemon *daemon);
/* Stops as on SIGTERM, saying why (a worker whose first has gone). */
void daemon_stop(struct daemon *daemon, const char *why);

/* The answer to the admin "status" command's body. NULL: no memory. */
json_t *daemon_status(struct daemon *daemon);

/* Seconds since the daemon started. */
long long daemon_uptime(const struct daemon *daemon);

#endif /* E2MD_DAEMON_H */
