/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listening sockets e2md's workers share (daemon/workers.h).
 *
 * The first process binds every listener of its roles as ever, with
 * SO_REUSEPORT when there are several workers (listen_fds_reuseport()),
 * and keeps each socket here under the address text of its configuration
 * ("127.0.0.1:0"). For each worker it binds a twin of each, another
 * socket on the address the first got (port 0 resolved) in the same
 * SO_REUSEPORT group, which the worker inherits (their numbers in its
 * environment, E2MD_LISTEN_FDS="TEXT=FD;...") and the first closes once
 * the worker runs: http_server_new() there takes the inherited socket of
 * the same text instead of binding one. Each process has its own accept
 * queue, and the kernel spreads the connections over them by their
 * addresses and ports (a shared queue would give a burst of connections
 * to whichever process woke first). A worker that dies takes its queue
 * with it: the connections waiting there are reset, the next ones go to
 * the others.
 *
 * One process, one thread: plain statics.
 */
#ifndef E2MD_LISTEN_FDS_H
#define E2MD_LISTEN_FDS_H

#include <stddef.h>

#include <sys/socket.h>

#define LISTEN_FDS_ENV	"E2MD_LISTEN_FDS"
#define LISTEN_FDS_MAX	64
#define LISTEN_BACKLOG	1024	/* a burst waits here, not in SYN retries */

/*
 * A listening TCP socket on addr as e2md's HTTP servers want it
 * (SO_REUSEADDR, TCP_NODELAY, IPv6 only on an IPv6 address, with
 * SO_REUSEPORT if reuse), non-blocking: the first process's and each
 * worker's twin alike. The socket, or a negative errno.
 */
int listen_fds_open(const struct sockaddr *addr, socklen_t len, int reuse);

/* The first process, before its roles start: SO_REUSEPORT on them. */
void listen_fds_reuseport(int on);
int listen_fds_reuseport_on(void);
/* The first process: a socket it bound for the listen address text. */
void listen_fds_keep(const char *text, int fd);
/* The socket is closed: not to be handed on. */
void listen_fds_drop(int fd);

/*
 * A twin of each kept socket for one worker, into fds (at most max), and
 * "E2MD_LISTEN_FDS=TEXT=FD;..." of them into buf, for its environment.
 * The count of sockets, or a negative errno (none left open); the caller
 * closes them once the worker has them.
 */
int listen_fds_for_worker(char *buf, size_t size, int *fds, size_t max);
void listen_fds_close(int *fds, int n);

/*
 * A worker: reads the inherited sockets from value (the variable's
 * text). 0, or -EINVAL for text that is not "TEXT=FD;...".
 */
int listen_fds_inherit(const char *value);
/* Whether this process is a worker that inherited its sockets. */
int listen_fds_inherited(void);
/* The inherited socket for the listen address text, or -1; once. */
int listen_fds_take(const char *text);

#endif /* E2MD_LISTEN_FDS_H */
