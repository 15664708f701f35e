/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2md on several cores: "workers: N" processes serve the roles
 * (config.h; Documentation/e2md-internals.md says why processes).
 *
 * The process that was started, worker 0 or "the first", loads and
 * checks the configuration, opens the store (its migrations run there),
 * loads TLS and starts its roles, which binds every listener; then
 * workers_start() starts workers 1..N-1, each this e2md again (fork and
 * exec of /proc/self/exe, -c the same file), given the listening sockets
 * (net/listen_fds.h: its own twin of each, one SO_REUSEPORT group a
 * listener) and one end of a socket pair, its channel, in
 * E2MD_WORKER="K,FD". A worker opens its own store connection, TLS, loop
 * and roles, accepts on the inherited sockets and writes "ready" on its
 * channel; the first waits for every worker's before it writes the ready
 * file and opens the admin socket, so what the ready file says is served
 * by all of them.
 *
 * Only the first has the admin socket, the ready file and the service
 * manager's notifications (metrics: one worker only, config.h). Its
 * "status" asks each worker over its channel and sums the counters
 * (worker_status.h). Signals: the first passes SIGHUP, SIGTERM and
 * SIGINT on to every worker, which reloads or stops as the first does.
 *
 * A worker that dies (kill -9, a crash) is never a silent half service:
 * the first logs worker-died and stops the whole e2md, its exit status 1,
 * for the service manager to start it again (Restart=on-failure); the
 * connections waiting in the dead worker's accept queue are reset
 * (net/listen_fds.h), its requests in flight unanswered, as with a
 * single e2md killed; the others drain theirs. A first that dies ends its
 * workers: their channel reads end of file (and PR_SET_PDEATHSIG sends
 * SIGTERM), and each stops as on SIGTERM.
 *
 * What keeps the guarantees across processes: SQNs are reserved in the
 * store under its own locks (store_sqn_reserve.h, point 3), each
 * process answers only after its own commit is durable (store_group.h),
 * and a role with state between requests in one process's memory
 * refuses workers > 1 (role_ops.workers_refused). Each process has its
 * own rate limits and connection caps (listeners.max-connections is a
 * worker's).
 */
#ifndef E2MD_WORKERS_H
#define E2MD_WORKERS_H

#include <stdbool.h>

#include <jansson.h>

struct daemon;
struct workers;

#define WORKER_ENV		"E2MD_WORKER"
#define WORKERS_READY_SECONDS	30	/* a worker's start, store and TLS */
#define WORKERS_ANSWER_MS	2000	/* a worker's status */

/* ---- the first process ---- */

/*
 * Starts workers 1..config workers - 1 and waits for each one's ready.
 * *out NULL for one worker. 0, or a negative errno after logging why
 * (the workers started are stopped by workers_free()).
 */
int workers_start(struct workers **out, struct daemon *d);
/* Passes signo on to every worker alive. */
void workers_signal(struct workers *workers, int signo);
/*
 * Reaps the workers that ended (on SIGCHLD), logging each. True when one
 * ended while the daemon was not stopping: a death.
 */
bool workers_reap(struct workers *workers, bool stopping);
/* Adds the workers' counters and the "workers" array; 0 or -ENOMEM. */
int workers_status(struct workers *workers, json_t *status);
/*
 * Waits for every worker to end, SIGKILL after the drain time; tell:
 * SIGTERM first (they were not told to stop).
 */
void workers_free(struct workers *workers, bool tell);

/* ---- a worker ---- */

/*
 * Reads E2MD_WORKER and the listening sockets from the environment and
 * clears both. 0 and *index 0 in the first process; 0 with *index and
 * *channel set in a worker; -EINVAL for a value that is not ours.
 */
int worker_from_env(unsigned int *index, int *channel);
/*
 * A worker, its roles started: serves its channel on the daemon's loop
 * (status asked, the first's end of file) and says ready on it.
 */
int worker_channel_start(struct daemon *d);
void worker_channel_free(struct daemon *d);

#endif /* E2MD_WORKERS_H */
